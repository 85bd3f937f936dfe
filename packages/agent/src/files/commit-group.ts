// Small files received on one Files stream are published concurrently and acknowledged together.
// Durability is paid per group, not per file (issue 16): each member writes its temp file
// (staged, not yet durable), the group makes them all durable with one syncfs of each file
// system they are on, renames each over its target (a crash leaves the old or the new content at
// its path, never a mix), and makes the renames durable with one more syncfs; only then is any
// file of the group acknowledged: an acknowledged file is durable. Where syncfs cannot run, each
// staged file and then each directory is fsynced instead. Members that publish themselves (a
// small delta) only defer their directory's sync to the group.
import { statSync } from 'node:fs';
import type { StagedFile } from './atomic-write';
import { fsyncDir, syncFileSystem } from './fs-util';
import { sharedSlice } from './loop-slice';

/** What a member's work yields: its directory, and its staged file when the group publishes it. */
export interface MemberResult {
  dir: string;
  staged?: StagedFile;
}

/** What a member's outcome is reported to once the group is committed. */
export type Settle = (error: Error | null) => Promise<void>;

interface Member {
  path: string;
  done: Promise<MemberResult | Error>;
  settle: Settle;
}

export class CommitGroup {
  private members: Member[] = [];
  private readonly paths_ = new Set<string>();

  constructor(readonly maxFiles: number) {}

  get size(): number {
    return this.members.length;
  }

  /** The paths of the members. */
  paths(): string[] {
    return [...this.paths_];
  }

  /** True when `path` is being published in this group: a later change to it must wait. */
  has(path: string): boolean {
    return this.paths_.has(path);
  }

  /** Starts tracking `work`, which publishes `path` (deferring its directory's fsync). */
  add(path: string, work: Promise<MemberResult>, settle: Settle): void {
    this.paths_.add(path);
    this.members.push({ path, done: work.catch((e: unknown) => toError(e)), settle });
  }

  /**
   * Waits for every member, makes the staged files durable and publishes them, makes the
   * renames durable, then settles each member in the order added. A member whose file could not
   * be made durable or published fails (its temp file is removed); so do the members of a
   * directory whose fsync failed.
   */
  async commit(): Promise<void> {
    const members = this.members;
    this.members = [];
    this.paths_.clear();
    const outcomes: (MemberResult | Error)[] = await Promise.all(members.map((m) => m.done));
    const staged = outcomes.filter(
      (o): o is MemberResult & { staged: StagedFile } => !isError(o) && !!o.staged,
    );
    let whole = await syncEach(staged.map((o) => o.dir));
    if (!whole) {
      for (const [i, o] of outcomes.entries()) {
        if (isError(o) || !o.staged) continue;
        const e = await fsyncDir(o.staged.tmp).then(() => null, toError);
        if (e) {
          o.staged.discard();
          outcomes[i] = e;
        }
      }
    }
    for (const [i, o] of outcomes.entries()) {
      if (isError(o) || !o.staged) continue;
      await sharedSlice.turn();
      outcomes[i] = await o.staged.publish().then(() => o, toError);
    }
    const dirs = new Set<string>();
    for (const o of outcomes) if (!isError(o)) dirs.add(o.dir);
    const synced = new Map<string, Error | null>();
    if (whole) whole = await syncEach([...dirs]);
    if (!whole) {
      await Promise.all(
        [...dirs].map(async (d) => synced.set(d, await fsyncDir(d).then(() => null, toError))),
      );
    }
    for (let i = 0; i < members.length; i++) {
      const o = outcomes[i]!;
      await members[i]!.settle(isError(o) ? o : (synced.get(o.dir) ?? null));
    }
  }
}

/** One syncfs per file system holding `dirs` (a group may span folders); false if any failed. */
async function syncEach(dirs: readonly string[]): Promise<boolean> {
  if (dirs.length === 0) return true;
  const byDevice = new Map<number, string>();
  try {
    for (const d of new Set(dirs)) {
      const dev = statSync(d).dev;
      if (!byDevice.has(dev)) byDevice.set(dev, d);
    }
  } catch {
    return false;
  }
  const ok = await Promise.all([...byDevice].map(([dev, d]) => syncFileSystem(d, `dev:${dev}`)));
  return ok.every(Boolean);
}

function isError(o: MemberResult | Error): o is Error {
  return o instanceof Error;
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * The commit groups of one stream, one after another: a sealed group commits in the background
 * while the next one fills, so reading frames never waits for fsyncs. (It did, and the sender
 * then sat on the stream's flow-control window, the receiver idle in turn while it waited for
 * frames.) At most `maxCommitting` groups commit at once; the sender's ack window bounds the
 * files held in memory. A failed commit (an ack that cannot be written) is thrown by the next
 * seal() or drain().
 */
export class CommitPipeline {
  private open: CommitGroup;
  private readonly committing: Promise<void>[] = [];
  /** Paths in sealed groups not yet committed (a count: a path is in at most one, but be safe). */
  private readonly sealed = new Map<string, number>();
  private failure: Error | null = null;

  constructor(
    readonly maxFiles: number,
    private readonly maxCommitting = 4,
  ) {
    this.open = new CommitGroup(maxFiles);
  }

  /** Files in the group being filled. */
  get size(): number {
    return this.open.size;
  }

  /** True when `path` is being published in any group not yet committed. */
  has(path: string): boolean {
    return this.open.has(path) || this.sealed.has(path);
  }

  add(path: string, work: Promise<MemberResult>, settle: Settle): void {
    this.open.add(path, work, settle);
  }

  /** Starts committing the open group; waits while too many groups are committing. */
  async seal(): Promise<void> {
    this.check();
    if (this.open.size > 0) {
      const group = this.open;
      this.open = new CommitGroup(this.maxFiles);
      const paths = group.paths();
      for (const p of paths) this.sealed.set(p, (this.sealed.get(p) ?? 0) + 1);
      const done = group
        .commit()
        .catch((e: unknown) => {
          this.failure ??= toError(e);
        })
        .finally(() => {
          for (const p of paths) {
            const n = this.sealed.get(p)! - 1;
            if (n > 0) this.sealed.set(p, n);
            else this.sealed.delete(p);
          }
          this.committing.splice(this.committing.indexOf(done), 1);
        });
      this.committing.push(done);
    }
    while (this.committing.length > this.maxCommitting) await this.committing[0];
    this.check();
  }

  /** Commits everything: every file added so far is then published, durable and settled. */
  async drain(): Promise<void> {
    await this.seal();
    while (this.committing.length > 0) await this.committing[0];
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}

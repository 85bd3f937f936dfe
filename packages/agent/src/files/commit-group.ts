// Small files received on one Files stream are published concurrently and acknowledged together.
// Each file is written to a temp file, fsynced and renamed on its own (a crash leaves the old or
// the new content at its path); the directories holding the renames are then fsynced once per
// group, and only after that is any file of the group acknowledged: an acknowledged file is
// durable. One directory fsync per group instead of one per file, and the writes of the group
// overlapping in libuv's thread pool, are what make thousands of small files fast.
import { fsyncDir } from './fs-util';

/** What a member's outcome is reported to once the group is committed. */
export type Settle = (error: Error | null) => Promise<void>;

interface Member {
  path: string;
  done: Promise<{ dir: string } | Error>;
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
  add(path: string, work: Promise<{ dir: string }>, settle: Settle): void {
    this.paths_.add(path);
    this.members.push({ path, done: work.catch((e: unknown) => toError(e)), settle });
  }

  /**
   * Waits for every member, fsyncs their directories, then settles each member in the order
   * added. A failed directory fsync fails the members in that directory (they are not durable).
   */
  async commit(): Promise<void> {
    const members = this.members;
    this.members = [];
    this.paths_.clear();
    const outcomes = await Promise.all(members.map((m) => m.done));
    const dirs = new Set<string>();
    for (const o of outcomes) if (!(o instanceof Error)) dirs.add(o.dir);
    const synced = new Map<string, Error | null>();
    await Promise.all([...dirs].map(async (d) => synced.set(d, await fsyncDir(d).then(() => null, toError))));
    for (let i = 0; i < members.length; i++) {
      const o = outcomes[i]!;
      await members[i]!.settle(o instanceof Error ? o : (synced.get(o.dir) ?? null));
    }
  }
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

  add(path: string, work: Promise<{ dir: string }>, settle: Settle): void {
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

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
  private readonly paths = new Set<string>();

  constructor(readonly maxFiles: number) {}

  get size(): number {
    return this.members.length;
  }

  /** True when `path` is being published in this group: a later change to it must wait. */
  has(path: string): boolean {
    return this.paths.has(path);
  }

  /** Starts tracking `work`, which publishes `path` (deferring its directory's fsync). */
  add(path: string, work: Promise<{ dir: string }>, settle: Settle): void {
    this.paths.add(path);
    this.members.push({ path, done: work.catch((e: unknown) => toError(e)), settle });
  }

  /**
   * Waits for every member, fsyncs their directories, then settles each member in the order
   * added. A failed directory fsync fails the members in that directory (they are not durable).
   */
  async commit(): Promise<void> {
    const members = this.members;
    this.members = [];
    this.paths.clear();
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

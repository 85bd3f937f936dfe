// Heavy loops (reading and hashing thousands of small files, publishing a batch of them) hand the
// event loop back every few milliseconds, so the link's heartbeats and HTTP/2 keepalive pings
// (answered by this thread, with a 1 s timeout: link.keepaliveTimeoutMs) never wait behind them. A
// promise that is already resolved does not do this: `await` on it runs the next microtask, not
// the sockets' callbacks. At 100,000 tiny files, frames buffered by flow control were processed
// back to back for seconds and the peer dropped the link (issue 16).
import { performance } from 'node:perf_hooks';

/** How long a loop may hold the event loop before it yields (the bench's goal is a p99 < 50 ms). */
export const LOOP_SLICE_MS = 8;

export class LoopSlice {
  private since = performance.now();
  private marking = false;
  /** Tasks waiting for a slice, first come first served. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly sliceMs = LOOP_SLICE_MS) {}

  /** True when the caller has held the event loop for its slice: it should `await turn()`. */
  due(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  /**
   * Lets timers and I/O run (setImmediate: after the poll phase). The new slice starts when the
   * loop has turned, marked by one immediate queued before the waiters', not by each waiter. Each
   * waiter has an immediate of its own (microtasks run between immediates, so a woken task works
   * before the next is woken), which wakes the longest-waiting task while the slice lasts and
   * otherwise waits for the next turn: tasks sharing a slice take turns in the order they came.
   */
  yield(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.mark();
      setImmediate(this.wakeNext);
    });
  }

  /** `yield()` while due. */
  async turn(): Promise<void> {
    while (this.due()) await this.yield();
  }

  private mark(): void {
    if (this.marking) return;
    this.marking = true;
    setImmediate(() => {
      this.since = performance.now();
      this.marking = false;
    });
  }

  private readonly wakeNext = (): void => {
    if (this.due()) {
      this.mark();
      setImmediate(this.wakeNext);
      return;
    }
    this.waiting.shift()?.();
  };
}

/**
 * The slice shared by every heavy loop of the process (the sender's reads, a batch's files, their
 * temp writes, renames, manifest steps). Loops with slices of their own each took 8 ms of the
 * same turn: at 100,000 tiny files, several streams' loops together held the event loop for
 * 100-180 ms (issue 16).
 */
export const sharedSlice = new LoopSlice();

/**
 * Work over whole manifests (100,000s of entries) is written once, as a generator that yields
 * every few hundred entries, and run either at once (`runAtOnce`: small inputs, pure callers) or
 * handing the event loop back whenever its slice is used up (`runSliced`): diffing 1,000,000
 * entries in one go held the loop for ~1 s.
 */
export type Steps<T> = Generator<void, T, void>;

export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export async function runSliced<T>(steps: Steps<T>, slice = sharedSlice): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (slice.due()) await slice.turn();
  }
}

/** Entries between two yields of a step generator (a due() check costs a clock read). */
export const STEP_ENTRIES = 512;

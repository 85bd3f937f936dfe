// Heavy loops (reading and hashing thousands of small files, publishing a batch of them) hand the
// event loop back every few milliseconds, so the link's heartbeats and HTTP/2 keepalive pings
// (answered by this thread, with a 1 s timeout: link.keepaliveMs) never wait behind them. A
// promise that is already resolved does not do this: `await` on it runs the next microtask, not
// the sockets' callbacks. At 100,000 tiny files, frames buffered by flow control were processed
// back to back for seconds and the peer dropped the link (issue 16).
import { performance } from 'node:perf_hooks';

/** How long a loop may hold the event loop before it yields (the bench's goal is a p99 < 50 ms). */
export const LOOP_SLICE_MS = 8;

export class LoopSlice {
  private since = performance.now();
  private marking = false;

  constructor(private readonly sliceMs = LOOP_SLICE_MS) {}

  /** True when the caller has held the event loop for its slice: it should `await yield()`. */
  due(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  /**
   * Lets timers and I/O run (setImmediate: after the poll phase). The new slice starts when the
   * loop has turned, marked by one immediate queued before the waiters', not by each waiter: a
   * slice shared by many concurrent tasks (every staged file) would otherwise wake them all in
   * one check phase, each starting a "new" slice, and they would run back to back.
   */
  async yield(): Promise<void> {
    if (!this.marking) {
      this.marking = true;
      setImmediate(() => {
        this.since = performance.now();
        this.marking = false;
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** `yield()` while due: a task woken late in a turn waits for the next one. */
  async turn(): Promise<void> {
    while (this.due()) await this.yield();
  }
}

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

export async function runSliced<T>(steps: Steps<T>, slice = new LoopSlice()): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (slice.due()) await slice.yield();
  }
}

/** Entries between two yields of a step generator (a due() check costs a clock read). */
export const STEP_ENTRIES = 512;

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

  constructor(private readonly sliceMs = LOOP_SLICE_MS) {}

  /** True when the caller has held the event loop for its slice: it should `await yield()`. */
  due(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  /** Lets timers and I/O run (setImmediate: after the poll phase), then starts a new slice. */
  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }

  /** `yield()` when due. */
  async turn(): Promise<void> {
    if (this.due()) await this.yield();
  }
}

// Buffers of one size, reused within one reinitialisation (issue 16). Every Buffer a snapshot
// chunk passes through is a new ArrayBuffer, and V8 starts a full (mark-compact) collection each
// time such external memory grows by 64 MiB since the last one: at 3 M rows (~250 MB of COPY text,
// copied five times on the primary) that was ~27 full collections per side. A buffer given back
// here is taken again for the next chunk instead, so it adds nothing to that count.
//
// A pool lives as long as the copy that made it (a few buffers of a chunk's size), so an idle
// agent keeps none.

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  /** Only memory this pool allocated comes back to it (never a slice of Node's shared pool). */
  private readonly own = new WeakSet<ArrayBuffer>();

  /** `size`: each buffer's bytes; `keep`: at most this many are kept for reuse. */
  constructor(
    readonly size: number,
    private readonly keep = 4,
  ) {}

  /** A buffer of at least `min` bytes (exactly `min` when larger than the pool's size: not pooled). */
  take(min = this.size): Buffer {
    if (min > this.size) return Buffer.allocUnsafeSlow(min);
    const reused = this.free.pop();
    if (reused) return Buffer.from(reused);
    const b = Buffer.allocUnsafeSlow(this.size);
    this.own.add(b.buffer);
    return b;
  }

  /**
   * Gives back the buffer `view` is part of. The caller promises nothing reads or writes any view
   * of it afterwards. Buffers the pool did not make, or beyond `keep`, are left to the collector.
   */
  give(view: Uint8Array): void {
    const ab = view.buffer as ArrayBuffer;
    if (!this.own.has(ab) || this.free.length >= this.keep || this.free.includes(ab)) return;
    this.free.push(ab);
  }
}

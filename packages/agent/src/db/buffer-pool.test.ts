import { BufferPool } from './buffer-pool';

describe('BufferPool', () => {
  it('gives a buffer back for reuse, up to `keep` of them', () => {
    const pool = new BufferPool(1024, 1);
    const a = pool.take(100);
    const b = pool.take();
    expect(a.length).toBe(1024);
    expect(a.buffer).not.toBe(b.buffer);
    pool.give(a.subarray(0, 10));
    pool.give(b); // beyond keep: left to the collector
    pool.give(a); // twice: kept once
    expect(pool.take().buffer).toBe(a.buffer);
    expect(pool.take().buffer).not.toBe(a.buffer);
  });

  it('keeps only its own buffers, and not those larger than its size', () => {
    const pool = new BufferPool(64);
    const big = pool.take(100);
    expect(big.length).toBe(100);
    pool.give(big);
    pool.give(Buffer.allocUnsafe(64)); // a slice of Node's shared pool
    const next = pool.take();
    expect(next.buffer).not.toBe(big.buffer);
    expect(next.length).toBe(64);
  });
});

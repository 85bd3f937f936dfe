import { LARGE_COMPARISON, releaseMemoryAfter, shrinkYoungGeneration, youngGenerationBytes } from './memory';

describe('releaseMemoryAfter', () => {
  it('collects the garbage a large comparison left', async () => {
    let garbage: Array<{ path: string }> | undefined = Array.from({ length: 300_000 }, (_, i) => ({
      path: `d${i}/f${i}.txt`,
    }));
    const withGarbage = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(300_000);
    garbage = undefined;
    await releaseMemoryAfter(LARGE_COMPARISON);
    expect(process.memoryUsage().heapUsed).toBeLessThan(withGarbage - 10 * 1024 * 1024);
  });
});

describe('shrinkYoungGeneration', () => {
  it('returns the young generation a burst grew, once allocation has been low for 5 s', async () => {
    // A burst with survivors grows the young generation (jest's node has 16 MB semi-spaces).
    let kept: unknown[][] = [];
    for (let r = 0; r < 20; r++) {
      const batch = Array.from({ length: 100_000 }, (_, i) => ({ path: `d${r}/f${i}`, size: i }));
      kept.push(batch.slice(0, 10_000));
    }
    expect(kept.length).toBe(20);
    kept = [];
    expect(youngGenerationBytes()).toBeGreaterThan(8 * 1024 * 1024);
    expect(shrinkYoungGeneration()).toBe(false); // the burst is within V8's 5 s window
    const deadline = Date.now() + 20_000;
    let shrunk = false;
    while (!shrunk && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      shrunk = shrinkYoungGeneration();
    }
    expect(shrunk).toBe(true);
    expect(youngGenerationBytes()).toBeLessThanOrEqual(4 * 1024 * 1024);
  }, 30_000);
});

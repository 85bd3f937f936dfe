import { LARGE_COMPARISON, releaseMemoryAfter } from './release-memory';

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

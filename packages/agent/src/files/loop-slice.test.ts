import { LoopSlice } from './loop-slice';

test('a loop that turns the slice lets a timer run within a few slices', async () => {
  const slice = new LoopSlice(5);
  let fired = 0;
  const timer = setTimeout(() => (fired = performance.now()), 0);
  const start = performance.now();
  // Busy for 200 ms, as reading thousands of small files is; awaits of resolved promises alone
  // would keep the timer waiting until the end.
  while (performance.now() - start < 200) {
    await slice.turn();
    for (let i = 0; i < 1000; i++) Math.sqrt(i);
  }
  clearTimeout(timer);
  expect(fired).toBeGreaterThan(0);
  expect(fired - start).toBeLessThan(50);
});

test('not due right after a yield', async () => {
  const slice = new LoopSlice(1000);
  await slice.yield();
  expect(slice.due()).toBe(false);
});

test('a slice shared by many tasks wakes them a slice at a time, not all in one turn', async () => {
  const slice = new LoopSlice(5);
  const busy = (ms: number) => {
    const t = performance.now();
    while (performance.now() - t < ms);
  };
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    longest = Math.max(longest, performance.now() - last);
    last = performance.now();
  }, 1);
  busy(10); // the slice is due for everyone
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      await slice.turn();
      busy(1);
    }),
  );
  clearInterval(timer);
  expect(longest).toBeLessThan(40); // all 200 back to back would hold the loop ~200 ms
});

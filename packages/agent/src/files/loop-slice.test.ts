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

import { LoopSlice, runAtOnce, runSliced, type Steps } from './loop-slice';

test('a loop that turns the slice lets a timer run before it ends', async () => {
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
  const end = performance.now();
  clearTimeout(timer);
  expect(fired).toBeGreaterThan(0);
  expect(fired).toBeLessThan(end);
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
  // Counted in turns of the loop (a 1 ms interval fires once per turn), not in ms: a loaded
  // machine may pause the process at any time, but cannot make tasks share a turn.
  let turn = 0;
  const timer = setInterval(() => turn++, 1);
  const perTurn = new Map<number, number>();
  busy(10); // the slice is due for everyone
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      await slice.turn();
      perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
      busy(1);
    }),
  );
  clearInterval(timer);
  // ~5 tasks of 1 ms fit a 5 ms slice; all 200 back to back would share one turn
  expect(Math.max(...perTurn.values())).toBeLessThan(50);
  expect(perTurn.size).toBeGreaterThan(4);
});

describe('step generators', () => {
  /** 40 steps of 5 ms of work each; `seen` records whether the timer had fired at each step. */
  function* work(seen: boolean[], fired: () => boolean): Steps<number> {
    let sum = 0;
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      while (performance.now() - t < 5) sum += 1;
      seen.push(fired());
      yield;
    }
    return sum > 0 ? 40 : -1;
  }

  it('runSliced lets a timer run before the work ends; runAtOnce does not; both return its value', async () => {
    for (const run of ['sliced', 'at once'] as const) {
      let fired = false;
      const timer = setTimeout(() => (fired = true), 0);
      const seen: boolean[] = [];
      const steps = work(seen, () => fired);
      const value = run === 'sliced' ? await runSliced(steps, new LoopSlice(8)) : runAtOnce(steps);
      clearTimeout(timer);
      expect(value).toBe(40);
      expect(seen.some((x) => x)).toBe(run === 'sliced');
    }
  });
});

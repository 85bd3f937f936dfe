import { Backoff } from './backoff';

it('doubles from the initial delay up to the maximum, and resets', () => {
  const b = new Backoff(100, 1000, () => 0.5);
  expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
    100, 200, 400, 800, 1000, 1000,
  ]);
  expect(b.attempts).toBe(6);
  b.reset();
  expect(b.next()).toBe(100);
});

it('adds at most ±20% jitter', () => {
  expect(new Backoff(1000, 1000, () => 0).next()).toBe(800);
  expect(new Backoff(1000, 1000, () => 0.999999).next()).toBe(1200);
});

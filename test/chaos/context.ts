// What every scenario of the fault suite shares: the seed and its random source (printed, and
// SPARESYNC_SEED replays a run), the results table, and the pass condition of a scenario.
import { newResult, rng, seedFromEnv, type ScenarioResult } from '../harness/chaos';
import type { Pair } from '../harness/pair';

export const MiB = 1024 * 1024;
export const seed = seedFromEnv();
export const random = rng(seed);
export const results: ScenarioResult[] = [];
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A moment drawn from [fromMs, toMs). */
export const between = (fromMs: number, toMs: number): number =>
  fromMs + Math.floor(random() * (toMs - fromMs));

/** A scenario's result, recorded for the table. */
export function scenario(name: string, trials: number): ScenarioResult {
  const r = newResult(name, trials, seed);
  results.push(r);
  return r;
}

/** What a test asserts: no violation, and the notes to explain one if there is. */
export const outcome = (r: ScenarioResult) => ({ violations: r.violations, notes: r.notes });
export const clean = () => ({ violations: newResult('', 0, 0).violations, notes: [] });

/** Waits until each side reports both agents Working (after a partition or a clock jump heals). */
export async function waitLinkedAgain(pair: Pair, timeoutMs = 90_000): Promise<void> {
  for (const side of ['secondary', 'primary'] as const) {
    await pair.waitForStatus(
      side,
      'linked again',
      (x) => x.local.state === 'Working' && x.remote.state === 'Working',
      timeoutMs,
    );
  }
}

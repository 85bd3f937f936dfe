// Failover decides on time (issue 16): the secondary switches within a moment of the allowable
// response time passing since the first failed probe, and that probe comes within a fraction of a
// second of the outage. Played by an event-driven runner that honours `ScheduleTick` as the real
// one does (runner/runner.ts), ticks every second besides, and answers probes after a delay.
import { SUSPECT_PROBE_MS, SUSPECT_WINDOW_MS } from './criteria';
import { S, Sim } from './fixtures.test';
import type { Action, Observation } from './types';

const PROBE_MS = 20;
const ALLOWABLE_MS = 60 * S;

interface Run {
  /** Seconds after T0 at which the switch was decided (undefined: never). */
  decidedAt: number | undefined;
  /** Test page requests, ms after T0. */
  pageRequests: number[];
}

/** Link lost at `lostAt`, the page failing from `pageDownAt`, both ms after T0; runs to `untilMs`. */
function play(lostAt: number, pageDownAt: number, untilMs: number): Run {
  const sim = new Sim('secondary');
  sim.connected();
  const queue: { at: number; obs: Observation }[] = [];
  const push = (at: number, obs: Observation) => queue.push({ at, obs });
  for (let t = S; t <= untilMs; t += S) push(t, { type: 'Tick' });
  push(lostAt, { type: 'PeerLost', detail: 'the stream ended' });
  const pageRequests: number[] = [];
  let pageInFlight = false;
  const act = (a: Action, now: number) => {
    if (a.type === 'ScheduleTick') push(now + a.afterMs, { type: 'Tick' });
    if (a.type === 'CheckTestPage' && !a.step && !pageInFlight) {
      pageInFlight = true;
      pageRequests.push(now);
      push(now + PROBE_MS, { type: 'TestPageChecked', ok: now < pageDownAt, detail: 'page' });
    }
    if (a.type === 'CheckExternalResources')
      push(now + PROBE_MS, { type: 'ExternalResourcesChecked', ok: true, detail: 'ext' });
  };
  while (queue.length) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift() as { at: number; obs: Observation };
    if (next.at > untilMs) break;
    sim.at(next.at);
    if (next.obs.type === 'TestPageChecked') pageInFlight = false;
    const out = sim.feed(next.obs);
    if (sim.state.name === 'SwitchingToSecondary') return { decidedAt: next.at, pageRequests };
    for (const a of out.actions) act(a, next.at);
  }
  return { decidedAt: undefined, pageRequests };
}

test('the page fails 0.4 s after the link: decided within 0.5 s of the allowable time after it', () => {
  const lostAt = 10 * S;
  const pageDownAt = lostAt + 400;
  const run = play(lostAt, pageDownAt, 200 * S);
  expect(run.decidedAt).toBeDefined();
  const late = (run.decidedAt as number) - (pageDownAt + ALLOWABLE_MS);
  expect(late).toBeGreaterThan(0);
  expect(late).toBeLessThanOrEqual(SUSPECT_PROBE_MS + PROBE_MS + 10);
});

test('the page and the link fail together: decided as the allowable time passes', () => {
  const run = play(10 * S, 10 * S, 200 * S);
  const late = (run.decidedAt as number) - (10 * S + ALLOWABLE_MS);
  expect(late).toBeGreaterThan(0);
  expect(late).toBeLessThanOrEqual(PROBE_MS + 10);
});

test('the page keeps answering: fast probes only for the window after the link was lost', () => {
  const lostAt = 10 * S;
  const run = play(lostAt, Infinity, 60 * S);
  expect(run.decidedAt).toBeUndefined();
  const fast = run.pageRequests.filter((t) => t >= lostAt && t < lostAt + SUSPECT_WINDOW_MS);
  // About one every SUSPECT_PROBE_MS (plus the answer's delay), and a single chain of them.
  expect(fast.length).toBeGreaterThanOrEqual(SUSPECT_WINDOW_MS / (SUSPECT_PROBE_MS + PROBE_MS) - 2);
  expect(fast.length).toBeLessThanOrEqual(SUSPECT_WINDOW_MS / SUSPECT_PROBE_MS + 1);
  // Then back to the heartbeat pace (5 s in the fixtures).
  const after = run.pageRequests.filter((t) => t >= lostAt + SUSPECT_WINDOW_MS + S);
  expect(after.length).toBeLessThanOrEqual(Math.ceil((60 * S - lostAt - SUSPECT_WINDOW_MS) / (5 * S)) + 1);
});

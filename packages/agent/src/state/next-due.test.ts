// nextTickDue (issue 16): the runner skips the ticks before the moment it names, so every tick it
// skips must change nothing (no action, the same state), and the tick at that moment must do what
// was due. Each time-based condition of the machine is played here, and the ones it does not time
// (doubt on the secondary, a switch, a witness) must answer "every tick".
import { decide } from './machine';
import { nextTickDue } from './next-due';
import { ok, S, Sim, T0, testPage, types } from './fixtures.test';
import type { Observation, Step } from './types';

const tick: Observation = { type: 'Tick' };

/** Asserts that every second from now until `due` a Tick does nothing, and returns `due` (ms after T0). */
function quietUntilDue(sim: Sim): number {
  const due = nextTickDue(sim.state, sim.ctx());
  if (due === undefined || !Number.isFinite(due)) throw new Error(`no finite due moment: ${due}`);
  expect(due).toBeGreaterThan(sim.now);
  for (let t = sim.now + S; t < due; t += S) {
    const out = decide(sim.state, tick, { ...sim.ctx(), now: t });
    expect(out.actions).toEqual([]);
    expect(out.state).toEqual(sim.state);
  }
  const justBefore = decide(sim.state, tick, { ...sim.ctx(), now: due - 1 });
  expect(justBefore.actions).toEqual([]);
  return due - T0;
}

/** A connected secondary whose first probes (asked at T0, as it started) answered ok at 1 s. */
function healthySecondary(patch: ConstructorParameters<typeof Sim>[1] = {}): Sim {
  const sim = new Sim('secondary', patch).connected();
  expect(sim.state.facts.testPage.requestedAt).toBe(T0);
  expect(sim.state.facts.external.requestedAt).toBe(T0);
  sim.at(1 * S);
  sim.feed({ type: 'TestPageChecked', ok: true, detail: 'page' });
  sim.feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'ext' });
  return sim;
}

describe('nextTickDue', () => {
  test('a healthy secondary: quiet until its probes are due (availabilityCheckSeconds), then probes', () => {
    const sim = healthySecondary();
    const due = quietUntilDue(sim);
    expect(due).toBe(30 * S); // asked at 0 s, every 30 s
    sim.at(due);
    expect(types(sim.feed(tick).actions)).toEqual(['CheckTestPage', 'CheckExternalResources']);
  });

  test('without a test page: the external check alone sets the pace', () => {
    const sim = new Sim('secondary', { managedSystem: { testPage: testPage('') } }).connected();
    expect(sim.state.facts.external.requestedAt).toBe(T0);
    sim.at(2 * S).feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'ext' });
    expect(quietUntilDue(sim)).toBe(30 * S);
  });

  test('every tick while the primary is in doubt: the link lost, the page failing', () => {
    const lost = healthySecondary();
    lost.at(5 * S).feed({ type: 'PeerLost', detail: 'the stream ended' });
    expect(nextTickDue(lost.state, lost.ctx())).toBeUndefined();

    const failing = healthySecondary();
    failing.at(5 * S).feed({ type: 'TestPageChecked', ok: false, detail: '503' });
    expect(nextTickDue(failing.state, failing.ctx())).toBeUndefined();
  });

  test('every tick while external resources fail and through their recovery period, quiet after it', () => {
    const sim = healthySecondary();
    sim.at(5 * S).feed({ type: 'ExternalResourcesChecked', ok: false, detail: 'down' });
    expect(nextTickDue(sim.state, sim.ctx())).toBeUndefined();
    sim.at(6 * S).feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'back' });
    expect(nextTickDue(sim.state, sim.ctx())).toBeUndefined();
    sim.at(35 * S).feed(tick); // recovery is 30 s: still within
    expect(nextTickDue(sim.state, sim.ctx())).toBeUndefined();
    sim.at(36 * S);
    sim.feed(tick);
    expect(nextTickDue(sim.state, sim.ctx())).toBeDefined();
  });

  test('maintenance windows: quiet at most to the next whole minute outside one, every tick inside', () => {
    // T0 is Monday 10:00 UTC (offset 0 in the fixtures); the window starts at 10:01.
    const sim = healthySecondary({
      system: { availabilityCheckSeconds: 120 },
      maintenanceWindows: [{ days: ['mon'], start: '10:01', end: '10:03' }],
    });
    const due = quietUntilDue(sim);
    expect(due).toBe(60 * S);
    sim.at(due);
    const out = sim.feed(tick);
    expect(out.state.facts.maintenanceSeenAt).toBe(T0 + due);
    expect(nextTickDue(sim.state, sim.ctx())).toBeUndefined();
  });

  test('the DNS check: quiet until it is due on a primary, then asked', () => {
    const sim = new Sim('primary', { dns: { enabled: true } }).connected();
    expect(sim.state.facts.dns.requestedAt).toBe(T0);
    sim.at(1 * S).feed({ type: 'DnsChecked', ok: true, detail: 'ok' });
    const due = quietUntilDue(sim);
    expect(due).toBe(30 * S);
    sim.at(due);
    expect(types(sim.feed(tick).actions)).toEqual(['CheckDns']);
  });

  test('the fence watch: quiet until the next check of a fenced side, then checks', () => {
    const sim = new Sim('primary', { managedSystem: { statusCommand: 'app status', fenceCheckSeconds: 5 } });
    sim.connected();
    sim.at(1 * S);
    expect(types(sim.feed({ type: 'PeerHeartbeat', state: 'Switched', epoch: 1 }).actions)).toContain(
      'CheckManagedSystem',
    );
    sim.feed({ type: 'ManagedSystemChecked', running: false, detail: 'exit 3' });
    const due = quietUntilDue(sim);
    expect(due).toBe(6 * S);
    sim.at(due);
    expect(types(sim.feed(tick).actions)).toEqual(['CheckManagedSystem']);
  });

  test('nothing timed on a healthy primary: no due moment (the runner applies its ceiling)', () => {
    const sim = new Sim('primary').connected();
    expect(nextTickDue(sim.state, sim.ctx())).toBe(Infinity);
    for (let t = S; t < 120 * S; t += 7 * S) {
      const out = decide(sim.state, tick, { ...sim.ctx(), now: T0 + t });
      expect(out.actions).toEqual([]);
      expect(out.state).toEqual(sim.state);
    }
  });

  test('every tick during a switch (its retries run on time), with a witness, and Infinity when stopped', () => {
    const switching = new Sim('secondary', {}, { epoch: 1 });
    switching.feed({ type: 'AgentStarted' });
    expect(switching.state.name).toBe('SwitchingToSecondary');
    expect(nextTickDue(switching.state, switching.ctx())).toBeUndefined();
    switching.feed(ok('start-managed-system' as Step));
    expect(nextTickDue(switching.state, switching.ctx())).toBeUndefined();

    const witness = new Sim('primary', { witness: { leaseTtlSeconds: 10 } } as never).connected();
    expect(nextTickDue(witness.state, witness.ctx())).toBeUndefined();

    const stopped = new Sim('primary');
    expect(nextTickDue(stopped.state, stopped.ctx())).toBe(Infinity);
  });

  test('a turned-off agent with DNS checks on: DNS is not checked while off, so it sets no due moment', () => {
    const sim = new Sim('primary', { dns: { enabled: true } }, { epoch: 0, turnedOff: 'maintenance' });
    sim.feed({ type: 'AgentStarted' });
    expect(sim.state.name).toBe('TurnedOff');
    expect(nextTickDue(sim.state, sim.ctx())).toBe(Infinity);
  });
});

// The runner with the real state machine and recorded effects: order of execution, persistence
// before anything else, outcomes fed back, probes not doubled, failures reported.
import { createLogger, type Role } from '@sparesync/common';
import { makeSettings, local, peerHello, S, T0 } from '../state/fixtures.test';
import { describeState, type Observation } from '../state';
import { Runner, type Effects, type ProbeResult } from './runner';

interface World {
  calls: string[];
  page: boolean;
  dnsFails: number;
  pending: Array<() => void>;
}

function effects(w: World): Effects {
  const rec =
    (name: string) =>
    async (...args: unknown[]) => {
      w.calls.push(args.length ? `${name}(${args.join(',')})` : name);
    };
  const probe = (name: string, answer: (target?: Role) => ProbeResult) => (target?: Role) => {
    w.calls.push(target ? `${name}(${target})` : name);
    return new Promise<ProbeResult>((resolve) => w.pending.push(() => resolve(answer(target))));
  };
  return {
    persistEpoch: (e) => void w.calls.push(`persistEpoch(${e})`),
    persistTurnedOff: (c) => void w.calls.push(`persistTurnedOff(${c ?? ''})`),
    startManagedSystem: rec('start'),
    stopManagedSystem: rec('stop'),
    writeOfflineMarker: rec('writeMarker'),
    removeOfflineMarker: rec('removeMarker'),
    setReplication: (on) => void w.calls.push(`replication(${on})`),
    reverseSync: rec('reverseSync'),
    handOver: async () => {
      w.calls.push('handOver');
      return 'the primary stopped and drained';
    },
    takeWitnessKey: async (t) => {
      w.calls.push(`witness(${t.holder}@${t.epoch})`);
      return 'taken';
    },
    updateDns: async (from, to) => {
      w.calls.push(`dns(${from}->${to})`);
      if (w.dnsFails-- > 0) throw new Error('BADSIG from 127.0.0.1:53');
      return 'switched';
    },
    // The primary's page as the world says; the secondary's own page answers once it is started.
    checkTestPage: probe('page', (target) => {
      const ok = target === 'secondary' ? w.calls.includes('start') : w.page;
      return { ok, detail: ok ? '200' : 'refused' };
    }),
    checkExternalResources: probe('external', () => ({ ok: true, detail: 'ok' })),
    checkDns: probe('dnsCheck', () => ({ ok: true, detail: 'points at the primary' })),
    checkManagedSystem: async () => {
      w.calls.push('status');
      const running = w.calls.lastIndexOf('start') > w.calls.lastIndexOf('stop');
      return { running, detail: running ? 'running' : 'stopped' };
    },
    sendMessage: (code) => void w.calls.push(`message(${code})`),
    cancelMessage: (code) => void w.calls.push(`cancel(${code})`),
  };
}

const flush = () => new Promise((r) => setImmediate(r));

async function settle(w: World, clock: { t: number }, runner: Runner, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await flush();
    const answers = w.pending.splice(0);
    answers.forEach((a) => a());
    await flush();
    if (!answers.length && i > 2) return;
    void runner;
    void clock;
  }
}

function setup(role: Role, world: Partial<World> = {}) {
  const w: World = { calls: [], page: true, dnsFails: 0, pending: [], ...world };
  const clock = { t: T0 };
  const runner = new Runner({
    settings: makeSettings(role, { dns: { enabled: true } }),
    local: () => local,
    now: () => clock.t,
    log: createLogger({ level: 'error', console: false, label: role }),
    effects: effects(w),
    persisted: { epoch: 0 },
    tickMs: 3_600_000,
  });
  const feed = (o: Observation) => runner.feed(o);
  return { w, clock, runner, feed };
}

describe('runner', () => {
  test('a secondary that loses the primary runs the switch steps in order and ends Switched', async () => {
    const { w, clock, runner, feed } = setup('secondary');
    runner.start();
    feed(peerHello('primary'));
    await settle(w, clock, runner);
    expect(runner.state.name).toBe('Working');
    expect(w.calls).toContain('replication(true)');

    w.page = false;
    feed({ type: 'PeerLost', detail: 'no heartbeat' });
    for (let i = 0; i < 100 && runner.state.name !== 'Switched'; i++) {
      clock.t += 5 * S;
      feed({ type: 'Tick' });
      await settle(w, clock, runner);
    }
    expect(runner.state.name).toBe('Switched');
    const afterDecision = w.calls.slice(w.calls.indexOf('persistEpoch(1)'));
    expect(afterDecision).toEqual([
      'persistEpoch(1)',
      // The epoch that names this side ends the primary's outage as a condition to report.
      'cancel(MainAppInvisible)',
      'replication(false)',
      'start',
      'removeMarker',
      'page(secondary)',
      'dns(primary->secondary)',
      // Messages go out at once; the serial lane then resumes replication from this side.
      'message(SwitchedSuccessfully)',
      'replication(true)',
    ]);
    expect(runner.transitions().map((t) => t.to)).toEqual(
      expect.arrayContaining(['Working', 'Inactive', 'SwitchingToSecondary', 'Switched']),
    );
    await runner.stop('test over');
    expect(runner.state.name).toBe('Stopped');
  });

  test('a failing DNS step is retried, reported by name, and the switch completes when DNS works', async () => {
    const { w, clock, runner, feed } = setup('secondary', { dnsFails: 2 });
    runner.start();
    feed(peerHello('primary'));
    await settle(w, clock, runner);
    w.page = false;
    feed({ type: 'PeerLost', detail: 'no heartbeat' });
    const reasons: string[] = [];
    runner.on('changed', (state) => reasons.push(describeState(state).reason));
    for (let i = 0; i < 200 && runner.state.name !== 'Switched'; i++) {
      clock.t += 5 * S;
      feed({ type: 'Tick' });
      await settle(w, clock, runner);
    }
    expect(w.calls.filter((c) => c.startsWith('dns(')).length).toBe(3);
    expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/update-dns failed .*BADSIG/)]));
    expect(runner.state.name).toBe('Switched');
    expect(w.calls.filter((c) => c === 'start')).toHaveLength(1);
    await runner.stop('test over');
  });

  test('probes of one kind are not doubled while one is under way', async () => {
    const { w, runner, feed } = setup('secondary');
    runner.start();
    feed(peerHello('primary'));
    await flush();
    const before = w.calls.filter((c) => c === 'dnsCheck').length;
    for (let i = 0; i < 5; i++) feed({ type: 'Tick' });
    expect(w.calls.filter((c) => c === 'dnsCheck').length).toBe(before);
    await runner.stop('test over');
  });

  test('a primary that hears a higher epoch persists it before its marker and stop', async () => {
    const { w, clock, runner, feed } = setup('primary');
    runner.start();
    feed(peerHello('secondary'));
    await settle(w, clock, runner);
    feed({ type: 'PeerHeartbeat', state: 'Switched', epoch: 1 });
    await settle(w, clock, runner);
    expect(runner.state).toMatchObject({ name: 'Switched', fenced: true });
    expect(w.calls).toEqual(expect.arrayContaining(['persistEpoch(1)', 'writeMarker', 'stop']));
    expect(w.calls.indexOf('persistEpoch(1)')).toBeLessThan(w.calls.indexOf('writeMarker'));
    expect(w.calls.indexOf('writeMarker')).toBeLessThan(w.calls.indexOf('stop'));
  });

  test('a failed action is fed back as ActionFailed and shown with its error', async () => {
    const { w, clock, runner, feed } = setup('primary');
    const fx = (runner as unknown as { o: { effects: Effects } }).o.effects;
    fx.stopManagedSystem = () => Promise.reject(new Error('managedSystem.stopCommand exited with 3'));
    // The stop failed, so the fence watch finds it still running (and keeps trying).
    fx.checkManagedSystem = async () => ({ running: true, detail: 'still running' });
    runner.start();
    feed(peerHello('secondary'));
    await settle(w, clock, runner);
    feed({ type: 'PeerHeartbeat', state: 'Switched', epoch: 1 });
    await settle(w, clock, runner);
    expect(runner.state.facts.problems).toEqual([
      expect.objectContaining({
        source: 'action:StopManagedSystem',
        detail: 'StopManagedSystem failed: managedSystem.stopCommand exited with 3',
      }),
    ]);
  });

  test('the switch log follows one attempt and ends as the machine says: a halted hand-over undone is cancelled', async () => {
    const { w, clock, runner, feed } = setup('secondary');
    const fx = (runner as unknown as { o: { effects: Effects } }).o.effects;
    fx.handOver = () => Promise.reject(new Error('the primary refused the hand-over: stop failed'));
    runner.start();
    feed(peerHello('primary'));
    await settle(w, clock, runner);
    feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    await settle(w, clock, runner);
    const halted = runner.lastSwitch;
    expect(halted).toMatchObject({ phase: 'halted', currentStep: 'hand-over', endedAtMs: 0 });
    clock.t += S;
    feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    await settle(w, clock, runner);
    const retry = runner.lastSwitch;
    expect(retry).toMatchObject({ phase: 'halted', startedAtMs: clock.t, steps: [{ step: 'hand-over' }] });
    expect(retry?.id).not.toBe(halted?.id);
    clock.t += S;
    feed({ type: 'OperatorRequestedSwitch', to: 'undo' });
    expect(runner.state.name).toBe('Working');
    expect(runner.lastSwitch).toMatchObject({ id: retry?.id, phase: 'cancelled', endedAtMs: clock.t });
    await runner.stop('test over');
  });

  test('an action that succeeds after it failed clears its problem', async () => {
    const { w, clock, runner, feed } = setup('primary');
    const fx = (runner as unknown as { o: { effects: Effects } }).o.effects;
    const write = fx.writeOfflineMarker;
    fx.writeOfflineMarker = () => Promise.reject(new Error('EISDIR'));
    runner.start();
    feed(peerHello('secondary'));
    await settle(w, clock, runner);
    feed({ type: 'PeerHeartbeat', state: 'Switched', epoch: 1 });
    await settle(w, clock, runner);
    expect(runner.state.facts.problems.map((p) => p.source)).toContain('action:WriteOfflineMarker');
    fx.writeOfflineMarker = write;
    // A later fence (a higher epoch) writes the marker again, which now works.
    feed({ type: 'PeerHeartbeat', state: 'Switched', epoch: 3 });
    await settle(w, clock, runner);
    expect(runner.state.facts.problems).toEqual([]);
    expect(w.calls.filter((c) => c === 'writeMarker')).toHaveLength(1);
    await runner.stop('test over');
  });
});

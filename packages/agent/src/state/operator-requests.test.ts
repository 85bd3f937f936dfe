// Issue 12: switches that tell the truth. A switch is done when the new side serves; the state
// refuses what it does not allow; every attempt has its own id; an undo is a request like any other.
import { handOverRefusal } from './decisions';
import { plans } from './steps';
import { S, Sim, T0, fail, ok, stepOf, switchedWithFencedPrimary, types } from './fixtures.test';
import type { MachineState, Outcome, Step } from './types';

const progressOf = (st: MachineState) =>
  st.name === 'SwitchingToPrimary' || st.name === 'SwitchingToSecondary' ? st.progress : undefined;

/** Answers a step with failures until the machine halts it, ticking to each retry time. */
function failUntilHalted(sim: Sim, step: Step, error: string): Outcome[] {
  const outs: Outcome[] = [];
  for (let i = 0; i < 20; i++) {
    outs.push(sim.feed(fail(step, error)));
    const phase = progressOf(sim.state)?.phase;
    if (phase?.kind !== 'waiting') return outs;
    outs.push(sim.at(phase.retryAt - T0).feed({ type: 'Tick' }));
  }
  throw new Error(`step ${step} never halted`);
}

/** A switch back that ran up to its test-page step: the even epoch is persisted. */
function switchBackAtTestPage(): Sim {
  const sim = switchedWithFencedPrimary();
  sim.feed({ type: 'OperatorRequestedSwitch', to: 'primary' });
  // check-primary-ready completes inside the machine; the runner answers the others.
  const back = plans.SwitchingToPrimary;
  for (const step of back.slice(1, back.indexOf('check-test-page'))) sim.feed(ok(step));
  expect(sim.state).toMatchObject({ progress: { phase: { kind: 'running', step: 'check-test-page' } } });
  return sim;
}

describe('a switch is done when the side that now serves answers its test page', () => {
  test('a switch back whose primary does not serve halts at check-test-page and never moves DNS', () => {
    const sim = switchBackAtTestPage();
    const outs = failUntilHalted(sim, 'check-test-page', 'http://primary/health: connection refused');
    expect(sim.state).toMatchObject({
      name: 'SwitchingToPrimary',
      progress: { phase: { kind: 'halted', step: 'check-test-page' } },
    });
    expect(outs.flatMap((o) => types(o.actions))).not.toContain('UpdateDns');
    expect(outs.at(-1)?.reason).toMatch(
      /stopped at step check-test-page: .*connection refused; done: check-primary-ready, write-offline-marker, stop-managed-system, reverse-sync, persist-epoch/,
    );
  });

  test('undo of that switch hands the service back to the secondary (hand-over, odd epoch, start, DNS last)', () => {
    const sim = switchBackAtTestPage();
    failUntilHalted(sim, 'check-test-page', 'refused');
    const halted = progressOf(sim.state);
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'undo' });
    expect(sim.state.name).toBe('SwitchingToSecondary');
    expect(stepOf(out.actions)).toEqual(['HandOver:hand-over']);
    expect(out.ended).toEqual({ result: 'cancelled', progress: halted });
    // Every step after the skipped re-check, up to DNS.
    for (const step of plans.SwitchingToSecondary.slice(1, -1)) sim.feed(ok(step));
    const last = sim.feed(ok('update-dns'));
    expect(sim.state).toMatchObject({ name: 'Switched', fenced: false });
    expect(sim.state.facts.epoch).toBe(3);
    expect(last.ended?.result).toBe('completed');
  });

  test('the switch back completes once the page answers, then DNS moves', () => {
    const sim = switchBackAtTestPage();
    sim.feed(fail('check-test-page', 'still starting'));
    const phase = progressOf(sim.state)?.phase;
    if (phase?.kind !== 'waiting') throw new Error('expected a retry');
    expect(stepOf(sim.at(phase.retryAt - T0).feed({ type: 'Tick' }).actions)).toEqual([
      'CheckTestPage:check-test-page',
    ]);
    expect(stepOf(sim.feed(ok('check-test-page')).actions)).toEqual(['UpdateDns:update-dns']);
    const done = sim.feed(ok('update-dns'));
    expect(sim.state.name).toBe('Working');
    expect(done.ended?.result).toBe('completed');
    expect(done.ended?.progress.log.map((r) => r.step)).toContain('check-test-page');
  });
});

describe('the state refuses what it does not allow', () => {
  test.each<[string, 'primary' | 'secondary' | 'undo']>([
    ['to the secondary', 'secondary'],
    ['to the primary', 'primary'],
    ['undo', 'undo'],
  ])('turned off: a switch %s is refused with the reason, and nothing happens', (_name, to) => {
    const sim = new Sim('secondary').connected();
    sim.feed({ type: 'OperatorTurnedOff' });
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to });
    expect(sim.state.name).toBe('TurnedOff');
    expect(out.actions).toEqual([]);
    expect(out.reason).toMatch(
      /^SpareSync is turned off \(turned off by the operator\), .*turn it on \(sparesync on\) first$/,
    );
  });

  test.each<[string, () => Sim, RegExp]>([
    [
      'working secondary',
      () => new Sim('secondary').connected(),
      /no switch under way or halted to undo \(this server is Working\)/,
    ],
    [
      'switched secondary',
      switchedWithFencedPrimary,
      /no switch under way or halted to undo \(this server is Switched\)/,
    ],
    [
      'primary',
      () => new Sim('primary').connected(),
      /run by the secondary's agent.*ask it to undo the switch/,
    ],
  ])('undo with nothing to undo (%s) is refused and says why', (_name, make, why) => {
    const sim = make();
    const before = sim.state.name;
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'undo' });
    expect(sim.state.name).toBe(before);
    expect(out.actions).toEqual([]);
    expect(out.reason).toMatch(why);
  });

  test.each<[string, MachineState['name'], string | undefined]>([
    ['Working', 'Working', undefined],
    ['TurnedOff', 'TurnedOff', 'the primary is turned off (by the operator) and does not replicate'],
    [
      'ConfigurationError',
      'ConfigurationError',
      'the primary has configuration errors and does not replicate',
    ],
  ])('a primary in %s may hand over: %s', (_name, name, refusal) => {
    const state = {
      name,
      facts: new Sim('primary').state.facts,
      since: 0,
      cause: 'by the operator',
      reasons: ['x'],
    };
    const got = handOverRefusal(state as MachineState);
    if (refusal === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(refusal);
  });
});

describe('switch attempts and how they end', () => {
  /** A planned switch to the secondary halted at its hand-over (the epoch has not moved). */
  function haltedHandOver(): Sim {
    const sim = new Sim('secondary').connected();
    sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    sim.at(2 * S).feed(fail('hand-over', 'the primary refused the hand-over: drain timed out'));
    expect(sim.state).toMatchObject({ progress: { phase: { kind: 'halted', step: 'hand-over' } } });
    return sim;
  }

  test('a retry of a halted switch is a new attempt: its own id, start and log', () => {
    const sim = haltedHandOver();
    const first = progressOf(sim.state);
    const out = sim.at(5 * S).feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    const retry = progressOf(sim.state);
    expect(stepOf(out.actions)).toEqual(['HandOver:hand-over']);
    expect(retry?.id).not.toBe(first?.id);
    expect(retry).toMatchObject({ startedAt: T0 + 5 * S, log: [], requestedBy: 'operator' });
    expect(retry?.why).toBe(
      `the operator retried switch ${first?.id} from step hand-over (before it: recheck-criteria)`,
    );
  });

  test('undo of a switch halted before the epoch moved cancels it: the primary still serves', () => {
    const sim = haltedHandOver();
    const halted = progressOf(sim.state);
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'undo' });
    expect(sim.state.name).toBe('Working');
    expect(out.ended).toEqual({ result: 'cancelled', progress: halted });
    expect(out.reason).toMatch(/cancelled by the operator before the epoch changed/);
  });

  test('turned off in the middle: abandoned', () => {
    const sim = haltedHandOver();
    const out = sim.feed({ type: 'OperatorTurnedOff' });
    expect(sim.state.name).toBe('TurnedOff');
    expect(out.ended?.result).toBe('abandoned');
  });
});

describe('turning on clears what the operator has fixed', () => {
  /** A secondary whose epoch names the primary (after a switch back) and whose marker write failed. */
  function markerFailed(): Sim {
    const sim = new Sim('secondary', {}, { epoch: 2 });
    const start = sim.feed({ type: 'AgentStarted' });
    expect(types(start.actions)).toEqual(expect.arrayContaining(['WriteOfflineMarker', 'StopManagedSystem']));
    sim.feed({
      type: 'PeerConnected',
      peer: {
        ...sim.state.facts.peer,
        role: 'primary',
        version: '1.0.0',
        timeZone: 'Europe/Berlin',
        utcOffsetMinutes: 0,
        epoch: 2,
        state: 'Working',
      },
    });
    sim.feed({
      type: 'ActionFailed',
      action: 'WriteOfflineMarker',
      error: 'ENOENT: no such file or directory',
    });
    expect(sim.state.name).toBe('WorkingWithErrors');
    return sim;
  }

  test('on: the failed action is cleared and the fence asserted again (the marker is rewritten)', () => {
    const sim = markerFailed();
    const out = sim.feed({ type: 'OperatorTurnedOn' });
    expect(sim.state.name).toBe('Working');
    expect(types(out.actions)).toEqual(expect.arrayContaining(['WriteOfflineMarker', 'StopManagedSystem']));
  });

  test('off and on: the same', () => {
    const sim = markerFailed();
    sim.feed({ type: 'OperatorTurnedOff' });
    const out = sim.feed({ type: 'OperatorTurnedOn' });
    expect(sim.state.name).toBe('Working');
    expect(types(out.actions)).toEqual(expect.arrayContaining(['WriteOfflineMarker', 'StopManagedSystem']));
  });

  test('a fatal problem: on clears it', () => {
    const sim = new Sim('secondary').connected();
    sim.feed({ type: 'FileSyncProblem', fatal: true, folder: 'www', detail: 'cannot read' });
    expect(sim.state.name).toBe('TurnedOff');
    sim.feed({ type: 'OperatorTurnedOn' });
    expect(sim.state.name).toBe('Working');
  });

  test('a later success of the action clears its problem (ProblemCleared from the runner)', () => {
    const sim = markerFailed();
    sim.feed({ type: 'ProblemCleared', source: 'action:WriteOfflineMarker' });
    expect(sim.state.name).toBe('Working');
  });
});

// The switch back to the primary, step by step (run on the secondary): the steps in order, what
// a failure of each leaves, undo by switching to the secondary again. Right after a healed split:
// switch-back-wait.test.ts.
import { S, Sim, fail, messages, ok, stepOf, switchedWithFencedPrimary, types } from './fixtures.test';
import type { Action, Observation, Step } from './types';

describe('switching back to the primary (guide §10.1.3, run on the secondary)', () => {
  test('steps in order; the even epoch hands the managed system to the primary; replication goes on', () => {
    const sim = switchedWithFencedPrimary();
    let out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'primary' });
    expect(sim.state).toMatchObject({
      name: 'SwitchingToPrimary',
      progress: { log: [{ step: 'check-primary-ready', outcome: 'done' }] },
    });
    const expected: [Step, string, Partial<Action>][] = [
      ['write-offline-marker', 'WriteOfflineMarker:write-offline-marker', {}],
      ['stop-managed-system', 'StopManagedSystem:stop-managed-system', {}],
      ['reverse-sync', 'ReverseSync:reverse-sync', {}],
      ['persist-epoch', 'PersistEpoch:persist-epoch', { epoch: 2 }],
      ['check-test-page', 'CheckTestPage:check-test-page', { target: 'primary' }],
      ['update-dns', 'UpdateDns:update-dns', { from: 'secondary', to: 'primary' }],
    ];
    for (const [step, action, fields] of expected) {
      expect(stepOf(out.actions)).toEqual([action]);
      expect(out.actions.find((a) => 'step' in a)).toMatchObject(fields);
      out = sim.feed(ok(step));
    }
    expect(sim.state.name).toBe('Working');
    expect(sim.state.facts.epoch).toBe(2);
    // Replication never stopped on this side (it sent the reverse sync); the even epoch turns it
    // into the receiving side, so no action is needed.
    expect(sim.state.facts.replicating).toBe(true);
    expect(types(out.actions)).toEqual(['SendMessage']);
    expect(messages(out.actions)).toEqual(['SwitchedSuccessfully']);
    expect(out.reason).toBe('switched to the primary at epoch 2 in 0 s');
  });

  test('after the switch back, a test-page failure seen while the primary was fenced does not count', () => {
    const sim = switchedWithFencedPrimary();
    // While fenced, the primary's page failed (its managed system was stopped on purpose).
    sim.feed({ type: 'TestPageChecked', ok: false, detail: 'refused' });
    sim.feed({ type: 'OperatorRequestedSwitch', to: 'primary' });
    for (const step of [
      'write-offline-marker',
      'stop-managed-system',
      'reverse-sync',
      'persist-epoch',
      'check-test-page',
      'update-dns',
    ] as Step[])
      sim.feed(ok(step));
    expect(sim.state.name).toBe('Working');
    expect(sim.state.facts.testPage.ok).toBeUndefined();
    const later = sim.at(600 * S).feed({ type: 'Tick' });
    expect(sim.state.name).toBe('Working');
    expect(types(later.actions)).toContain('CheckTestPage');
  });

  test.each<[string, Observation | undefined, RegExp]>([
    ['not connected', { type: 'PeerLost', detail: 'gone' }, /the primary agent is not connected/],
    [
      'connected but not fenced',
      { type: 'PeerHeartbeat', state: 'TurnedOff', epoch: 1 },
      /the primary agent is in state TurnedOff/,
    ],
  ])('halts at once when the primary is %s', (_name, obs, why) => {
    const sim = switchedWithFencedPrimary();
    if (obs) sim.feed(obs);
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'primary' });
    expect(sim.state).toMatchObject({
      name: 'SwitchingToPrimary',
      progress: { phase: { kind: 'halted', step: 'check-primary-ready' } },
    });
    expect(out.reason).toMatch(why);
    expect(stepOf(out.actions)).toEqual([]);
    expect(messages(out.actions)).toEqual(['SwitchedFailed']);
  });

  test('a failed reverse sync can be undone by switching to the secondary again (guide §10.1.4)', () => {
    const sim = switchedWithFencedPrimary();
    sim.feed({ type: 'OperatorRequestedSwitch', to: 'primary' });
    sim.feed(ok('write-offline-marker'));
    sim.feed(ok('stop-managed-system'));
    sim.feed(fail('reverse-sync', 'disk full on the primary'));
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    // The epoch still names the secondary, so it restarts its managed system without a new epoch
    // (replication, which carried the reverse sync, stops for the switch first).
    expect(stepOf(out.actions)).toEqual(['StopReplication:stop-replication']);
    expect(stepOf(sim.feed(ok('stop-replication')).actions)).toEqual([
      'StartManagedSystem:start-managed-system',
    ]);
    expect(sim.state).toMatchObject({ name: 'SwitchingToSecondary' });
  });

  test('already on the primary: nothing to do', () => {
    const sim = new Sim('secondary').connected();
    expect(sim.feed({ type: 'OperatorRequestedSwitch', to: 'primary' })).toMatchObject({
      actions: [],
      reason: 'the primary already runs the managed system',
    });
  });
});

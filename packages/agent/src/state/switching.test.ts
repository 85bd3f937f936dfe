// The switch to the secondary, step by step: every step's action, success, failure,
// retry with backoff, operator retry, and what the operator sees (describeState).
import { describeState } from './describe';
import { S, Sim, fail, messages, ok, stepOf, types, type World } from './fixtures.test';
import type { Action, Observation, Outcome, Step } from './types';

const primaryDies: World = {
  page: (t) => t < 10 * S,
  external: () => true,
  events: [[10 * S, { type: 'PeerLost', detail: 'no heartbeat' }]],
};

/** A secondary that has just decided to switch (at T0 + 71 s). */
function decided(patch?: ConstructorParameters<typeof Sim>[1]): Sim {
  const sim = new Sim('secondary', { dns: { enabled: true }, ...patch });
  sim.connected().run(200 * S, primaryDies);
  expect(sim.state.name).toBe('SwitchingToSecondary');
  return sim;
}

/** Answers the re-check with the primary still down. */
function rechecked(sim: Sim): Outcome {
  sim.feed({ type: 'TestPageChecked', ok: false, detail: 'refused' });
  return sim.feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'ok' });
}

describe('switching to the secondary', () => {
  test('every step in order, each answered ok, ends Switched at epoch 1', () => {
    const sim = decided();
    const expected: [Step, string, Partial<Action>][] = [
      ['persist-epoch', 'PersistEpoch:persist-epoch', { epoch: 1 }],
      ['stop-replication', 'StopReplication:stop-replication', {}],
      ['start-managed-system', 'StartManagedSystem:start-managed-system', {}],
      ['remove-offline-marker', 'RemoveOfflineMarker:remove-offline-marker', {}],
      ['check-test-page', 'CheckTestPage:check-test-page', { target: 'secondary' }],
      ['update-dns', 'UpdateDns:update-dns', { from: 'primary', to: 'secondary' }],
    ];
    let out = rechecked(sim);
    for (const [step, action, fields] of expected) {
      expect(stepOf(out.actions)).toEqual([action]);
      expect(out.actions[0]).toMatchObject(fields);
      out = sim.feed(ok(step));
    }
    expect(sim.state).toMatchObject({ name: 'Switched', fenced: false });
    expect(sim.state.facts.epoch).toBe(1);
    // Replication resumes from this side: it keeps the old primary caught up whenever reachable.
    expect(out.actions).toEqual([
      { type: 'ResumeReplication' },
      { type: 'SendMessage', code: 'SwitchedSuccessfully', detail: out.reason },
    ]);
    expect(out.reason).toBe('switched to the secondary at epoch 1 in 0 s');
    expect(describeState(sim.state).reason).toMatch(
      /^this server runs the managed system since .* \(epoch 1\)$/,
    );
  });

  test('the epoch counts only once persisted: before that a returning primary is not fenced', () => {
    const sim = decided();
    rechecked(sim);
    expect(sim.state.facts.epoch).toBe(0);
    sim.feed(ok('persist-epoch'));
    expect(sim.state.facts.epoch).toBe(1);
  });

  test.each<[string, Observation[], RegExp]>([
    [
      'the primary answers again',
      [
        { type: 'TestPageChecked', ok: true, detail: '200' },
        { type: 'ExternalResourcesChecked', ok: true, detail: 'ok' },
      ],
      /answers its test page/,
    ],
    [
      'external resources went away',
      [
        { type: 'TestPageChecked', ok: false, detail: 'refused' },
        { type: 'ExternalResourcesChecked', ok: false, detail: 'timeout' },
      ],
      /isolated one/,
    ],
  ])('the re-check cancels the switch when %s; nothing irreversible ran', (_name, answers, why) => {
    const sim = decided();
    let out: Outcome | undefined;
    for (const a of answers) out = sim.feed(a);
    expect(sim.state.name).toBe('Inactive');
    expect(out!.reason).toMatch(/^switch cancelled at the re-check, no switch: /);
    expect(out!.reason).toMatch(why);
    expect(stepOf(out!.actions)).toEqual([]);
    expect(sim.state.facts.epoch).toBe(0);
  });

  test('the re-check waits for fresh answers to both probes', () => {
    const sim = decided();
    const out = sim.feed({ type: 'TestPageChecked', ok: false, detail: 'refused' });
    expect(out.actions).toEqual([]);
    expect(sim.state).toMatchObject({ progress: { phase: { step: 'recheck-criteria' } } });
  });

  const actionOf: Partial<Record<Step, Action['type']>> = {
    'persist-epoch': 'PersistEpoch',
    'stop-replication': 'StopReplication',
    'start-managed-system': 'StartManagedSystem',
    'remove-offline-marker': 'RemoveOfflineMarker',
  };
  test.each<[Step, Step[]]>([
    ['persist-epoch', []],
    ['stop-replication', ['persist-epoch']],
    ['start-managed-system', ['persist-epoch', 'stop-replication']],
    ['remove-offline-marker', ['persist-epoch', 'stop-replication', 'start-managed-system']],
  ])('a failure at %s halts with the list of what was done', (failing, done) => {
    const sim = decided();
    rechecked(sim);
    for (const step of done) sim.feed(ok(step));
    const out = sim.feed(fail(failing, 'exit code 3'));
    expect(sim.state).toMatchObject({
      name: 'SwitchingToSecondary',
      progress: { phase: { kind: 'halted', step: failing, error: 'exit code 3' } },
    });
    expect(messages(out.actions)).toEqual(['SwitchedFailed']);
    expect(stepOf(out.actions)).toEqual([]);
    const doneText = ['recheck-criteria', ...done].join(', ');
    expect(out.reason).toBe(
      `the switch to the secondary stopped at step ${failing}: exit code 3; done: ${doneText}`,
    );
    expect(describeState(sim.state).reason).toMatch(
      new RegExp(`^stopped at step \\d/8 ${failing}: exit code 3; done: ${doneText}; fix the cause`),
    );
    // Nothing happens by itself afterwards...
    expect(
      sim
        .at(10_000 * S)
        .feed({ type: 'Tick' })
        .actions.filter((a) => a.type !== 'CheckDns'),
    ).toEqual([]);
    // ...until the operator asks again: the failed step runs again.
    const again = sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    expect(stepOf(again.actions)).toEqual([`${actionOf[failing]}:${failing}`]);
  });

  test('DNS failures are reported by name and retried with backoff until they succeed', () => {
    const sim = decided();
    rechecked(sim);
    for (const step of [
      'persist-epoch',
      'stop-replication',
      'start-managed-system',
      'remove-offline-marker',
      'check-test-page',
    ] as Step[])
      sim.feed(ok(step));
    const t = sim.now;
    const first = sim.feed(fail('update-dns', 'NOTAUTH (BADSIG): TSIG key rejected'));
    expect(first.actions).toEqual([
      { type: 'ScheduleTick', afterMs: 1000, reason: 'retry step update-dns' },
      { type: 'SendMessage', code: 'SwitchedFailed', detail: first.reason },
    ]);
    expect(first.reason).toBe(
      'step update-dns failed (attempt 1): NOTAUTH (BADSIG): TSIG key rejected; retrying in 1 s',
    );
    expect(describeState(sim.state).reason).toMatch(/^step 8\/8 update-dns failed \(attempt 1\): NOTAUTH/);
    sim.now = t + 999;
    expect(sim.feed({ type: 'Tick' }).actions).toEqual([]);
    // The delays double: 1, 2, 4, 8 s … up to 30 s; only the first failure sends a message.
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      const due =
        sim.state.name === 'SwitchingToSecondary' && sim.state.progress.phase.kind === 'waiting'
          ? sim.state.progress.phase.retryAt
          : 0;
      sim.now = due;
      expect(stepOf(sim.feed({ type: 'Tick' }).actions)).toEqual(['UpdateDns:update-dns']);
      const out = sim.feed(fail('update-dns', 'timeout'));
      delays.push((out.actions.find((a) => a.type === 'ScheduleTick') as { afterMs: number }).afterMs);
      expect(messages(out.actions)).toEqual([]);
    }
    expect(delays).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    sim.now = (sim.state as { progress: { phase: { retryAt: number } } }).progress.phase.retryAt;
    sim.feed({ type: 'Tick' });
    const done = sim.feed(ok('update-dns'));
    expect(sim.state.name).toBe('Switched');
    expect(messages(done.actions)).toEqual(['SwitchedSuccessfully']);
  });

  test('the test page of the started managed system gets 8 attempts, then the switch halts', () => {
    const sim = decided();
    rechecked(sim);
    for (const step of [
      'persist-epoch',
      'stop-replication',
      'start-managed-system',
      'remove-offline-marker',
    ] as Step[])
      sim.feed(ok(step));
    for (let attempt = 1; attempt < 8; attempt++) {
      const out = sim.feed(fail('check-test-page', 'HTTP 503'));
      expect(types(out.actions)).toContain('ScheduleTick');
      sim.now += 30 * S;
      expect(stepOf(sim.feed({ type: 'Tick' }).actions)).toEqual(['CheckTestPage:check-test-page']);
    }
    sim.feed(fail('check-test-page', 'HTTP 503'));
    expect(sim.state).toMatchObject({ progress: { phase: { kind: 'halted', step: 'check-test-page' } } });
  });

  test('results for a step that is not running are ignored', () => {
    const sim = decided();
    rechecked(sim);
    const out = sim.feed(ok('update-dns'));
    expect(out).toMatchObject({ actions: [], reason: 'ignored a stale result of step update-dns' });
    expect(sim.state).toMatchObject({ progress: { phase: { step: 'persist-epoch' } } });
  });

  test('DNS switching disabled: the step is skipped and recorded as such', () => {
    const sim = decided({ dns: { enabled: false } });
    rechecked(sim);
    for (const step of [
      'persist-epoch',
      'stop-replication',
      'start-managed-system',
      'remove-offline-marker',
    ] as Step[])
      sim.feed(ok(step));
    sim.feed(ok('check-test-page'));
    expect(sim.state.name).toBe('Switched');
    const last = sim.log.at(-2)!.state;
    expect(
      last.name === 'SwitchingToSecondary' && last.progress.log.map((r) => `${r.step}:${r.outcome}`),
    ).toEqual([
      'recheck-criteria:done',
      'hand-over:skipped',
      'persist-epoch:done',
      'stop-replication:done',
      'start-managed-system:done',
      'remove-offline-marker:done',
    ]);
  });

  test('an operator switch with the primary connected skips the re-check and asks the primary to hand over first', () => {
    const sim = new Sim('secondary', { dns: { enabled: true } }).connected();
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    expect(out.actions).toEqual([{ type: 'HandOver', step: 'hand-over' }]);
    expect(sim.state).toMatchObject({
      progress: {
        requestedBy: 'operator',
        log: [{ step: 'recheck-criteria', outcome: 'skipped', detail: 'requested by the operator' }],
      },
    });
    // The epoch moves only once the primary has stopped and drained.
    expect(sim.state.facts.epoch).toBe(0);
    const next = sim.feed({
      type: 'SwitchStepFinished',
      step: 'hand-over',
      ok: true,
      detail: 'drained in 0.4 s',
    });
    expect(next.actions).toEqual([{ type: 'PersistEpoch', epoch: 1, step: 'persist-epoch' }]);
    expect(sim.state).toMatchObject({
      progress: {
        log: [
          { step: 'recheck-criteria' },
          { step: 'hand-over', outcome: 'done', detail: 'drained in 0.4 s' },
        ],
      },
    });
  });

  test('a hand-over the primary refuses halts the switch before the epoch moves', () => {
    const sim = new Sim('secondary', { dns: { enabled: true } }).connected();
    sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    const out = sim.feed(fail('hand-over', 'replication did not drain'));
    expect(sim.state).toMatchObject({
      name: 'SwitchingToSecondary',
      progress: { phase: { kind: 'halted', step: 'hand-over' } },
    });
    expect(stepOf(out.actions)).toEqual([]);
    expect(sim.state.facts.epoch).toBe(0);
  });

  test('an operator switch with the primary not connected skips the hand-over and says why', () => {
    const sim = new Sim('secondary', { dns: { enabled: true } });
    sim.feed({ type: 'AgentStarted' });
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    expect(out.actions).toEqual([{ type: 'PersistEpoch', epoch: 1, step: 'persist-epoch' }]);
    expect(sim.state).toMatchObject({
      progress: {
        log: [
          { step: 'recheck-criteria' },
          { step: 'hand-over', outcome: 'skipped', detail: expect.stringMatching(/not connected/) },
        ],
      },
    });
  });

  test('an automatic takeover never waits for the primary it replaces', () => {
    const sim = decided();
    rechecked(sim);
    const last = sim.state;
    expect(
      last.name === 'SwitchingToSecondary' &&
        last.progress.log.map((r) => `${r.step}:${r.outcome}:${r.detail}`),
    ).toEqual(
      expect.arrayContaining(['hand-over:skipped:an automatic takeover does not wait for the primary']),
    );
  });

  test('turned off by the operator mid-switch: TurnedOff says where it stopped', () => {
    const sim = decided();
    rechecked(sim);
    sim.feed(ok('persist-epoch'));
    const out = sim.feed({ type: 'OperatorTurnedOff' });
    expect(sim.state.name).toBe('TurnedOff');
    expect(out.reason).toBe(
      'turned off by the operator during the switch to the secondary (at step stop-replication, done: recheck-criteria, persist-epoch)',
    );
    // Replication was still running (its step had not come yet): turning off stops it.
    expect(types(out.actions)).toEqual(['PersistTurnedOff', 'StopReplication', 'SendMessage']);
  });

  test('a secondary restarted after (or during) a switch finishes it: persisting and fencing are skipped', () => {
    const sim = new Sim('secondary', { dns: { enabled: true } }, { epoch: 1 });
    const out = sim.feed({ type: 'AgentStarted' });
    expect(out.actions).toEqual([{ type: 'StartManagedSystem', step: 'start-managed-system' }]);
    expect(sim.state).toMatchObject({
      name: 'SwitchingToSecondary',
      progress: {
        requestedBy: 'resume',
        log: [
          { outcome: 'skipped' },
          { step: 'hand-over', outcome: 'skipped' },
          { step: 'persist-epoch', outcome: 'skipped' },
          { step: 'stop-replication', outcome: 'skipped' },
        ],
      },
    });
  });

  test('the primary refuses to run a switch: the secondary runs it', () => {
    const sim = new Sim('primary').connected();
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    expect(out).toMatchObject({ actions: [], reason: expect.stringMatching(/run by the secondary's agent/) });
    expect(sim.state.name).toBe('Working');
  });
});

// Transitions outside switching: start and stop, the link, configuration errors (guide §8.1),
// synchronisation problems, the operator's on/off, messages on edges, and purity.
import { describeState, pushHistory, transitionOf } from './describe';
import { messages, peerHello, S, Sim, T0, types } from './fixtures.test';
import { decide } from './machine';
import type { MachineState, Observation } from './types';

describe('start, link and stop', () => {
  test('start: Inactive until the peer is reached, replication handed to the runner', () => {
    const sim = new Sim('primary');
    expect(sim.state.name).toBe('Stopped');
    const out = sim.feed({ type: 'AgentStarted' });
    expect(out.actions).toEqual([{ type: 'ResumeReplication' }]);
    expect(describeState(sim.state)).toEqual({
      name: 'Inactive',
      reason: `the peer has not been reached since ${new Date(T0).toISOString()}`,
    });
    expect(sim.feed(peerHello('secondary')).reason).toBe(
      'Inactive -> Working: connected to the peer, no problems',
    );
  });

  test('observations before start are ignored', () => {
    const sim = new Sim('primary');
    expect(sim.feed({ type: 'Tick' })).toMatchObject({
      actions: [],
      reason: 'ignored Tick: the agent has not started',
    });
  });

  test('peer lost: Inactive since then, MissingConnection once', () => {
    const sim = new Sim('primary').connected();
    sim.at(42 * S);
    const out = sim.feed({ type: 'PeerLost', detail: 'no heartbeat for 15 s' });
    expect(sim.state).toMatchObject({ name: 'Inactive', peerLostAt: T0 + 42 * S });
    expect(out.actions).toEqual([
      { type: 'SendMessage', code: 'MissingConnection', detail: 'no heartbeat for 15 s' },
    ]);
    expect(sim.feed({ type: 'PeerLost', detail: 'again' }).actions).toEqual([]);
  });

  test.each([
    [false, ['OtherStoppedNotify']],
    [true, []],
  ])('the primary said Goodbye (switchIfRemoteStopped %s): messages %j', (setting, codes) => {
    const sim = new Sim('secondary', { system: { switchIfRemoteStopped: setting } }).connected();
    const out = sim.feed({ type: 'PeerStopped', reason: 'SIGTERM' });
    expect(messages(out.actions)).toEqual(codes);
    expect(describeState(sim.state).reason).toMatch(/^the peer stopped on purpose \(it said Goodbye\)/);
  });

  test('stopping: Stopped, replication stopped', () => {
    const sim = new Sim('primary').connected();
    const out = sim.feed({ type: 'AgentStopping', reason: 'SIGTERM' });
    expect(out.actions).toEqual([{ type: 'StopReplication' }]);
    expect(sim.state).toMatchObject({ name: 'Stopped', reason: 'stopped: SIGTERM' });
  });
});

describe('configuration errors (guide §8.1)', () => {
  test.each<[string, Observation, RegExp]>([
    ['1: identical roles', peerHello('primary'), /both servers have the role primary/],
    [
      '2: different versions',
      peerHello('secondary', { version: '2.0.0' }),
      /different versions: this server runs 1\.0\.0, the peer 2\.0\.0/,
    ],
    [
      '3: clocks too far apart',
      { type: 'ClockOffsetMeasured', offsetMs: -31_000 },
      /clocks differ by 31\.0 s/,
    ],
    [
      '4: different time zones',
      peerHello('secondary', { timeZone: 'Asia/Tokyo', utcOffsetMinutes: 540 }),
      /the peer Asia\/Tokyo \(UTC\+09:00\)/,
    ],
    [
      '5: DNS name points elsewhere',
      { type: 'DnsChecked', ok: false, detail: 'www.example.com is 192.0.2.9' },
      /does not point at the primary or the secondary: www\.example\.com is 192\.0\.2\.9/,
    ],
    [
      'pair key mismatch',
      { type: 'PeerHandshakeFailed', reason: 'pair key proof does not match' },
      /handshake with the peer failed: pair key proof/,
    ],
  ])('%s → ConfigurationError, replication stopped, message sent', (_name, obs, why) => {
    const sim = new Sim('primary', { dns: { enabled: true } }).connected();
    const out = sim.feed(obs);
    expect(sim.state.name).toBe('ConfigurationError');
    expect(describeState(sim.state).reason).toMatch(why);
    expect(out.actions).toEqual([
      { type: 'StopReplication' },
      {
        type: 'SendMessage',
        code: 'ConfigurationError',
        detail: expect.stringMatching(why),
        source: expect.any(String),
      },
    ]);
  });

  test('a DNS server that does not answer is a warning, not a configuration error, and clears itself', () => {
    const sim = new Sim('secondary', { dns: { enabled: true } }).connected();
    const out = sim.feed({ type: 'DnsChecked', ok: false, unreachable: true, detail: 'TIMEOUT after 2 s' });
    expect(sim.state.name).toBe('WorkingWithErrors');
    expect(describeState(sim.state).reason).toMatch(
      /DNS server could not be reached to check the managed system's name: TIMEOUT after 2 s/,
    );
    expect(types(out.actions)).not.toContain('StopReplication');
    sim.feed({ type: 'DnsChecked', ok: true, detail: 'primary' });
    expect(sim.state.name).toBe('Working');
  });

  test.each<[string, Observation, Observation]>([
    [
      'clock',
      { type: 'ClockOffsetMeasured', offsetMs: 60_000 },
      { type: 'ClockOffsetMeasured', offsetMs: 100 },
    ],
    ['version', peerHello('secondary', { version: '2.0.0' }), peerHello('secondary')],
    ['pair key', { type: 'PeerHandshakeFailed', reason: 'bad proof' }, peerHello('secondary')],
    [
      'DNS',
      { type: 'DnsChecked', ok: false, detail: 'elsewhere' },
      { type: 'DnsChecked', ok: true, detail: 'primary' },
    ],
  ])('%s error fixed', (_name, broken, fixed) => {
    // switchAfterConfigErrorsFixed on: back to operation by itself.
    const auto = new Sim('primary', { system: { switchAfterConfigErrorsFixed: true } }).connected();
    auto.feed(broken);
    const back = auto.feed(fixed);
    expect(auto.state.name).toBe('Working');
    expect(back.reason).toMatch(
      /^the configuration errors are fixed and system.switchAfterConfigErrorsFixed is on/,
    );
    // The fix ends the condition: a ConfigurationError message still in its delay is not sent.
    expect(types(back.actions)).toEqual(['ResumeReplication', 'CancelMessage']);

    // Off (the default): TurnedOff, waiting for the operator; persisted so a restart keeps it.
    const manual = new Sim('primary').connected();
    manual.feed(broken);
    const wait = manual.feed(fixed);
    expect(manual.state).toMatchObject({
      name: 'TurnedOff',
      cause: expect.stringMatching(/fixed; turn SpareSync on to resume/),
    });
    expect(types(wait.actions)).toEqual(['PersistTurnedOff', 'SendMessage', 'CancelMessage']);
    const on = manual.feed({ type: 'OperatorTurnedOn' });
    expect(manual.state.name).toBe('Working');
    expect(on.actions).toEqual([
      { type: 'PersistTurnedOff', turnedOff: false, cause: '' },
      { type: 'ResumeReplication' },
      { type: 'SendMessage', code: 'TurnedOn', detail: 'turned on by the operator' },
    ]);
  });

  test('turning on while a configuration error remains keeps the error', () => {
    const sim = new Sim('primary').connected();
    sim.feed({ type: 'ClockOffsetMeasured', offsetMs: 60_000 });
    const out = sim.feed({ type: 'OperatorTurnedOn' });
    expect(sim.state.name).toBe('ConfigurationError');
    expect(out.reason).toMatch(/^cannot turn on, configuration errors remain: the clocks differ/);
  });

  test('a second, different reason adds to the list and is reported', () => {
    const sim = new Sim('primary').connected();
    sim.feed({ type: 'ClockOffsetMeasured', offsetMs: 60_000 });
    const out = sim.feed(peerHello('secondary', { version: '9' }));
    expect(sim.state).toMatchObject({
      reasons: [expect.stringMatching(/clocks/), expect.stringMatching(/versions/)],
    });
    expect(messages(out.actions)).toEqual(['ConfigurationError']);
  });
});

describe('synchronisation problems', () => {
  test.each<[string, Observation, 'WorkingWithErrors' | 'TurnedOff', string]>([
    [
      'file warning',
      { type: 'FileSyncProblem', fatal: false, folder: 'www', detail: 'permission denied' },
      'WorkingWithErrors',
      'FileSyncProblemWarn',
    ],
    [
      'file fatal',
      { type: 'FileSyncProblem', fatal: true, folder: 'www', detail: 'disk full' },
      'TurnedOff',
      'FileSyncProblemFatal',
    ],
    [
      'database warning',
      { type: 'DbSyncProblem', fatal: false, connection: false, detail: 'batch retried' },
      'WorkingWithErrors',
      'DbSyncProblemWarn',
    ],
    [
      'database fatal',
      { type: 'DbSyncProblem', fatal: true, connection: false, detail: 'position lost' },
      'TurnedOff',
      'DbSyncProblemFatal',
    ],
    [
      'database reinitialisation required (reinitOnError off)',
      {
        type: 'DbSyncProblem',
        fatal: true,
        connection: false,
        detail: 'position lost',
        reinitRequired: true,
      },
      'TurnedOff',
      'DbSyncReInitRequired',
    ],
  ])('%s → %s', (_name, obs, state, code) => {
    const sim = new Sim('primary').connected();
    const out = sim.feed(obs);
    expect(sim.state.name).toBe(state);
    // Its own code only (TurnedOff comes with the fatal ones).
    expect(messages(out.actions).filter((m) => m !== 'TurnedOff')).toEqual([code]);
  });

  test.each<[boolean, boolean, string]>([
    // dbConnectionErrorsFatal, the adapter's own "fatal", resulting state
    [true, false, 'TurnedOff'],
    [false, false, 'WorkingWithErrors'],
    [false, true, 'WorkingWithErrors'],
  ])(
    'database connection error with dbConnectionErrorsFatal %s (reported fatal: %s) → %s',
    (setting, fatal, state) => {
      const sim = new Sim('primary', { system: { dbConnectionErrorsFatal: setting } }).connected();
      sim.feed({ type: 'DbSyncProblem', fatal, connection: true, detail: 'ECONNREFUSED' });
      expect(sim.state.name).toBe(state);
    },
  );

  test('a warning clears: back to Working', () => {
    const sim = new Sim('primary').connected();
    sim.feed({ type: 'FileSyncProblem', fatal: false, folder: 'www', detail: 'locked file' });
    expect(describeState(sim.state)).toEqual({
      name: 'WorkingWithErrors',
      reason: 'folder www: locked file',
    });
    sim.feed({ type: 'ProblemCleared', source: 'files:www' });
    expect(sim.state.name).toBe('Working');
  });

  test('a fatal problem turns SpareSync off until the operator turns it on', () => {
    const sim = new Sim('primary').connected();
    const off = sim.feed({ type: 'FileSyncProblem', fatal: true, folder: 'www', detail: 'disk full' });
    expect(types(off.actions)).toEqual(['PersistTurnedOff', 'StopReplication', 'SendMessage', 'SendMessage']);
    sim.feed({ type: 'ProblemCleared', source: 'files:www' });
    expect(sim.state.name).toBe('TurnedOff');
    sim.feed({ type: 'OperatorTurnedOn' });
    expect(sim.state.name).toBe('Working');
  });
});

describe('the operator', () => {
  test('off and on', () => {
    const sim = new Sim('secondary').connected();
    const off = sim.feed({ type: 'OperatorTurnedOff' });
    expect(off.actions).toEqual([
      { type: 'PersistTurnedOff', turnedOff: true, cause: 'turned off by the operator' },
      { type: 'StopReplication' },
      { type: 'SendMessage', code: 'TurnedOff', detail: 'turned off by the operator' },
    ]);
    // Turned off takes no action: no probes, whatever time passes.
    expect(sim.at(3600 * S).feed({ type: 'Tick' }).actions).toEqual([]);
    expect(sim.feed({ type: 'OperatorTurnedOn' }).state.name).toBe('Working');
  });

  test('a restart keeps SpareSync turned off', () => {
    const sim = new Sim('secondary', {}, { epoch: 0, turnedOff: 'turned off by the operator' });
    const out = sim.feed({ type: 'AgentStarted' });
    expect(out).toMatchObject({ actions: [], reason: 'started turned off: turned off by the operator' });
    expect(sim.state.name).toBe('TurnedOff');
  });
});

describe('messages on the edges of probes (secondary)', () => {
  test('MainAppInvisible when the test page starts failing, MainAppVisible when it is back, once each', () => {
    const sim = new Sim('secondary').connected();
    const page = (ok: boolean) =>
      messages(sim.feed({ type: 'TestPageChecked', ok, detail: ok ? '200' : '503' }).actions);
    expect(page(true)).toEqual([]);
    expect(page(false)).toEqual(['MainAppInvisible']);
    expect(page(false)).toEqual([]);
    expect(page(true)).toEqual(['MainAppVisible']);
    const ext = (ok: boolean) =>
      messages(sim.feed({ type: 'ExternalResourcesChecked', ok, detail: '' }).actions);
    expect(ext(false)).toEqual(['ExternalResourcesInvisible']);
    expect(ext(false)).toEqual([]);
  });

  test('the DNS check runs on both servers at the availability frequency when DNS switching is on', () => {
    for (const role of ['primary', 'secondary'] as const) {
      const sim = new Sim(role, { dns: { enabled: true } }).connected();
      expect(sim.log.flatMap((o) => types(o.actions)).filter((t) => t === 'CheckDns')).toHaveLength(1);
      expect(types(sim.at(29 * S).feed({ type: 'Tick' }).actions)).not.toContain('CheckDns');
      expect(types(sim.at(30 * S).feed({ type: 'Tick' }).actions)).toContain('CheckDns');
    }
    const off = new Sim('primary').connected();
    expect(types(off.feed({ type: 'Tick' }).actions)).not.toContain('CheckDns');
  });
});

describe('purity and history', () => {
  function deepFreeze<T>(o: T): T {
    if (o && typeof o === 'object') {
      Object.values(o).forEach(deepFreeze);
      Object.freeze(o);
    }
    return o;
  }

  test('decide never changes its input state', () => {
    const sim = new Sim('primary').connected();
    const frozen = deepFreeze(structuredClone(sim.state)) as MachineState;
    const copy = structuredClone(frozen);
    for (const obs of [
      { type: 'PeerHeartbeat', state: 'Switched', epoch: 1 },
      { type: 'OperatorTurnedOff' },
      { type: 'FileSyncProblem', fatal: false, folder: 'a', detail: 'b' },
    ] as Observation[]) {
      decide(frozen, obs, sim.ctx());
    }
    expect(frozen).toEqual(copy);
  });

  test('the same input gives the same output', () => {
    const sim = new Sim('secondary').connected();
    const a = decide(sim.state, { type: 'PeerLost', detail: 'x' }, sim.ctx());
    const b = decide(sim.state, { type: 'PeerLost', detail: 'x' }, sim.ctx());
    expect(a).toEqual(b);
  });

  test('transitionOf and pushHistory keep a bounded log of state changes', () => {
    const sim = new Sim('primary');
    let history: ReturnType<typeof transitionOf>[] = [];
    for (const obs of [
      { type: 'AgentStarted' },
      peerHello('secondary'),
      { type: 'Tick' },
      { type: 'OperatorTurnedOff' },
    ] as Observation[]) {
      const before = sim.state;
      const entry = transitionOf(before, sim.feed(obs), sim.now);
      if (entry) history = pushHistory(history, entry, 2);
    }
    expect(history.map((h) => `${h!.from} -> ${h!.to}`)).toEqual([
      'Inactive -> Working',
      'Working -> TurnedOff',
    ]);
    expect(history[1]).toEqual({
      atMs: T0,
      from: 'Working',
      to: 'TurnedOff',
      reason: 'turned off by the operator',
      epoch: 0,
    });
  });

  test('pushHistory does not change its input', () => {
    const h = Object.freeze([1, 2, 3]);
    expect(pushHistory(h, 4, 3)).toEqual([2, 3, 4]);
    expect(pushHistory(h, 4, 10)).toEqual([1, 2, 3, 4]);
    expect(pushHistory(h, 4, 0)).toEqual([]);
    expect(h).toEqual([1, 2, 3]);
  });
});

// Guide §10.1.1, criterion by criterion, both ways, on evaluateSwitch alone. The same criteria
// are exercised through decide() with a simulated runner in switch-criteria.test.ts.
import { dueMonitorProbes, evaluateSwitch, secs } from './criteria';
import { initialFacts } from './facts';
import { local, makeSettings, S, T0, testPage } from './fixtures.test';
import type { Facts, PeerFacts, Probe } from './types';

const NOW = T0 + 100 * S;
const probe = (p: Partial<Probe>): Probe => ({
  ok: undefined,
  detail: '',
  changedAt: undefined,
  checkedAt: NOW,
  requestedAt: NOW,
  recoveredAt: undefined,
  ...p,
});

/** The primary died at T0+10 s: link lost, test page failing since then, external resources fine. */
function primaryDown(peer: Partial<PeerFacts> = {}, over: Partial<Facts> = {}): Facts {
  return {
    ...initialFacts(0),
    peer: {
      connected: false,
      identity: { role: 'primary', ...local },
      state: 'Working',
      epoch: 0,
      lastSeenAt: T0 + 10 * S,
      lostAt: T0 + 10 * S,
      saidGoodbye: false,
      ...peer,
    },
    testPage: probe({ ok: false, changedAt: T0 + 10 * S, detail: 'connection refused' }),
    external: probe({ ok: true, changedAt: T0 }),
    ...over,
  };
}
const linkUp = { connected: true, lostAt: undefined };

type Row = [string, Parameters<typeof makeSettings>[1], Facts, number, RegExp | 'go'];
const rows: Row[] = [
  // precondition: the managed system is unavailable from here
  ['baseline: primary unreachable 90 s > 60 s', {}, primaryDown(), NOW, 'go'],
  [
    'test page not checked yet',
    {},
    primaryDown({}, { testPage: probe({}) }),
    NOW,
    /test page has not been checked yet/,
  ],
  [
    'link down but the test page answers',
    {},
    primaryDown({}, { testPage: probe({ ok: true }) }),
    NOW,
    /link .* is down, but its managed system still answers/,
  ],
  [
    'link up and test page answers',
    {},
    primaryDown(linkUp, { testPage: probe({ ok: true }) }),
    NOW,
    /answers its test page$/,
  ],
  // 1. the link to the primary's agent
  [
    '1: link up, managed system down, switchWhenManagedSystemDownLinkUp on',
    {},
    primaryDown(linkUp),
    NOW,
    'go',
  ],
  [
    '1: link up, managed system down, setting off',
    { system: { switchWhenManagedSystemDownLinkUp: false } },
    primaryDown(linkUp),
    NOW,
    /switchWhenManagedSystemDownLinkUp is off/,
  ],
  [
    '1: no test page configured, link down',
    { managedSystem: { testPage: testPage('') } },
    primaryDown({}, { testPage: probe({}) }),
    NOW,
    'go',
  ],
  [
    '1: no test page configured, link up',
    { managedSystem: { testPage: testPage('') } },
    primaryDown(linkUp, { testPage: probe({}) }),
    NOW,
    /link is the only signal/,
  ],
  // 2. the primary agent's own state
  [
    '2: primary said Goodbye, switchIfRemoteStopped off',
    {},
    primaryDown({ saidGoodbye: true }),
    NOW,
    /stopped on purpose .*switchIfRemoteStopped is off/,
  ],
  [
    '2: primary said Goodbye, switchIfRemoteStopped on',
    { system: { switchIfRemoteStopped: true } },
    primaryDown({ saidGoodbye: true }),
    NOW,
    'go',
  ],
  [
    '2: primary was TurnedOff, then stopped, switchIfRemoteStopped on',
    { system: { switchIfRemoteStopped: true } },
    primaryDown({ saidGoodbye: true, state: 'TurnedOff' }),
    NOW,
    /last in state TurnedOff/,
  ],
  [
    '2: primary was TurnedOff',
    {},
    primaryDown({ state: 'TurnedOff' }),
    NOW,
    /last in state TurnedOff, not in working condition/,
  ],
  [
    '2: primary had a ConfigurationError',
    {},
    primaryDown({ state: 'ConfigurationError' }),
    NOW,
    /last in state ConfigurationError/,
  ],
  ['2: primary was WorkingWithErrors', {}, primaryDown({ state: 'WorkingWithErrors' }), NOW, 'go'],
  ['2: primary was Inactive (it had lost us)', {}, primaryDown({ state: 'Inactive' }), NOW, 'go'],
  [
    '2: primary never reached since start',
    {},
    primaryDown({ identity: undefined, state: 'Unknown', lostAt: undefined }),
    NOW,
    /not been reached since this agent started/,
  ],
  // 3. switch automatically
  [
    '3: switchAutomatically off',
    { system: { switchAutomatically: false } },
    primaryDown(),
    NOW,
    /switchAutomatically is off/,
  ],
  // 4. maintenance windows (T0 is Monday 10:00 at offset 0)
  [
    '4: inside a maintenance window',
    { maintenanceWindows: [{ days: ['mon'], start: '10:00', end: '11:00' }] },
    primaryDown(),
    NOW,
    /inside the maintenance window mon 10:00–11:00/,
  ],
  [
    '4: window on another day',
    { maintenanceWindows: [{ days: ['tue'], start: '10:00', end: '11:00' }] },
    primaryDown(),
    NOW,
    'go',
  ],
  [
    '4: unavailability counts from the end of the window: 45 s',
    {},
    primaryDown({}, { maintenanceSeenAt: NOW - 45 * S }),
    NOW,
    /unreachable for 45 s, not more than the allowable 60 s/,
  ],
  [
    '4: unavailability counts from the end of the window: 61 s',
    {},
    primaryDown({}, { maintenanceSeenAt: NOW - 61 * S }),
    NOW,
    'go',
  ],
  // 5. external resources
  [
    '5: external resources unreachable',
    {},
    primaryDown({}, { external: probe({ ok: false, detail: '8.8.8.8:53 timed out' }) }),
    NOW,
    /unreachable from this server \(8\.8\.8\.8:53 timed out\); it may be the isolated one/,
  ],
  [
    '5: external resources not checked yet',
    {},
    primaryDown({}, { external: probe({}) }),
    NOW,
    /external resources have not been checked yet/,
  ],
  [
    '5: back 29 s ago, recovery 30 s',
    {},
    primaryDown({}, { external: probe({ ok: true, recoveredAt: NOW - 29 * S }) }),
    NOW,
    /came back 29 s ago, within the recovery period of 30 s/,
  ],
  [
    '5: back exactly 30 s ago, recovery 30 s',
    {},
    primaryDown({}, { external: probe({ ok: true, recoveredAt: NOW - 30 * S }) }),
    NOW,
    'go',
  ],
  [
    '5: recovery period 0',
    { system: { externalResourcesRecoverySeconds: 0 } },
    primaryDown({}, { external: probe({ ok: true, recoveredAt: NOW }) }),
    NOW,
    'go',
  ],
  // 6. longer than the allowable response time (strictly)
  [
    '6: unavailable exactly the allowable 60 s',
    {},
    primaryDown(),
    T0 + 70 * S,
    /for 60 s, not more than the allowable 60 s/,
  ],
  ['6: unavailable 60.001 s', {}, primaryDown(), T0 + 70 * S + 1, 'go'],
  [
    '6: a longer allowable time',
    { system: { allowableResponseTimeSeconds: 120 } },
    primaryDown(),
    NOW,
    /for 90 s, not more than the allowable 120 s/,
  ],
];

describe('evaluateSwitch', () => {
  test.each(rows)('%s', (_name, patch, facts, now, expected) => {
    const verdict = evaluateSwitch(facts, { settings: makeSettings('secondary', patch), now, local });
    if (expected === 'go') {
      expect(verdict).toMatchObject({
        go: true,
        reason: expect.stringMatching(
          /^switching to the secondary: .* > allowable \d+ s, external resources reachable$/,
        ),
      });
    } else {
      expect(verdict.go).toBe(false);
      expect(verdict.reason).toMatch(/^no switch: /);
      expect(verdict.reason).toMatch(expected);
    }
  });

  test('the go sentence names the duration and the limit, Patroni style', () => {
    const verdict = evaluateSwitch(primaryDown(), {
      settings: makeSettings('secondary'),
      now: T0 + 74 * S,
      local,
    });
    expect(verdict).toEqual({
      go: true,
      linkUp: false,
      reason:
        'switching to the secondary: the primary is unreachable for 64 s > allowable 60 s, external resources reachable',
    });
  });
});

describe('probe schedule', () => {
  const ctx = (now: number) => ({ settings: makeSettings('secondary'), now, local });
  const healthy = primaryDown(linkUp, {
    testPage: probe({ ok: true, requestedAt: T0 }),
    external: probe({ ok: true, requestedAt: T0 }),
  });

  test('healthy primary: every availabilityCheckSeconds (30 s)', () => {
    expect(dueMonitorProbes(healthy, ctx(T0 + 29 * S), false).actions).toEqual([]);
    const due = dueMonitorProbes(healthy, ctx(T0 + 30 * S), false);
    expect(due.actions).toEqual([
      { type: 'CheckTestPage', target: 'primary' },
      { type: 'CheckExternalResources' },
    ]);
    expect(due.facts.testPage.requestedAt).toBe(T0 + 30 * S);
  });

  test('primary in doubt (link down): every heartbeat interval (5 s)', () => {
    const doubt = { ...healthy, peer: { ...healthy.peer, connected: false } };
    expect(dueMonitorProbes(doubt, ctx(T0 + 4 * S), false).actions).toEqual([]);
    expect(dueMonitorProbes(doubt, ctx(T0 + 5 * S), false).actions).toHaveLength(2);
  });

  test('inside a maintenance window the primary is not probed, external resources still are', () => {
    expect(dueMonitorProbes(healthy, ctx(T0 + 30 * S), true).actions).toEqual([
      { type: 'CheckExternalResources' },
    ]);
  });
});

test.each([
  [64_000, '64'],
  [9_449, '9.4'],
  [500, '0.5'],
])('secs(%d) = %s', (ms, s) => expect(secs(ms)).toBe(s));

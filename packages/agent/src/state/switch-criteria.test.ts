// Guide §10.1.1 and the §7.2.2 switches through decide(), with a simulated runner: the secondary
// ticks once a second, its probes are answered from a scripted world, and we look at when (if
// ever) it decides to switch and which actions it asks for. "No switch" rows assert that nothing
// with an effect was asked for during the whole run.
import { effects, S, Sim, T0, types, type World, testPage } from './fixtures.test';
import type { Observation } from './types';

const down = (from: number) => (t: number) => t < from;
const always = () => true;
const never = () => false;
const lost: Observation = { type: 'PeerLost', detail: 'no heartbeat for 15 s' };
const goodbye: Observation = { type: 'PeerStopped', reason: 'SIGTERM' };

interface Row {
  name: string;
  patch?: ConstructorParameters<typeof Sim>[1];
  world: World;
  /** The secondary starts without ever reaching the primary. */
  neverConnected?: boolean;
  until: number;
  /** Seconds after T0 at which the switch is decided, or why it is not. */
  expect: { switchAt: number; linkUp?: boolean } | { none: RegExp };
}

const primaryDies: World = { page: down(10 * S), external: always, events: [[10 * S, lost]] };

const rows: Row[] = [
  {
    name: 'the primary dies: switch once unavailable > 60 s',
    world: primaryDies,
    until: 200 * S,
    expect: { switchAt: 71 },
  },
  {
    name: '1: link up, managed system down, switchWhenManagedSystemDownLinkUp on: switch (failure first seen at the 30 s check)',
    world: { page: down(10 * S), external: always },
    until: 200 * S,
    expect: { switchAt: 91, linkUp: true },
  },
  {
    name: '1: link up, managed system down, setting off: no switch',
    patch: { system: { switchWhenManagedSystemDownLinkUp: false } },
    world: { page: down(10 * S), external: always },
    until: 200 * S,
    expect: { none: /switchWhenManagedSystemDownLinkUp is off/ },
  },
  {
    name: '1: link lost but the managed system answers: no switch',
    world: { page: always, external: always, events: [[10 * S, lost]] },
    until: 200 * S,
    expect: { none: /still answers its test page/ },
  },
  {
    name: '1: no test page configured: the lost link is the signal',
    patch: { managedSystem: { testPage: testPage('') } },
    world: primaryDies,
    until: 200 * S,
    expect: { switchAt: 71 },
  },
  {
    name: '2: primary stopped on purpose (Goodbye), switchIfRemoteStopped off: no switch',
    world: { page: down(10 * S), external: always, events: [[10 * S, goodbye]] },
    until: 200 * S,
    expect: { none: /said Goodbye/ },
  },
  {
    name: '2: primary stopped on purpose, switchIfRemoteStopped on: switch',
    patch: { system: { switchIfRemoteStopped: true } },
    world: { page: down(10 * S), external: always, events: [[10 * S, goodbye]] },
    until: 200 * S,
    expect: { switchAt: 71 },
  },
  {
    name: '2: primary TurnedOff before it died: no switch',
    world: {
      page: down(10 * S),
      external: always,
      events: [
        [5 * S, { type: 'PeerHeartbeat', state: 'TurnedOff', epoch: 0 }],
        [10 * S, lost],
      ],
    },
    until: 200 * S,
    expect: { none: /last in state TurnedOff/ },
  },
  {
    name: '2: primary never reached since this agent started: no switch',
    neverConnected: true,
    world: { page: never, external: always },
    until: 200 * S,
    expect: { none: /not been reached since this agent started/ },
  },
  {
    name: '3: switchAutomatically off: no switch',
    patch: { system: { switchAutomatically: false } },
    world: primaryDies,
    until: 200 * S,
    expect: { none: /switchAutomatically is off/ },
  },
  {
    name: '4: inside a maintenance window: no switch',
    patch: { maintenanceWindows: [{ days: ['mon'], start: '10:00', end: '10:05' }] },
    world: primaryDies,
    until: 299 * S,
    expect: { none: /maintenance window mon 10:00–10:05/ },
  },
  {
    name: '4: after the window, unavailability counts from its end (10:05 + 61 s)',
    patch: { maintenanceWindows: [{ days: ['mon'], start: '10:00', end: '10:05' }] },
    world: primaryDies,
    until: 600 * S,
    expect: { switchAt: 361 },
  },
  {
    name: '5: external resources unreachable from the secondary: no switch',
    world: { page: down(10 * S), external: never, events: [[10 * S, lost]] },
    until: 200 * S,
    expect: { none: /it may be the isolated one/ },
  },
  {
    name: '5: external resources back at 50 s: switch after the 30 s recovery period',
    world: { page: down(10 * S), external: (t) => t >= 50 * S, events: [[10 * S, lost]] },
    until: 200 * S,
    expect: { switchAt: 80 },
  },
  {
    name: '6: allowable response time 120 s',
    patch: { system: { allowableResponseTimeSeconds: 120 } },
    world: primaryDies,
    until: 300 * S,
    expect: { switchAt: 131 },
  },
  {
    name: '6: not yet longer than the allowable time',
    world: primaryDies,
    until: 70 * S,
    expect: { none: /unreachable for 60 s, not more than the allowable 60 s/ },
  },
];

describe.each(rows)('$name', (row) => {
  test('decision and actions', () => {
    const sim = new Sim('secondary', row.patch);
    if (row.neverConnected) sim.feed({ type: 'AgentStarted' });
    else sim.connected();
    const last = sim.run(row.until, row.world);
    if ('switchAt' in row.expect) {
      expect(sim.state.name).toBe('SwitchingToSecondary');
      expect((sim.now - T0) / S).toBe(row.expect.switchAt);
      expect(last.reason).toMatch(
        /^switching to the secondary: .* > allowable \d+ s, external resources reachable; running step recheck-criteria$/,
      );
      // Step 1 re-checks on fresh probes before anything irreversible happens.
      const recheck = row.patch?.managedSystem
        ? ['CheckExternalResources']
        : ['CheckTestPage', 'CheckExternalResources'];
      const warn = row.expect.linkUp ? ['SendMessage'] : [];
      expect(types(last.actions)).toEqual([...recheck, ...warn]);
      if (row.expect.linkUp)
        expect(last.actions.at(-1)).toMatchObject({ code: 'SwitchOnMainAppUnavailable' });
      // Nothing irreversible before the decision.
      expect(sim.log.slice(0, -1).flatMap((o) => effects(o.actions))).toEqual([]);
    } else {
      expect(['Working', 'Inactive']).toContain(sim.state.name);
      expect(sim.log.flatMap((o) => effects(o.actions))).toEqual([]);
      expect(last.reason).toMatch(row.expect.none);
    }
  });
});

// The epoch fence: an old primary that learns of a higher epoch stops its managed system and its
// replication, whatever it was doing, and says so; and starts again only when handed back.
import { describeState } from './describe';
import { holderOf, nextEpochFor } from './epoch';
import { peerHello, Sim, types } from './fixtures.test';
import type { Observation } from './types';

const beat = (epoch: number, state: 'Switched' | 'Working' = 'Switched'): Observation => ({
  type: 'PeerHeartbeat',
  state,
  epoch,
});
const fence = [
  { type: 'PersistEpoch', epoch: 1 },
  { type: 'WriteOfflineMarker' },
  { type: 'StopManagedSystem' },
  { type: 'CheckManagedSystem' }, // the fence watch's first check (fence-watch.test.ts)
];

describe('the fence on the primary', () => {
  test.each<[string, Observation]>([
    ['a heartbeat', beat(1)],
    ['a reconnect (PeerConnected)', peerHello('secondary', { epoch: 1, state: 'Switched' })],
  ])('a Working primary that hears epoch 1 in %s: persist, marker, stop, no replication', (_name, obs) => {
    const sim = new Sim('primary').connected();
    expect(sim.state.name).toBe('Working');
    const out = sim.feed(obs);
    expect(out.actions).toEqual([...fence, { type: 'StopReplication' }]);
    expect(sim.state).toMatchObject({
      name: 'Switched',
      fenced: true,
      facts: { epoch: 1, replicating: false },
    });
    expect(out.reason).toBe(
      "fenced: the peer announced epoch 1 (this server had 0), which names the secondary; stopping this server's managed system and its replication",
    );
    expect(describeState(sim.state)).toEqual({
      name: 'Switched',
      reason:
        "the secondary runs the managed system (epoch 1); this server's managed system is stopped behind its offline marker and it sends no replication until the operator switches back",
    });
    // Learned once: further heartbeats at the same epoch change nothing.
    expect(sim.feed(beat(1)).actions).toEqual([]);
    expect(sim.feed({ type: 'Tick' }).actions).toEqual([]);
  });

  test.each<[string, Observation, string]>([
    ['TurnedOff by the operator', { type: 'OperatorTurnedOff' }, 'TurnedOff'],
    ['in ConfigurationError', { type: 'ClockOffsetMeasured', offsetMs: 90_000 }, 'ConfigurationError'],
  ])('a primary %s is fenced too, and keeps its state', (_name, before, name) => {
    const sim = new Sim('primary').connected();
    sim.feed(before);
    expect(sim.state.name).toBe(name);
    const out = sim.feed(beat(1));
    expect(out.actions).toEqual(fence);
    expect(sim.state).toMatchObject({ name, facts: { epoch: 1 } });
  });

  test('an old primary restarted after the switch stops its managed system at once, before any link', () => {
    const sim = new Sim('primary', {}, { epoch: 1 });
    const out = sim.feed({ type: 'AgentStarted' });
    expect(out.actions).toEqual(fence.slice(1));
    expect(sim.state).toMatchObject({ name: 'Switched', fenced: true });
    // No replication from a fenced primary, even once connected.
    const connected = sim.feed(peerHello('secondary', { epoch: 1, state: 'Switched' }));
    expect(types(connected.actions)).not.toContain('ResumeReplication');
    expect(sim.state.name).toBe('Switched');
  });

  test('restarted turned off and fenced: still stops the managed system', () => {
    const sim = new Sim('primary', {}, { epoch: 1, turnedOff: 'turned off by the operator' });
    expect(sim.feed({ type: 'AgentStarted' }).actions).toEqual(fence.slice(1));
    expect(sim.state.name).toBe('TurnedOff');
  });

  test('handed back (even epoch): persist, start, remove the marker, resume replication', () => {
    const sim = new Sim('primary').connected();
    sim.feed(beat(1));
    const out = sim.feed(beat(2, 'Working'));
    expect(out.actions).toEqual([
      { type: 'PersistEpoch', epoch: 2 },
      { type: 'StartManagedSystem' },
      { type: 'RemoveOfflineMarker' },
      { type: 'ResumeReplication' },
    ]);
    expect(sim.state).toMatchObject({ name: 'Working', facts: { epoch: 2, replicating: true } });
  });

  test.each<[string, Observation, string]>([
    ['TurnedOff by the operator', { type: 'OperatorTurnedOff' }, 'TurnedOff'],
    ['in ConfigurationError', { type: 'ClockOffsetMeasured', offsetMs: 90_000 }, 'ConfigurationError'],
  ])(
    'handed back while %s: the managed system starts all the same, the state stays',
    (_name, before, name) => {
      const sim = new Sim('primary').connected();
      sim.feed(beat(1));
      sim.feed(before);
      expect(sim.state.name).toBe(name);
      const out = sim.feed(beat(2, 'Working'));
      expect(out.actions).toEqual([
        { type: 'PersistEpoch', epoch: 2 },
        { type: 'StartManagedSystem' },
        { type: 'RemoveOfflineMarker' },
      ]);
      expect(sim.state).toMatchObject({ name, facts: { epoch: 2 } });
    },
  );

  test.each([
    ['a lower epoch', 0],
    ['the same epoch', 2],
  ])('%s from the peer changes nothing', (_name, theirs) => {
    const sim = new Sim('primary', {}, { epoch: 2 });
    sim.feed({ type: 'AgentStarted' });
    const out = sim.feed(peerHello('secondary', { epoch: theirs }));
    expect(types(out.actions)).not.toContain('PersistEpoch');
    expect(types(out.actions)).not.toContain('StopManagedSystem');
    expect(sim.state).toMatchObject({ name: 'Working', facts: { epoch: 2 } });
  });
});

describe('the switched secondary', () => {
  test('an old primary reconnecting with a lower epoch needs nothing from us: it fences itself', () => {
    const sim = new Sim('secondary', {}, { epoch: 1 });
    sim.feed({ type: 'AgentStarted' });
    for (const step of ['start-managed-system', 'remove-offline-marker', 'check-test-page'] as const) {
      sim.feed({ type: 'SwitchStepFinished', step, ok: true });
    }
    expect(sim.state.name).toBe('Switched');
    const out = sim.feed(peerHello('primary', { epoch: 0, state: 'Working' }));
    expect(out.actions).toEqual([]);
    expect(sim.state).toMatchObject({ name: 'Switched', fenced: false, facts: { epoch: 1 } });
  });
});

describe('epoch parity', () => {
  test.each([
    [0, 'primary'],
    [1, 'secondary'],
    [2, 'primary'],
    [7, 'secondary'],
  ])('epoch %d is held by the %s', (epoch, role) => expect(holderOf(epoch)).toBe(role));

  test.each<['primary' | 'secondary', number, number]>([
    ['secondary', 0, 1],
    ['secondary', 1, 3],
    ['primary', 1, 2],
    ['primary', 2, 4],
  ])('the next epoch for the %s above %d is %d', (role, above, next) =>
    expect(nextEpochFor(role, above)).toBe(next),
  );
});

// The fence watch: a fenced side checks its own managed system at an interval and stops it again
// whenever it came back, with a message; nothing of the kind where no switch happened, during a
// switch, or without a way to check.
import { describeState } from './describe';
import { fenceCheckMethod, isFenced } from './fence-watch';
import { makeSettings, messages, Sim, S, testPage, types } from './fixtures.test';
import type { Observation } from './types';

const beat = (epoch: number, state: 'Switched' | 'Working' = 'Switched'): Observation => ({
  type: 'PeerHeartbeat',
  state,
  epoch,
});
const checked = (running: boolean): Observation => ({
  type: 'ManagedSystemChecked',
  running,
  detail: running ? 'exit 0' : 'exit 3',
});

/** A primary fenced by epoch 1, with a status command checked every 5 s. */
function fencedPrimary(): Sim {
  const sim = new Sim('primary', { managedSystem: { statusCommand: 'app status', fenceCheckSeconds: 5 } });
  sim.connected();
  sim.feed(beat(1));
  expect(sim.state).toMatchObject({ name: 'Switched', fenced: true });
  return sim;
}

describe('the fence watch', () => {
  test('checks at once when fenced, then every managedSystem.fenceCheckSeconds', () => {
    const sim = new Sim('primary', { managedSystem: { statusCommand: 'app status', fenceCheckSeconds: 5 } });
    sim.connected();
    expect(types(sim.feed({ type: 'Tick' }).actions)).not.toContain('CheckManagedSystem');
    expect(types(sim.feed(beat(1)).actions)).toEqual([
      'PersistEpoch',
      'WriteOfflineMarker',
      'StopManagedSystem',
      'CheckManagedSystem',
      'StopReplication',
    ]);
    sim.feed(checked(false));
    for (const t of [1, 2, 3, 4]) {
      expect(types(sim.at(t * S).feed({ type: 'Tick' }).actions)).not.toContain('CheckManagedSystem');
    }
    expect(types(sim.at(5 * S).feed({ type: 'Tick' }).actions)).toEqual(['CheckManagedSystem']);
  });

  test('a managed system found running is stopped again behind its marker, and the operators are told', () => {
    const sim = fencedPrimary();
    const out = sim.at(2 * S).feed(checked(true));
    expect(out.actions).toEqual([
      { type: 'WriteOfflineMarker' },
      { type: 'StopManagedSystem' },
      {
        type: 'SendMessage',
        code: 'FencedSystemRunning',
        detail:
          "this server's managed system was found running (exit 0) while the secondary holds it at epoch 1; stopping it again",
      },
    ]);
    expect(out.reason).toMatch(/^fenced: this server's managed system was found running/);
    expect(sim.state).toMatchObject({
      name: 'Switched',
      fenced: true,
      facts: { fenceWatch: { foundRunning: 1 } },
    });
    expect(describeState(sim.state).reason).toMatch(
      /found running and stopped again 1 time\(s\), last at 2024-01-01T10:00:02/,
    );
    // Found stopped at the next check: the condition has ended.
    expect(sim.at(10 * S).feed(checked(false)).actions).toContainEqual({
      type: 'CancelMessage',
      code: 'FencedSystemRunning',
    });
    // And started again later: stopped again, counted again.
    expect(messages(sim.at(15 * S).feed(checked(true)).actions)).toEqual(['FencedSystemRunning']);
    expect(sim.state.facts.fenceWatch.foundRunning).toBe(2);
  });

  test('a fenced side turned off by the operator is watched too', () => {
    const sim = fencedPrimary();
    sim.feed({ type: 'OperatorTurnedOff' });
    expect(sim.state.name).toBe('TurnedOff');
    expect(types(sim.at(5 * S).feed(checked(true)).actions)).toEqual(
      expect.arrayContaining(['WriteOfflineMarker', 'StopManagedSystem']),
    );
  });

  test('handed back: no more checks, and an answer that comes late changes nothing', () => {
    const sim = fencedPrimary();
    sim.at(5 * S).feed(checked(true));
    const back = sim.at(6 * S).feed(beat(2, 'Working'));
    expect(types(back.actions)).toEqual(
      expect.arrayContaining(['PersistEpoch', 'StartManagedSystem', 'RemoveOfflineMarker']),
    );
    expect(back.actions).toContainEqual({ type: 'CancelMessage', code: 'FencedSystemRunning' });
    const late = sim.at(7 * S).feed(checked(true));
    expect(types(late.actions)).not.toContain('StopManagedSystem');
    for (const t of [10, 20, 30]) {
      expect(types(sim.at(t * S).feed({ type: 'Tick' }).actions)).not.toContain('CheckManagedSystem');
    }
  });

  test('epoch 0 (no switch ever happened) is no fence: the secondary leaves its managed system alone', () => {
    const sim = new Sim('secondary', { managedSystem: { statusCommand: 'app status' } });
    sim.connected();
    for (const t of [0, 10, 20]) {
      expect(types(sim.at(t * S).feed({ type: 'Tick' }).actions)).not.toContain('CheckManagedSystem');
    }
  });

  test('a secondary that handed the managed system back (even epoch) keeps its own stopped', () => {
    const sim = new Sim('secondary', { managedSystem: { statusCommand: 'app status' } }, { epoch: 2 });
    expect(types(sim.feed({ type: 'AgentStarted' }).actions)).toEqual([
      'WriteOfflineMarker',
      'StopManagedSystem',
      'CheckManagedSystem',
      'ResumeReplication', // it receives what the primary sends
    ]);
    expect(isFenced(sim.state, 'secondary')).toBe(true);
  });

  test('how a side checks: its status command, else its own test page, else not at all', () => {
    expect(fenceCheckMethod(makeSettings('primary', { managedSystem: { statusCommand: 'x' } }))).toBe(
      'statusCommand',
    );
    expect(fenceCheckMethod(makeSettings('primary'))).toBe('testPage');
    expect(fenceCheckMethod(makeSettings('secondary'))).toBeUndefined();
    const own = { ...testPage(''), secondaryUrl: 'http://secondary.example/test' };
    expect(fenceCheckMethod(makeSettings('secondary', { managedSystem: { testPage: own } }))).toBe(
      'testPage',
    );
    // Without either, the fence stops the managed system once and cannot watch it.
    const sim = new Sim('primary', { managedSystem: { testPage: testPage('') } });
    sim.connected();
    expect(types(sim.feed(beat(1)).actions)).not.toContain('CheckManagedSystem');
  });
});

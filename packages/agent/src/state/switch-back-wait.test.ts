// Switching back right after a cut link healed: the primary that served through the cut is
// connected but still learning the epoch and stopping its managed system. The switch waits for it
// (step check-primary-ready, with backoff) instead of halting at once; a primary that stays
// unready still halts the switch, with the reason.
import { S, T0, messages, stepOf, switchedWithFencedPrimary, types, type Sim } from './fixtures.test';
import { RETRY_INITIAL_MS } from './steps';

/** The secondary serves at epoch 1; its primary has just reconnected, still Working at epoch 0. */
function healedSplit(): Sim {
  const sim = switchedWithFencedPrimary();
  sim.feed({ type: 'PeerHeartbeat', state: 'Working', epoch: 0 });
  return sim;
}

describe('switch back right after a split heals', () => {
  test('waits for the primary to show Switched, without a failure message, then goes on', () => {
    const sim = healedSplit();
    sim.at(1000 * S);
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'primary' });
    expect(sim.state).toMatchObject({
      name: 'SwitchingToPrimary',
      progress: { phase: { kind: 'waiting', step: 'check-primary-ready', attempt: 1 } },
    });
    expect(out.reason).toMatch(/the primary agent is in state Working; .*retrying in 1 s/);
    expect(messages(out.actions)).toEqual([]);
    expect(types(out.actions)).toContain('ScheduleTick');
    sim.feed({ type: 'PeerHeartbeat', state: 'Switched', epoch: 1 });
    const next = sim.at(1000 * S + RETRY_INITIAL_MS).feed({ type: 'Tick' });
    expect(stepOf(next.actions)).toEqual(['WriteOfflineMarker:write-offline-marker']);
  });

  test('halts with the reason when the primary never becomes ready', () => {
    const sim = healedSplit();
    let out = sim.at(1000 * S).feed({ type: 'OperatorRequestedSwitch', to: 'primary' });
    let waits = 0;
    for (;;) {
      const s = sim.state;
      const phase = s.name === 'SwitchingToPrimary' ? s.progress.phase : undefined;
      if (phase?.kind !== 'waiting' || waits > 10) break;
      waits++;
      out = sim.at(phase.retryAt - T0).feed({ type: 'Tick' });
    }
    expect(waits).toBe(4); // 1 + 2 + 4 + 8 s
    expect(sim.state).toMatchObject({
      progress: { phase: { kind: 'halted', step: 'check-primary-ready' } },
    });
    expect(out.reason).toMatch(/stopped at step check-primary-ready: the primary agent is in state Working/);
    expect(messages(out.actions)).toEqual(['SwitchedFailed']);
  });
});

// The witness (issue 15) in the pure machine: the key gates the secondary's switch, a serving side
// cut off from its peer and the witness fences itself before its lease can expire, and losing only
// the witness is a warning.
import { makeSettings, messages, S, Sim, stepOf, types, fail, ok } from './fixtures.test';
import { evaluateSwitch } from './criteria';
import type { MachineState, Observation, WitnessHolder } from './types';
import { witnessEpochToAdopt } from './witness';

const witness = {
  etcd: { endpoints: ['http://127.0.0.1:2379'], ca: '', cert: '', key: '', user: '', passwordFile: '' },
  keyPrefix: '/sparesync/test',
  leaseTtlSeconds: 5,
};
const withWitness = { witness } as unknown as Parameters<typeof makeSettings>[1];

const checked = (o: Partial<Extract<Observation, { type: 'WitnessChecked' }>> = {}): Observation => ({
  type: 'WitnessChecked',
  reachable: true,
  detail: 'ok',
  mine: false,
  ...o,
});
const heldBy = (role: 'primary' | 'secondary', epoch = 0): WitnessHolder => ({ role, epoch, since: 0 });

/** A secondary whose primary went away at T0+1 s (link lost, test page failing). */
function secondaryWithDeadPrimary(): Sim {
  const sim = new Sim('secondary', withWitness);
  sim.connected();
  sim.at(1 * S).feed({ type: 'PeerLost', detail: 'gone' });
  sim.feed({ type: 'TestPageChecked', ok: false, detail: 'refused' });
  sim.feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'ok' });
  return sim;
}

describe('the witness gates failover', () => {
  test('no switch while the witness is unreachable, with its message; none while the old key lives', () => {
    const sim = secondaryWithDeadPrimary();
    const down = sim.at(70 * S).feed(checked({ reachable: false, detail: 'connect ECONNREFUSED' }));
    expect(messages(down.actions)).toContain('WitnessUnreachable');
    expect(sim.state.name).not.toBe('SwitchingToSecondary');
    expect(evaluateSwitch(sim.state.facts, sim.ctx()).reason).toMatch(
      /witness \(etcd\) cannot be reached \(connect ECONNREFUSED\); without its key there is no switch/,
    );
    sim.at(71 * S).feed(checked({ holder: heldBy('primary'), epoch: 0 }));
    expect(sim.state.name).not.toBe('SwitchingToSecondary');
    expect(sim.log.at(-1)!.reason).toMatch(/witness key is held by the primary at epoch 0/);
  });

  test('a free key starts the switch, taken in one transaction with the new epoch before it persists', () => {
    const sim = secondaryWithDeadPrimary();
    sim.at(70 * S).feed(checked({ epoch: 0 }));
    expect(sim.state.name).toBe('SwitchingToSecondary');
    // the re-check on fresh probes
    sim.feed({ type: 'TestPageChecked', ok: false, detail: 'refused' });
    const take = sim.feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'ok' });
    expect(take.actions).toContainEqual({
      type: 'TakeWitnessKey',
      holder: 'secondary',
      epoch: 1,
      fromEpoch: 0,
      onlyIfFree: true,
      step: 'take-witness-key',
    });
    expect(types(take.actions)).not.toContain('PersistEpoch');
    expect(stepOf(sim.feed(ok('take-witness-key')).actions)).toEqual(['PersistEpoch:persist-epoch']);
  });

  test('a refused transaction cancels an automatic takeover; the epoch never moves', () => {
    const sim = secondaryWithDeadPrimary();
    sim.at(70 * S).feed(checked({ epoch: 0 }));
    sim.feed({ type: 'TestPageChecked', ok: false, detail: 'refused' });
    sim.feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'ok' });
    const out = sim.feed(fail('take-witness-key', 'the holder key is not free'));
    expect(out.ended?.result).toBe('cancelled');
    expect(out.reason).toMatch(/witness key could not be taken/);
    expect(sim.state.facts.epoch).toBe(0);
  });

  test('without a witness the step is skipped', () => {
    const sim = new Sim('secondary');
    sim.connected();
    const out = sim.feed({ type: 'OperatorRequestedSwitch', to: 'secondary' });
    expect(types(out.actions)).not.toContain('TakeWitnessKey');
  });
});

describe('a serving side cut off from its peer and the witness fences itself', () => {
  function servingPrimary(): Sim {
    const sim = new Sim('primary', withWitness);
    sim.connected();
    sim.feed(checked({ mine: true, holder: heldBy('primary'), epoch: 0, leaseValidUntil: sim.now + 5 * S }));
    return sim;
  }

  test('losing only the witness while the peer is connected is a warning, not a stop', () => {
    const sim = servingPrimary();
    const out = sim.at(1 * S).feed(checked({ reachable: false, detail: 'timeout' }));
    expect(sim.state.name).toBe('WorkingWithErrors');
    expect(types(out.actions)).not.toContain('StopManagedSystem');
  });

  test('losing the peer while the lease is renewed changes nothing', () => {
    const sim = servingPrimary();
    const out = sim.at(1 * S).feed({ type: 'PeerLost', detail: 'gone' });
    expect(types(out.actions)).not.toContain('StopManagedSystem');
  });

  test('losing both stops the managed system at once, keeps it stopped, and starts it with the key back', () => {
    const sim = servingPrimary();
    sim.at(1 * S).feed({ type: 'PeerLost', detail: 'gone' });
    const out = sim.at(2 * S).feed(checked({ reachable: false, detail: 'timeout' }));
    expect(types(out.actions)).toEqual(
      expect.arrayContaining(['WriteOfflineMarker', 'StopManagedSystem', 'SendMessage']),
    );
    expect(messages(out.actions)).toContain('WitnessFenced');
    expect(sim.state.facts.witness.selfFenced).toBe(true);
    // nothing more while still cut off
    expect(types(sim.at(3 * S).feed({ type: 'Tick' }).actions)).not.toContain('StopManagedSystem');
    const back = sim
      .at(4 * S)
      .feed(checked({ mine: true, holder: heldBy('primary'), epoch: 0, leaseValidUntil: sim.now + 5 * S }));
    expect(types(back.actions)).toEqual(
      expect.arrayContaining(['StartManagedSystem', 'RemoveOfflineMarker']),
    );
    expect(sim.state.facts.witness.selfFenced).toBe(false);
  });

  test('a lease that was not renewed stops it before it can expire, on a tick', () => {
    const sim = servingPrimary();
    sim.at(1 * S).feed({ type: 'PeerLost', detail: 'gone' });
    expect(types(sim.at(3 * S).feed({ type: 'Tick' }).actions)).not.toContain('StopManagedSystem');
    // valid until 5 s; the margin is 1 s
    expect(types(sim.at(4 * S).feed({ type: 'Tick' }).actions)).toContain('StopManagedSystem');
  });

  test('a witness that records a higher epoch naming the other side: adopted, persisted, and the epoch fence stops it', () => {
    const sim = servingPrimary();
    // The peer is still connected and still announces epoch 0: only etcd knows of the switch.
    const out = sim.at(1 * S).feed(checked({ mine: false, holder: heldBy('secondary', 1), epoch: 1 }));
    expect(out.actions[0]).toEqual({ type: 'PersistEpoch', epoch: 1 });
    expect(types(out.actions)).toEqual(expect.arrayContaining(['WriteOfflineMarker', 'StopManagedSystem']));
    expect(out.reason).toMatch(
      /^fenced: the witness \(etcd\) records epoch 1 \(this server had 0\), which names the secondary/,
    );
    expect(sim.state).toMatchObject({ name: 'Switched', facts: { epoch: 1 } });
    // The epoch fence owns it now, not the witness's self-fence; the peer's later word changes nothing.
    expect(sim.state.facts.witness.selfFenced).toBe(false);
    const later = sim.at(2 * S).feed({ type: 'PeerHeartbeat', state: 'Switched', epoch: 1 });
    expect(types(later.actions)).not.toContain('PersistEpoch');
  });

  test('a higher epoch naming this side is not taken from the witness: the self-fence stops it', () => {
    const sim = servingPrimary();
    const out = sim.at(1 * S).feed(checked({ mine: false, holder: heldBy('primary', 2), epoch: 2 }));
    expect(types(out.actions)).not.toContain('PersistEpoch');
    expect(types(out.actions)).toContain('StopManagedSystem');
    expect(out.reason).toMatch(/witness records epoch 2, above this server's 0/);
    expect(sim.state.facts.epoch).toBe(0);
  });

  test("while this side runs a switch, the witness's epoch is its own write and is not adopted", () => {
    const sim = new Sim('secondary', withWitness, { epoch: 1 });
    sim.connected({ epoch: 1 });
    // As read right after its own take-witness-key step, before its persist-epoch step.
    const facts = { ...sim.state.facts, witness: { ...sim.state.facts.witness, epoch: 2 } };
    const steady = { name: 'Switched', facts, since: sim.now, fenced: false } as MachineState;
    expect(witnessEpochToAdopt({ ...steady, name: 'SwitchingToPrimary' } as MachineState, sim.ctx())).toBe(
      undefined,
    );
    expect(witnessEpochToAdopt(steady, sim.ctx())).toBe(2);
  });
});

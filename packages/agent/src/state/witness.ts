// The witness on etcd (issue 15) as the machine sees it. Two servers alone cannot tell a dead peer
// from a cut wire; with settings.witness a third vote decides. The side that serves holds the
// lease-backed key `<prefix>/holder`; the secondary may switch only by taking that key in a
// transaction that also moves `<prefix>/epoch` (steps.ts, step take-witness-key), and while the
// old holder's lease lives the key is not free. The other half of the guarantee is here: a serving
// side that can no longer prove its lease and cannot reach its peer either stops its managed
// system before the lease can expire, so that by the time the key is free it has stopped.
// Without settings.witness every function here is a no-op. Pure: the witness client (witness/)
// reports WitnessChecked; time arrives as ctx.now.
import { holderOf } from './epoch';
import type {
  Action,
  DecisionContext,
  Facts,
  MachineState,
  Observation,
  Outcome,
  WitnessFacts,
} from './types';

export const idleWitness: WitnessFacts = {
  reachable: undefined,
  detail: '',
  holder: undefined,
  mine: false,
  epoch: undefined,
  leaseValidUntil: undefined,
  checkedAt: undefined,
  selfFenced: false,
};

export function witnessAnswer(
  w: WitnessFacts,
  obs: Extract<Observation, { type: 'WitnessChecked' }>,
  now: number,
): WitnessFacts {
  return {
    ...w,
    reachable: obs.reachable,
    detail: obs.detail,
    // An unreachable witness says nothing new about the keys: keep what was last read.
    holder: obs.reachable ? obs.holder : w.holder,
    epoch: obs.reachable ? obs.epoch : w.epoch,
    mine: obs.reachable && obs.mine,
    leaseValidUntil: obs.leaseValidUntil ?? (obs.reachable ? undefined : w.leaseValidUntil),
    checkedAt: now,
  };
}

/** Why the witness forbids a switch to the secondary now; undefined when it allows it (or there is none). */
export function witnessVeto(facts: Facts, ctx: DecisionContext): string | undefined {
  if (!ctx.settings.witness) return undefined;
  const w = facts.witness;
  if (w.reachable === undefined)
    return 'the witness (etcd) has not answered yet; without its key there is no switch';
  if (!w.reachable)
    return `the witness (etcd) cannot be reached (${w.detail}); without its key there is no switch`;
  // With the link up the primary hears the new epoch at once, so the key may move by revision.
  if (w.holder && !facts.peer.connected) {
    return `the witness key is held by the ${w.holder.role} at epoch ${w.holder.epoch} and its lease is alive, so that side may still serve`;
  }
  return undefined;
}

/**
 * The epoch etcd records, when this side should adopt it as if its peer had announced it: higher
 * than its own, naming the other side (a switch it missed; adopting it fences this side through the
 * epoch fence and persists the epoch, so a restart does not serve again). An epoch that names this
 * side is left to the peer to announce (a hand-back starts the managed system, which etcd alone must
 * not do), and so is any epoch while this side runs a switch (the witness then holds its own write,
 * made before the step that persists it).
 */
export function witnessEpochToAdopt(state: MachineState, ctx: DecisionContext): number | undefined {
  if (state.name === 'SwitchingToSecondary' || state.name === 'SwitchingToPrimary') return undefined;
  const e = state.facts.witness.epoch;
  if (e === undefined || e <= state.facts.epoch || holderOf(e) === ctx.settings.role) return undefined;
  return e;
}

/** How long before its lease could expire a cut-off holder stops, at the latest. */
export function fenceMarginMs(leaseTtlSeconds: number): number {
  return Math.min(1000, leaseTtlSeconds * 250);
}

/** Why this serving side must stop now (cut off from both, or outvoted by the witness's epoch). */
function cutOff(facts: Facts, ctx: DecisionContext, ttlSeconds: number): string | undefined {
  const w = facts.witness;
  if (w.reachable && !w.mine && w.epoch !== undefined && w.epoch > facts.epoch) {
    return `the witness records epoch ${w.epoch}, above this server's ${facts.epoch}`;
  }
  if (facts.peer.connected || w.checkedAt === undefined) return undefined;
  const left = w.leaseValidUntil === undefined ? 0 : w.leaseValidUntil - ctx.now;
  if (w.reachable && w.mine && left > fenceMarginMs(ttlSeconds)) return undefined;
  const why = !w.reachable
    ? `the witness (etcd) cannot be reached (${w.detail})`
    : !w.mine
      ? 'this server does not hold the witness key'
      : `its witness lease may expire in ${Math.max(0, Math.round(left))} ms`;
  return `cut off from the peer, and ${why}`;
}

/**
 * Adds the witness self-fence to a decision's outcome: a serving side that is cut off stops its
 * managed system (marker, stop, WitnessFenced) once; the fence watch keeps it stopped while
 * `selfFenced` holds (fence-watch.ts). It starts again when it holds the key at its epoch again,
 * or its peer is back and the epoch still names it (the peer did not take over).
 */
export function witnessFence(out: Outcome, ctx: DecisionContext): Outcome {
  const ws = ctx.settings.witness;
  const { state } = out;
  if (!ws || state.name === 'Stopped') return out;
  if (state.name === 'SwitchingToSecondary' || state.name === 'SwitchingToPrimary') return out;
  const facts = state.facts;
  const w = facts.witness;
  const withFence = (selfFenced: boolean, actions: Action[], reason: string): Outcome => ({
    ...out,
    state: { ...state, facts: { ...facts, witness: { ...w, selfFenced } } },
    actions: [...out.actions, ...actions],
    reason,
  });
  if (holderOf(facts.epoch) !== ctx.settings.role) {
    // The epoch fence owns a side that does not hold the managed system.
    return w.selfFenced
      ? withFence(false, [{ type: 'CancelMessage', code: 'WitnessFenced' }], out.reason)
      : out;
  }
  const why = cutOff(facts, ctx, ws.leaseTtlSeconds);
  if (why && !w.selfFenced) {
    const detail = `${why}: stopping this server's managed system before its witness lease can expire`;
    return withFence(
      true,
      [
        { type: 'WriteOfflineMarker' },
        { type: 'StopManagedSystem' },
        { type: 'SendMessage', code: 'WitnessFenced', detail },
      ],
      `fenced by the witness: ${detail}`,
    );
  }
  if (!why && w.selfFenced && (w.mine || facts.peer.connected)) {
    const back = w.mine ? 'it holds the witness key again' : 'its peer is back and did not take over';
    return withFence(
      false,
      [
        { type: 'StartManagedSystem' },
        { type: 'RemoveOfflineMarker' },
        { type: 'CancelMessage', code: 'WitnessFenced' },
      ],
      `the witness fence ended (${back}) at epoch ${facts.epoch}; starting this server's managed system`,
    );
  }
  return out;
}

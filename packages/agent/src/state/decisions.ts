// Decisions shared by several states: where the facts say the agent rests, resuming operation,
// the epoch fence, operator switch requests, and entering or leaving a switch.
import type { Role } from '@sparesync/common';
import { describeState } from './describe';
import { holderOf } from './epoch';
import { problemsOf } from './facts';
import { beginSwitch, type SwitchName, type SwitchRun } from './steps';
import { witnessEpochToAdopt } from './witness';
import type {
  Action,
  DecisionContext,
  Facts,
  MachineState,
  Outcome,
  StateOf,
  SwitchEnd,
  SwitchProgress,
} from './types';

export type Steady = StateOf<'Working' | 'WorkingWithErrors' | 'Inactive' | 'Switched'>;

export interface LearnedEpoch {
  facts: Facts;
  persist: Action;
  learned: string;
  /** Set when the epoch decides the outcome by itself (fenced, or handed back). */
  outcome: Outcome | undefined;
}

/**
 * Where an agent goes when it (re)starts operating: after start, turn-on, or fixed configuration.
 * A side that does not hold the managed system makes sure it is stopped; a secondary that holds it
 * finishes (or re-asserts) its switch, so a restart in the middle of a switch converges.
 */
export function resume(prev: MachineState, facts: Facts, ctx: DecisionContext, why: string): Outcome {
  const holder = holderOf(facts.epoch);
  if (holder !== ctx.settings.role && facts.epoch > 0) {
    const next = settle(prev, facts, ctx);
    const reason = `${why}; the ${holder} holds the managed system at epoch ${facts.epoch}, so this server's stays stopped`;
    return { state: next, actions: fenceActions(facts, ctx), reason };
  }
  if (holder === 'secondary') {
    return startSwitch(
      prev,
      'SwitchingToSecondary',
      facts,
      ctx,
      'resume',
      `${why}; making sure the switch to the secondary at epoch ${facts.epoch} is complete`,
    );
  }
  const next = settle(prev, facts, ctx);
  return { state: next, actions: [], reason: `${why}: ${next.name}, ${describeState(next).reason}` };
}

/** The resting state the facts imply, keeping `since` when the state does not change. */
export function settle(
  prev: MachineState,
  facts: Facts,
  ctx: DecisionContext,
): StateOf<'ConfigurationError'> | Steady {
  const since = (name: string) => (prev.name === name ? prev.since : ctx.now);
  const config = problemsOf(facts, 'config');
  if (config.length)
    return { name: 'ConfigurationError', facts, since: since('ConfigurationError'), reasons: config };
  const holder = holderOf(facts.epoch);
  if (holder !== 'primary') {
    return { name: 'Switched', facts, since: since('Switched'), fenced: holder !== ctx.settings.role };
  }
  if (!facts.peer.connected) {
    const lostAt = facts.peer.lostAt ?? (prev.name === 'Inactive' ? prev.peerLostAt : ctx.now);
    return { name: 'Inactive', facts, since: since('Inactive'), peerLostAt: lostAt };
  }
  const warnings = problemsOf(facts, 'warning');
  if (warnings.length)
    return { name: 'WorkingWithErrors', facts, since: since('WorkingWithErrors'), errors: warnings };
  return { name: 'Working', facts, since: since('Working') };
}

/**
 * The fence (DESIGN.md "Epochs fence stale writers"). When the peer announces a higher epoch, or
 * the witness records one that names the other side (witnessEpochToAdopt), that epoch is adopted
 * and persisted at once. If it names the other side, this side's managed system is
 * stopped behind its offline marker, whatever state it is in (an operator's "off" does not exempt
 * it); replication stops because Switched and the off states do not replicate. If it names this
 * side, the peer handed the managed system back, and a fenced side starts it again. Otherwise the
 * caller goes on with the observation on the updated facts and persists the epoch first.
 */
export function learnEpoch(state: MachineState, ctx: DecisionContext): LearnedEpoch | undefined {
  const mine = state.facts.epoch;
  const fromWitness = witnessEpochToAdopt(state, ctx);
  const theirs = Math.max(state.facts.peer.epoch, fromWitness ?? -1);
  if (theirs <= mine) return undefined;
  const holder = holderOf(theirs);
  const facts: Facts = { ...state.facts, epoch: theirs };
  const persist: Action = { type: 'PersistEpoch', epoch: theirs };
  const who =
    theirs === fromWitness && theirs > state.facts.peer.epoch
      ? 'the witness (etcd) records'
      : 'the peer announced';
  const learned = `${who} epoch ${theirs} (this server had ${mine}), which names the ${holder}`;
  if (holder !== ctx.settings.role) {
    const keep =
      state.name === 'TurnedOff' ||
      state.name === 'ConfigurationError' ||
      state.name === 'SwitchingToPrimary' ||
      state.name === 'SwitchingToSecondary';
    const next = keep ? { ...state, facts } : settle(state, facts, ctx);
    const actions: Action[] = [persist, { type: 'WriteOfflineMarker' }, { type: 'StopManagedSystem' }];
    const reason = `fenced: ${learned}; stopping this server's managed system and its replication`;
    return { facts, persist, learned, outcome: { state: next, actions, reason } };
  }
  if (holderOf(mine) !== ctx.settings.role) {
    // Handed back. The epoch, not this side's state, says who serves: the peer has stopped its
    // managed system, so a side that is turned off or has a configuration error starts its own
    // too (and keeps its state), or nobody would serve.
    const keep = state.name === 'TurnedOff' || state.name === 'ConfigurationError';
    const next = keep ? { ...state, facts } : settle(state, facts, ctx);
    const actions: Action[] = [persist, { type: 'StartManagedSystem' }, { type: 'RemoveOfflineMarker' }];
    const reason = `handed back: ${learned}; starting this server's managed system`;
    return { facts, persist, learned, outcome: { state: next, actions, reason } };
  }
  return { facts, persist, learned, outcome: undefined };
}

/**
 * Whether this primary may hand over (switching/hand-over.ts): only while it replicates, since
 * the hand-over drains replication; a turned-off primary or one with a configuration error says
 * so instead of failing the drain with a misleading timeout.
 */
export function handOverRefusal(state: MachineState): string | undefined {
  if (state.name === 'TurnedOff')
    return `the primary is turned off (${state.cause}) and does not replicate, so it cannot drain: turn SpareSync on first`;
  if (state.name === 'ConfigurationError')
    return `the primary has configuration errors and does not replicate, so it cannot drain: ${state.reasons.join('; ')}`;
  return undefined;
}

/** The target of an undo (guide §10.1.4): the switch under way or halted, in the other direction. */
export function undoTargetOf(state: MachineState): Role | undefined {
  if (state.name === 'SwitchingToSecondary') return 'primary';
  if (state.name === 'SwitchingToPrimary') return 'secondary';
  return undefined;
}

/**
 * An operator's switch request, decided by the state: the primary does not run switches, a
 * turned-off pair does not switch (turned off means no switching, guide §8), an undo needs a
 * switch to undo. A switch under way that is replaced or cancelled ends as cancelled.
 */
export function requestSwitch(state: MachineState, asked: Role | 'undo', ctx: DecisionContext): Outcome {
  const what = asked === 'undo' ? 'undo the switch' : `switch to the ${asked}`;
  if (ctx.settings.role === 'primary') {
    return stay(
      state,
      `switching is run by the secondary's agent, which holds the data to switch: ask it to ${what}`,
    );
  }
  if (state.name === 'TurnedOff') {
    return stay(
      state,
      `SpareSync is turned off (${state.cause}), and turned off means no switching: turn it on (sparesync on) first`,
    );
  }
  const to = asked === 'undo' ? undoTargetOf(state) : asked;
  if (to === undefined) {
    return stay(
      state,
      `there is no switch under way or halted to undo (this server is ${state.name}); ask for a switch to the primary or the secondary instead`,
    );
  }
  const replaced: SwitchEnd | undefined =
    state.name === 'SwitchingToSecondary' || state.name === 'SwitchingToPrimary'
      ? { result: 'cancelled', progress: state.progress }
      : undefined;
  const ending = (out: Outcome): Outcome => (replaced ? { ...out, ended: replaced } : out);
  const holder = holderOf(state.facts.epoch);
  if (to === 'secondary') {
    if (state.name === 'Switched') return stay(state, 'already switched to the secondary');
    return ending(
      startSwitch(
        state,
        'SwitchingToSecondary',
        state.facts,
        ctx,
        'operator',
        asked === 'undo'
          ? 'undo: switching back to the secondary, reversing the switch to the primary; requested by the operator'
          : 'switching to the secondary: requested by the operator',
      ),
    );
  }
  if (holder === 'primary') {
    if (state.name === 'SwitchingToSecondary') {
      const next = settle(state, state.facts, ctx);
      return ending({
        state: next,
        actions: [],
        reason:
          'the switch to the secondary was cancelled by the operator before the epoch changed; the primary still holds the managed system',
      });
    }
    return stay(state, 'the primary already runs the managed system');
  }
  return ending(
    startSwitch(
      state,
      'SwitchingToPrimary',
      state.facts,
      ctx,
      'operator',
      asked === 'undo'
        ? 'undo: switching back to the primary, reversing the switch to the secondary; requested by the operator'
        : 'switching to the primary: requested by the operator',
    ),
  );
}

export function startSwitch(
  prev: MachineState,
  name: SwitchName,
  facts: Facts,
  ctx: DecisionContext,
  by: SwitchProgress['requestedBy'],
  why: string,
): Outcome {
  return fromRun(prev, name, beginSwitch(name, facts, ctx, by, why), ctx);
}

export function fromRun(prev: MachineState, name: SwitchName, run: SwitchRun, ctx: DecisionContext): Outcome {
  if (run.status === 'running' || run.status === 'halted') {
    const since = prev.name === name ? prev.since : ctx.now;
    return {
      state: { name, facts: run.facts, since, progress: run.progress },
      actions: run.actions,
      reason: run.reason,
    };
  }
  // finished or cancelled: the facts (epoch included) now say where the managed system runs.
  return {
    state: settle(prev, run.facts, ctx),
    actions: run.actions,
    reason: run.reason,
    ended: { result: run.status === 'finished' ? 'completed' : 'cancelled', progress: run.progress },
  };
}

export function turnOff(facts: Facts, ctx: DecisionContext, cause: string): Outcome {
  return {
    state: { name: 'TurnedOff', facts, since: ctx.now, cause },
    actions: [message('TurnedOff', cause)],
    reason: cause,
  };
}

/**
 * Idempotent: make sure the managed system of a side that lost it in a switch stays stopped.
 * Epoch 0 means no switch ever happened: the secondary's managed system is then none of our
 * business, and the agent does not touch it.
 */
export function fenceActions(facts: Facts, ctx: DecisionContext): Action[] {
  if (facts.epoch === 0 || holderOf(facts.epoch) === ctx.settings.role) return [];
  return [{ type: 'WriteOfflineMarker' }, { type: 'StopManagedSystem' }];
}

export function stay(state: MachineState, reason: string): Outcome {
  return { state, actions: [], reason };
}

export function message(
  code: 'TurnedOn' | 'TurnedOff' | 'SwitchOnMainAppUnavailable',
  detail: string,
): Action {
  return { type: 'SendMessage', code, detail };
}

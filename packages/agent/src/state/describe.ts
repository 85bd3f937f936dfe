// What the status display and the transition log show: the guide's state name with one sentence,
// and a bounded history of transitions.
import type { AgentStateName, Transition } from '@sparesync/common';
import { holderOf } from './epoch';
import { planOf, targetOf } from './steps';
import type { MachineState, Outcome, StateOf } from './types';

export function describeState(state: MachineState): { name: AgentStateName; reason: string } {
  return { name: state.name, reason: reasonOf(state) };
}

function reasonOf(state: MachineState): string {
  const { facts } = state;
  switch (state.name) {
    case 'Stopped':
      return state.reason;
    case 'TurnedOff':
      return state.cause;
    case 'ConfigurationError':
      return state.reasons.join('; ');
    case 'Switched': {
      const holder = holderOf(facts.epoch);
      if (state.fenced) {
        const w = facts.fenceWatch;
        const found = w.lastFoundAt
          ? `; found running and stopped again ${w.foundRunning} time(s), last at ${iso(w.lastFoundAt)}`
          : '';
        return `the ${holder} runs the managed system (epoch ${facts.epoch}); this server's managed system is stopped behind its offline marker and it sends no replication until the operator switches back${found}`;
      }
      return `this server runs the managed system since ${iso(state.since)} (epoch ${facts.epoch})`;
    }
    case 'Inactive': {
      const peer = facts.peer;
      if (peer.saidGoodbye)
        return `the peer stopped on purpose (it said Goodbye) at ${iso(state.peerLostAt)}`;
      if (peer.identity === undefined) return `the peer has not been reached since ${iso(state.peerLostAt)}`;
      return `the peer is unreachable since ${iso(state.peerLostAt)}`;
    }
    case 'Working':
      return 'connected to the peer, no problems';
    case 'WorkingWithErrors':
      return state.errors.join('; ');
    case 'SwitchingToSecondary':
    case 'SwitchingToPrimary':
      return switchText(state);
  }
}

function switchText(state: StateOf<'SwitchingToSecondary' | 'SwitchingToPrimary'>): string {
  const { phase, log, why } = state.progress;
  const plan = planOf(state.name, state.progress.witness);
  const at = `step ${plan.indexOf(phase.step) + 1}/${plan.length} ${phase.step}`;
  const done = log.filter((r) => r.outcome === 'done').map((r) => r.step);
  switch (phase.kind) {
    case 'running':
      return `${at}${phase.attempt > 1 ? ` (attempt ${phase.attempt})` : ''}; ${why}`;
    case 'waiting':
      return `${at} failed (attempt ${phase.attempt}): ${phase.lastError}; retrying at ${iso(phase.retryAt)}`;
    case 'halted':
      return (
        `stopped at ${at}: ${phase.error}; done: ${done.join(', ') || 'nothing'}; ` +
        `fix the cause and ask for the switch to the ${targetOf(state.name)} again, or turn SpareSync off`
      );
  }
}

/** The history entry for a decision that changed the state's name, else undefined. */
export function transitionOf(before: MachineState, outcome: Outcome, now: number): Transition | undefined {
  if (before.name === outcome.state.name) return undefined;
  return {
    atMs: now,
    from: before.name,
    to: outcome.state.name,
    reason: outcome.reason,
    epoch: outcome.state.facts.epoch,
  };
}

/** Appends without changing `history`; keeps the newest `max` entries. */
export function pushHistory<T>(history: readonly T[], entry: T, max: number): T[] {
  if (max <= 0) return [];
  const next = [...history, entry];
  return next.length > max ? next.slice(next.length - max) : next;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// The state machine: decide(state, observation, ctx) → { state, actions, reason }. No I/O, no
// clock, no timers: the runner feeds observations (with ctx.now), persists, then executes the
// actions in order and reports their results as further observations (etcd raft's Ready loop).
// Both roles run this same machine; ctx.settings.role tells them apart.
import type { Role } from '@sparesync/common';
import { dueDnsProbe, dueMonitorProbes, evaluateSwitch } from './criteria';
import { describeState } from './describe';
import { holderOf } from './epoch';
import { absorb, initialFacts, problemsOf } from './facts';
import { activeMaintenanceWindow } from './maintenance';
import {
  beginSwitch,
  recheckIfAnswered,
  retryIfDue,
  retryNow,
  stepFinished,
  targetOf,
  type SwitchName,
  type SwitchRun,
} from './steps';
import type {
  Action,
  DecisionContext,
  Facts,
  MachineState,
  Observation,
  Outcome,
  StateOf,
  SwitchProgress,
} from './types';

type Steady = StateOf<'Working' | 'WorkingWithErrors' | 'Inactive' | 'Switched'>;
type Switching = StateOf<'SwitchingToSecondary' | 'SwitchingToPrimary'>;

/** The state before AgentStarted, from what the runner persisted. */
export function initialState(persisted: { epoch: number; turnedOff?: string }, now: number): MachineState {
  return {
    name: 'Stopped',
    facts: initialFacts(persisted.epoch),
    since: now,
    reason: 'the agent has not started yet',
    turnedOff: persisted.turnedOff,
  };
}

export function decide(state: MachineState, obs: Observation, ctx: DecisionContext): Outcome {
  if (state.name === 'Stopped') return finalize(state, onStopped(state, obs, ctx), []);
  if (obs.type === 'AgentStopping') {
    const turnedOff = state.name === 'TurnedOff' ? state.cause : undefined;
    const stopped: MachineState = {
      name: 'Stopped',
      facts: state.facts,
      since: ctx.now,
      reason: `stopped: ${obs.reason}`,
      turnedOff,
    };
    return finalize(state, { state: stopped, actions: [], reason: `stopping: ${obs.reason}` }, []);
  }
  const absorbed = absorb(state.facts, obs, ctx);
  const current = { ...state, facts: absorbed.facts };
  return finalize(state, learnEpoch(current, obs, ctx) ?? byState(current, obs, ctx), absorbed.messages);
}

function byState(state: MachineState, obs: Observation, ctx: DecisionContext): Outcome {
  switch (state.name) {
    case 'Stopped':
      return onStopped(state, obs, ctx);
    case 'TurnedOff':
      return onTurnedOff(state, obs, ctx);
    case 'ConfigurationError':
      return onConfigurationError(state, obs, ctx);
    // These four differ only in data that settle() derives from the facts, so one function
    // serves them; the secondary monitors the primary from the first three.
    case 'Working':
    case 'WorkingWithErrors':
    case 'Inactive':
    case 'Switched':
      return onSteady(state, obs, ctx);
    case 'SwitchingToSecondary':
    case 'SwitchingToPrimary':
      return onSwitching(state, obs, ctx);
    default:
      return assertNever(state);
  }
}

function onStopped(state: StateOf<'Stopped'>, obs: Observation, ctx: DecisionContext): Outcome {
  if (obs.type !== 'AgentStarted') return stay(state, `ignored ${obs.type}: the agent has not started`);
  if (state.turnedOff !== undefined) {
    const next: MachineState = {
      name: 'TurnedOff',
      facts: state.facts,
      since: ctx.now,
      cause: state.turnedOff,
    };
    return {
      state: next,
      actions: fenceActions(state.facts, ctx),
      reason: `started turned off: ${state.turnedOff}`,
    };
  }
  return resume(state, state.facts, ctx, 'started');
}

function onTurnedOff(state: StateOf<'TurnedOff'>, obs: Observation, ctx: DecisionContext): Outcome {
  switch (obs.type) {
    case 'OperatorTurnedOn': {
      const out = resume(state, state.facts, ctx, 'turned on by the operator');
      return { ...out, actions: [...out.actions, message('TurnedOn', 'turned on by the operator')] };
    }
    case 'OperatorRequestedSwitch':
      return requestSwitch(state, obs.to, ctx);
    default:
      return stay(state, `turned off: ${state.cause}`);
  }
}

/**
 * Guide §7.2.2 "Switch to the operable state after the elimination of configuration errors": with
 * the setting, the agent resumes by itself once every configuration error has cleared. Without it,
 * the agent does not stay in ConfigurationError (that would show an error that no longer exists)
 * but moves to TurnedOff, the guide's state for "works but takes no action" (§8), which only the
 * operator's turn-on leaves — the attention the reduced and recommended templates ask for.
 */
function onConfigurationError(
  state: StateOf<'ConfigurationError'>,
  obs: Observation,
  ctx: DecisionContext,
): Outcome {
  if (obs.type === 'OperatorTurnedOff') return turnOff(state.facts, ctx, 'turned off by the operator');
  if (obs.type === 'OperatorRequestedSwitch') return requestSwitch(state, obs.to, ctx);
  const reasons = problemsOf(state.facts, 'config');
  if (reasons.length === 0) {
    if (ctx.settings.system.switchAfterConfigErrorsFixed) {
      return resume(
        state,
        state.facts,
        ctx,
        'the configuration errors are fixed and system.switchAfterConfigErrorsFixed is on',
      );
    }
    return turnOff(
      state.facts,
      ctx,
      'the configuration errors are fixed; turn SpareSync on to resume (system.switchAfterConfigErrorsFixed is off)',
    );
  }
  const dns = dueDnsProbe(state.facts, ctx);
  const next = { ...state, facts: dns.facts, reasons };
  if (obs.type === 'OperatorTurnedOn')
    return {
      state: next,
      actions: dns.actions,
      reason: `cannot turn on, configuration errors remain: ${reasons.join('; ')}`,
    };
  return { state: next, actions: dns.actions, reason: `configuration error: ${reasons.join('; ')}` };
}

function onSteady(state: Steady, obs: Observation, ctx: DecisionContext): Outcome {
  if (obs.type === 'OperatorTurnedOff') return turnOff(state.facts, ctx, 'turned off by the operator');
  if (obs.type === 'OperatorRequestedSwitch') return requestSwitch(state, obs.to, ctx);
  if (obs.type === 'OperatorTurnedOn') return stay(state, `already on: ${state.name}`);
  const fatal = state.facts.problems.find((p) => p.kind === 'fatal');
  if (fatal) return turnOff(state.facts, ctx, `turned off after a fatal error: ${fatal.detail}`);

  const next = settle(state, state.facts, ctx);
  const moved =
    next.name === state.name ? '' : `${state.name} -> ${next.name}: ${describeState(next).reason}`;
  const dns = dueDnsProbe(next.facts, ctx);
  const monitoring =
    ctx.settings.role === 'secondary' &&
    (next.name === 'Working' || next.name === 'WorkingWithErrors' || next.name === 'Inactive');
  if (!monitoring) {
    return {
      state: { ...next, facts: dns.facts },
      actions: dns.actions,
      reason: moved || `${next.name}: ${describeState(next).reason}`,
    };
  }

  const window = activeMaintenanceWindow(
    ctx.settings.maintenanceWindows,
    ctx.now,
    ctx.local.utcOffsetMinutes,
  );
  const facts: Facts = window ? { ...dns.facts, maintenanceSeenAt: ctx.now } : dns.facts;
  const verdict = evaluateSwitch(facts, ctx);
  if (verdict.go) {
    const out = startSwitch(next, 'SwitchingToSecondary', facts, ctx, 'criteria', verdict.reason);
    // Guide §9: SwitchOnMainAppUnavailable is sent before a switch made while the link is up.
    const warn = verdict.linkUp ? [message('SwitchOnMainAppUnavailable', verdict.reason)] : [];
    return { ...out, actions: [...warn, ...dns.actions, ...out.actions] };
  }
  const probes = dueMonitorProbes(facts, ctx, window !== undefined);
  return {
    state: { ...next, facts: probes.facts },
    actions: [...dns.actions, ...probes.actions],
    reason: moved ? `${moved}; ${verdict.reason}` : verdict.reason,
  };
}

function onSwitching(state: Switching, obs: Observation, ctx: DecisionContext): Outcome {
  const { name, progress, facts } = state;
  switch (obs.type) {
    case 'SwitchStepFinished':
      return fromRun(state, name, stepFinished(name, progress, facts, ctx, obs), ctx);
    case 'Tick': {
      const run = retryIfDue(name, progress, facts, ctx);
      if (run) return fromRun(state, name, run, ctx);
      break;
    }
    case 'TestPageChecked':
    case 'ExternalResourcesChecked': {
      const run = name === 'SwitchingToSecondary' ? recheckIfAnswered(progress, facts, ctx) : undefined;
      if (run) return fromRun(state, name, run, ctx);
      break;
    }
    case 'OperatorTurnedOff': {
      const done = progress.log.filter((r) => r.outcome === 'done').map((r) => r.step);
      const at = `at step ${progress.phase.step}, done: ${done.join(', ') || 'nothing'}`;
      return turnOff(
        facts,
        ctx,
        `turned off by the operator during the switch to the ${targetOf(name)} (${at})`,
      );
    }
    case 'OperatorRequestedSwitch':
      if (obs.to !== targetOf(name)) return requestSwitch(state, obs.to, ctx);
      if (progress.phase.kind === 'running')
        return stay(state, `the switch to the ${obs.to} is already running step ${progress.phase.step}`);
      return fromRun(state, name, retryNow(name, progress, facts, ctx), ctx);
    default:
      break;
  }
  return stay(state, `${name}: ${describeState(state).reason}`);
}

// ---- shared decisions ----

/**
 * Where an agent goes when it (re)starts operating: after start, turn-on, or fixed configuration.
 * A side that does not hold the managed system makes sure it is stopped; a secondary that holds it
 * finishes (or re-asserts) its switch, so a restart in the middle of a switch converges.
 */
function resume(prev: MachineState, facts: Facts, ctx: DecisionContext, why: string): Outcome {
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
function settle(
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
 * The fence (DESIGN.md "Epochs fence stale writers"). When the peer announces a higher epoch, that
 * epoch is adopted and persisted at once. If it names the other side, this side's managed system is
 * stopped behind its offline marker, whatever state it is in (an operator's "off" does not exempt
 * it); replication stops because Switched and the off states do not replicate. If it names this
 * side, the peer handed the managed system back, and a fenced side starts it again.
 */
function learnEpoch(state: MachineState, obs: Observation, ctx: DecisionContext): Outcome | undefined {
  const theirs = state.facts.peer.epoch;
  const mine = state.facts.epoch;
  if (theirs <= mine) return undefined;
  const holder = holderOf(theirs);
  const facts: Facts = { ...state.facts, epoch: theirs };
  const persist: Action = { type: 'PersistEpoch', epoch: theirs };
  const learned = `the peer announced epoch ${theirs} (this server had ${mine}), which names the ${holder}`;
  if (holder !== ctx.settings.role) {
    const keep =
      state.name === 'TurnedOff' ||
      state.name === 'ConfigurationError' ||
      state.name === 'SwitchingToPrimary' ||
      state.name === 'SwitchingToSecondary';
    const next = keep ? { ...state, facts } : settle(state, facts, ctx);
    const actions: Action[] = [persist, { type: 'WriteOfflineMarker' }, { type: 'StopManagedSystem' }];
    return {
      state: next,
      actions,
      reason: `fenced: ${learned}; stopping this server's managed system and its replication`,
    };
  }
  if (state.name === 'Switched' && state.fenced) {
    const next = settle(state, facts, ctx);
    const actions: Action[] = [persist, { type: 'StartManagedSystem' }, { type: 'RemoveOfflineMarker' }];
    return { state: next, actions, reason: `handed back: ${learned}; starting this server's managed system` };
  }
  const out = byState({ ...state, facts }, obs, ctx);
  return { ...out, actions: [persist, ...out.actions], reason: `${learned}; ${out.reason}` };
}

function requestSwitch(state: MachineState, to: Role, ctx: DecisionContext): Outcome {
  if (ctx.settings.role === 'primary') {
    return stay(
      state,
      `switching is run by the secondary's agent, which holds the data to switch: ask it to switch to the ${to}`,
    );
  }
  const holder = holderOf(state.facts.epoch);
  if (to === 'secondary') {
    if (state.name === 'Switched') return stay(state, 'already switched to the secondary');
    return startSwitch(
      state,
      'SwitchingToSecondary',
      state.facts,
      ctx,
      'operator',
      'switching to the secondary: requested by the operator',
    );
  }
  if (holder === 'primary') {
    if (state.name === 'SwitchingToSecondary') {
      const next = settle(state, state.facts, ctx);
      return {
        state: next,
        actions: [],
        reason: 'the switch to the secondary was cancelled by the operator before the epoch changed',
      };
    }
    return stay(state, 'the primary already runs the managed system');
  }
  return startSwitch(
    state,
    'SwitchingToPrimary',
    state.facts,
    ctx,
    'operator',
    'switching to the primary: requested by the operator',
  );
}

function startSwitch(
  prev: MachineState,
  name: SwitchName,
  facts: Facts,
  ctx: DecisionContext,
  by: SwitchProgress['requestedBy'],
  why: string,
): Outcome {
  return fromRun(prev, name, beginSwitch(name, facts, ctx, by, why), ctx);
}

function fromRun(prev: MachineState, name: SwitchName, run: SwitchRun, ctx: DecisionContext): Outcome {
  if (run.status === 'running' || run.status === 'halted') {
    const since = prev.name === name ? prev.since : ctx.now;
    return {
      state: { name, facts: run.facts, since, progress: run.progress },
      actions: run.actions,
      reason: run.reason,
    };
  }
  // finished or cancelled: the facts (epoch included) now say where the managed system runs.
  return { state: settle(prev, run.facts, ctx), actions: run.actions, reason: run.reason };
}

function turnOff(facts: Facts, ctx: DecisionContext, cause: string): Outcome {
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
function fenceActions(facts: Facts, ctx: DecisionContext): Action[] {
  if (facts.epoch === 0 || holderOf(facts.epoch) === ctx.settings.role) return [];
  return [{ type: 'WriteOfflineMarker' }, { type: 'StopManagedSystem' }];
}

// ---- the bookkeeping every decision ends with ----

/**
 * Replication runs only in Working, WorkingWithErrors and Inactive (guide §8: TurnedOff takes no
 * action for synchronisation; a ConfigurationError or a switch makes it unsafe). During a switch
 * its steps own it. Persist* actions go first (they must be durable before anything else happens),
 * messages last (they report what the other actions did or are about to do).
 */
function finalize(prev: MachineState, out: Outcome, messages: Action[]): Outcome {
  let state = out.state;
  const extra: Action[] = [];
  const wanted = replicationWanted(state);
  if (wanted !== undefined && wanted !== state.facts.replicating) {
    extra.push(wanted ? { type: 'ResumeReplication' } : { type: 'StopReplication' });
    state = { ...state, facts: { ...state.facts, replicating: wanted } };
  }
  const wasOff = persistedOff(prev);
  const isOff = persistedOff(state);
  const persist: Action[] =
    wasOff === isOff
      ? []
      : [{ type: 'PersistTurnedOff', turnedOff: isOff !== undefined, cause: isOff ?? '' }];
  const all = [...persist, ...out.actions, ...extra, ...messages];
  const rank = (a: Action) =>
    a.type === 'PersistEpoch' || a.type === 'PersistTurnedOff' ? 0 : a.type === 'SendMessage' ? 2 : 1;
  return { state, actions: [0, 1, 2].flatMap((r) => all.filter((a) => rank(a) === r)), reason: out.reason };
}

function replicationWanted(state: MachineState): boolean | undefined {
  switch (state.name) {
    case 'Working':
    case 'WorkingWithErrors':
    case 'Inactive':
      return true;
    case 'SwitchingToSecondary':
    case 'SwitchingToPrimary':
      return undefined;
    default:
      return false;
  }
}

function persistedOff(state: MachineState): string | undefined {
  if (state.name === 'TurnedOff') return state.cause;
  if (state.name === 'Stopped') return state.turnedOff;
  return undefined;
}

function stay(state: MachineState, reason: string): Outcome {
  return { state, actions: [], reason };
}

function message(code: 'TurnedOn' | 'TurnedOff' | 'SwitchOnMainAppUnavailable', detail: string): Action {
  return { type: 'SendMessage', code, detail };
}

export function assertNever(x: never): never {
  throw new Error(`unhandled state ${JSON.stringify(x)}`);
}

// The state machine: decide(state, observation, ctx) → { state, actions, reason }. No I/O, no
// clock, no timers: the runner feeds observations (with ctx.now), persists, then executes the
// actions in order and reports their results as further observations (etcd raft's Ready loop).
// Both roles run this same machine; ctx.settings.role tells them apart.
import { allowableTimeTick, dueDnsProbe, dueMonitorProbes, evaluateSwitch } from './criteria';
import {
  fenceActions,
  fromRun,
  learnEpoch,
  message,
  requestSwitch,
  resume,
  settle,
  startSwitch,
  stay,
  turnOff,
  type Steady,
} from './decisions';
import { describeState } from './describe';
import { watchFence } from './fence-watch';
import { witnessFence } from './witness';
import { absorb, initialFacts, problemsOf, unknownProbe } from './facts';
import { activeMaintenanceWindow } from './maintenance';
import { recheckIfAnswered, retryIfDue, retryNow, stepFinished, targetOf } from './steps';
import type { Action, DecisionContext, Facts, MachineState, Observation, Outcome, StateOf } from './types';

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
  const finalize = (prev: MachineState, out: Outcome, messages: Action[]) =>
    bookkeeping(prev, watchFence(witnessFence(out, ctx), obs, ctx), messages);
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
  const epoch = learnEpoch(current, ctx);
  if (!epoch) return finalize(state, byState(current, obs, ctx), absorbed.messages);
  if (epoch.outcome) return finalize(state, epoch.outcome, absorbed.messages);
  const out = byState({ ...current, facts: epoch.facts }, obs, ctx);
  const learned = {
    ...out,
    actions: [epoch.persist, ...out.actions],
    reason: `${epoch.learned}; ${out.reason}`,
  };
  return finalize(state, learned, absorbed.messages);
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
    case 'OperatorTurnedOff':
      return stay(state, `already turned off: ${state.cause}`);
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
  // Already on; the fence is asserted again, so a marker or stop that failed is retried now
  // that the operator says the cause is fixed (the turn-on cleared its problem in absorb()).
  if (obs.type === 'OperatorTurnedOn') {
    const next = settle(state, state.facts, ctx);
    return { state: next, actions: fenceActions(next.facts, ctx), reason: `already on: ${next.name}` };
  }
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
    actions: [...dns.actions, ...probes.actions, ...allowableTimeTick(facts, ctx)],
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
      const off = turnOff(
        facts,
        ctx,
        `turned off by the operator during the switch to the ${targetOf(name)} (${at})`,
      );
      return { ...off, ended: { result: 'abandoned', progress } };
    }
    case 'OperatorRequestedSwitch':
      if (obs.to === 'undo' || obs.to !== targetOf(name)) return requestSwitch(state, obs.to, ctx);
      if (progress.phase.kind === 'running')
        return stay(state, `the switch to the ${obs.to} is already running step ${progress.phase.step}`);
      return fromRun(state, name, retryNow(name, progress, facts, ctx), ctx);
    default:
      break;
  }
  return stay(state, `${name}: ${describeState(state).reason}`);
}

// ---- the bookkeeping every decision ends with ----

/**
 * Replication runs in Working, WorkingWithErrors, Inactive and Switched (guide §8: TurnedOff takes
 * no action for synchronisation; a ConfigurationError or a switch makes it unsafe). During a switch
 * its steps own it. Persist* actions go first (they must be durable before anything else happens),
 * messages last (they report what the other actions did or are about to do).
 */
function bookkeeping(prev: MachineState, out: Outcome, messages: Action[]): Outcome {
  let state = out.state;
  const ended: Action[] = [];
  if (state.facts.epoch !== prev.facts.epoch) {
    // What the probes said about the managed system belongs to the epoch it was said in: after a
    // switch back, the primary's test page that failed while it was fenced must not count as an
    // outage of the managed system it has just started. Monitoring starts afresh, and the
    // conditions the old probes reported end with them (no daily "not available" after a failover).
    if (state.facts.testPage.ok === false) ended.push({ type: 'CancelMessage', code: 'MainAppInvisible' });
    if (state.facts.external.ok === false) {
      ended.push({ type: 'CancelMessage', code: 'ExternalResourcesInvisible' });
    }
    state = { ...state, facts: { ...state.facts, testPage: unknownProbe, external: unknownProbe } };
  }
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
  const all = [...persist, ...out.actions, ...extra, ...ended, ...messages];
  const rank = (a: Action) =>
    a.type === 'PersistEpoch' || a.type === 'PersistTurnedOff'
      ? 0
      : a.type === 'SendMessage' || a.type === 'CancelMessage'
        ? 2
        : 1;
  return {
    ...out,
    state,
    actions: [0, 1, 2].flatMap((r) => all.filter((a) => rank(a) === r)),
    reason: out.reason,
  };
}

function replicationWanted(state: MachineState): boolean | undefined {
  switch (state.name) {
    case 'Working':
    case 'WorkingWithErrors':
    case 'Inactive':
      return true;
    // The side that took over keeps the other caught up while it is reachable (issue 6), so a
    // switch back has only the last changes to move. A fenced side sends nothing; it receives
    // whatever the holder sends (the composition root decides receiving from the epoch).
    case 'Switched':
      return !state.fenced;
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

export function assertNever(x: never): never {
  throw new Error(`unhandled state ${JSON.stringify(x)}`);
}

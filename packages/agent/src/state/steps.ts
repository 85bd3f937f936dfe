// Switching as a list of steps, each with a result kept in the switch log (guide §10.1.4: the
// operator sees exactly what was done). A step either completes inside the machine (a check of
// facts), or is an action the runner answers with SwitchStepFinished. Steps that already hold
// (the epoch is already ours, replication already stopped) are recorded as skipped, which makes a
// switch safe to run again after a restart: it converges instead of repeating side effects blindly.
import type { Role } from '@sparesync/common';
import { evaluateSwitch, secs } from './criteria';
import { holderOf, nextEpochFor, otherRole } from './epoch';
import type { Action, DecisionContext, Facts, Step, StepRecord, SwitchProgress } from './types';

export type SwitchName = 'SwitchingToSecondary' | 'SwitchingToPrimary';

/**
 * Taking over (issue 3, "Switching to the secondary"): the epoch is persisted before anything
 * visible happens, so from then on a returning primary fences itself; DNS moves last, once the
 * managed system answers here. Handing back (guide §10.1.3, run on the secondary): the primary
 * must be connected and fenced, the secondary stops and reverse-syncs, then the even epoch tells
 * the primary to start its managed system; DNS moves last, once the primary's test page answers
 * (a switch is done when the new side serves: README.md "The step order").
 */
export const plans: Record<SwitchName, readonly Step[]> = {
  SwitchingToSecondary: [
    'recheck-criteria',
    'hand-over',
    'persist-epoch',
    'stop-replication',
    'start-managed-system',
    'remove-offline-marker',
    'check-test-page',
    'update-dns',
  ],
  SwitchingToPrimary: [
    'check-primary-ready',
    'write-offline-marker',
    'stop-managed-system',
    'reverse-sync',
    'persist-epoch',
    'check-test-page',
    'update-dns',
  ],
};

/** The plan of a switch: with a witness, the key moves in step take-witness-key right before the
 * epoch is persisted (witness.ts), so the epoch never moves without the key. */
export function planOf(name: SwitchName, witness: boolean | undefined): readonly Step[] {
  const plan = plans[name];
  if (!witness) return plan;
  const at = plan.indexOf('persist-epoch');
  return [...plan.slice(0, at), 'take-witness-key', ...plan.slice(at)];
}

/** Steps retried with backoff, and how many attempts they get. Others halt on their first failure. */
const attemptsAllowed: Partial<Record<Step, number>> = {
  // The managed system may take a while to come up after its start command returns.
  'check-test-page': 8,
  // A DNS server that refuses (wrong TSIG key, unreachable) may be fixed while we wait; the
  // switch is useless without it, so it is retried until it succeeds or the operator intervenes.
  'update-dns': Number.POSITIVE_INFINITY,
};
export const RETRY_INITIAL_MS = 1000;
export const RETRY_MAX_MS = 30_000;

export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** (attempt - 1));
}

export const targetOf = (name: SwitchName): Role =>
  name === 'SwitchingToSecondary' ? 'secondary' : 'primary';

export interface SwitchRun {
  status: 'running' | 'finished' | 'halted' | 'cancelled';
  progress: SwitchProgress;
  facts: Facts;
  actions: Action[];
  reason: string;
}

type StepStart =
  | { kind: 'actions'; actions: Action[]; epoch?: number }
  | { kind: 'skipped' | 'done'; detail: string }
  | { kind: 'failed'; error: string };

export function beginSwitch(
  name: SwitchName,
  facts: Facts,
  ctx: DecisionContext,
  requestedBy: SwitchProgress['requestedBy'],
  why: string,
): SwitchRun {
  const first = plans[name][0] as Step;
  const progress: SwitchProgress = {
    id: attemptId(ctx.now),
    startedAt: ctx.now,
    requestedBy,
    why,
    log: [],
    phase: { kind: 'running', step: first, attempt: 0, since: ctx.now },
    ...(ctx.settings.witness ? { witness: true as const } : {}),
  };
  return advance(name, progress, facts, ctx, why);
}

/** Starts `progress.phase.step` and every step after it that completes without the runner. */
export function advance(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
  why: string,
): SwitchRun {
  const plan = planOf(name, progress.witness);
  let p = progress;
  let f = facts;
  const actions: Action[] = [];
  for (let i = plan.indexOf(p.phase.step); i < plan.length; i++) {
    const step = plan[i] as Step;
    const attempt = p.phase.step === step && p.phase.kind !== 'halted' ? p.phase.attempt + 1 : 1;
    const start = startStep(name, step, f, ctx, p.requestedBy);
    if (start.kind === 'actions') {
      if (step === 'recheck-criteria') {
        f = {
          ...f,
          testPage: { ...f.testPage, requestedAt: ctx.now },
          external: { ...f.external, requestedAt: ctx.now },
        };
      }
      p = {
        ...p,
        phase: {
          kind: 'running',
          step,
          attempt,
          since: ctx.now,
          ...(start.epoch === undefined ? {} : { epoch: start.epoch }),
        },
      };
      return {
        status: 'running',
        progress: p,
        facts: f,
        actions: [...actions, ...start.actions],
        reason: `${why}; running step ${step}`,
      };
    }
    if (start.kind === 'failed') return halt(name, p, f, ctx, step, start.error, actions);
    p = { ...p, log: [...p.log, record(step, start.kind, start.detail, ctx.now)] };
    const next = plan[i + 1];
    if (next) p = { ...p, phase: { kind: 'running', step: next, attempt: 0, since: ctx.now } };
  }
  return finish(name, p, f, ctx, actions);
}

/** The runner's answer for the running step. Answers for any other step are stale and ignored. */
export function stepFinished(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
  obs: { step: Step; ok: boolean; error?: string; detail?: string },
): SwitchRun {
  const phase = progress.phase;
  if (phase.kind !== 'running' || phase.step !== obs.step) {
    return {
      status: 'running',
      progress,
      facts,
      actions: [],
      reason: `ignored a stale result of step ${obs.step}`,
    };
  }
  if (obs.ok) return completeRunning(name, progress, facts, ctx, obs.detail || 'done');
  const error = obs.error || 'failed without a message';
  // An automatic takeover that could not take the witness key is not a halted switch: the primary
  // may still serve, so the secondary goes back to watching it.
  if (phase.step === 'take-witness-key' && progress.requestedBy === 'criteria') {
    return {
      status: 'cancelled',
      progress,
      facts,
      actions: [],
      reason: `switch cancelled: the witness key could not be taken (${error})`,
    };
  }
  const allowed = attemptsAllowed[phase.step] ?? 1;
  if (phase.attempt < allowed) {
    const delay = retryDelayMs(phase.attempt);
    const p: SwitchProgress = {
      ...progress,
      phase: {
        kind: 'waiting',
        step: phase.step,
        attempt: phase.attempt,
        retryAt: ctx.now + delay,
        lastError: error,
      },
    };
    const retry = `step ${phase.step} failed (attempt ${phase.attempt}): ${error}; retrying in ${secs(delay)} s`;
    const actions: Action[] = [{ type: 'ScheduleTick', afterMs: delay, reason: `retry step ${phase.step}` }];
    // The first failure is reported at once; repeats are the notify layer's business.
    if (phase.attempt === 1) actions.unshift({ type: 'SendMessage', code: 'SwitchedFailed', detail: retry });
    return { status: 'running', progress: p, facts, actions, reason: retry };
  }
  return halt(name, progress, facts, ctx, phase.step, error, []);
}

/** Marks the running step done (with effects on facts) and moves on. */
export function completeRunning(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
  detail: string,
): SwitchRun {
  const phase = progress.phase;
  if (phase.kind !== 'running')
    return { status: 'running', progress, facts, actions: [], reason: 'no step is running' };
  let f = facts;
  // The epoch counts only once the runner has made it durable: the fence rests on it.
  if (phase.step === 'persist-epoch' && phase.epoch !== undefined) f = { ...f, epoch: phase.epoch };
  if (phase.step === 'stop-replication') f = { ...f, replicating: false };
  if (phase.step === 'take-witness-key' && phase.epoch !== undefined) {
    const holder = { role: targetOf(name), epoch: phase.epoch, since: ctx.now };
    f = { ...f, witness: { ...f.witness, holder, mine: holder.role === ctx.settings.role } };
  }
  const plan = planOf(name, progress.witness);
  const next = plan[plan.indexOf(phase.step) + 1];
  const log = [...progress.log, record(phase.step, 'done', detail, ctx.now)];
  if (!next) return finish(name, { ...progress, log }, f, ctx, []);
  const p: SwitchProgress = {
    ...progress,
    log,
    phase: { kind: 'running', step: next, attempt: 0, since: ctx.now },
  };
  return advance(name, p, f, ctx, `step ${phase.step} done`);
}

/** A waiting step whose retry time has come is started again. */
export function retryIfDue(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
): SwitchRun | undefined {
  const phase = progress.phase;
  if (phase.kind !== 'waiting' || ctx.now < phase.retryAt) return undefined;
  const p: SwitchProgress = {
    ...progress,
    phase: { kind: 'running', step: phase.step, attempt: phase.attempt, since: ctx.now },
  };
  return advance(name, p, facts, ctx, `retrying step ${phase.step} (attempt ${phase.attempt + 1})`);
}

/**
 * The operator asked again: a new attempt (its own id and log, so a client following it never
 * mistakes the halted attempt for it) that starts over at the halted (or waiting) step.
 */
export function retryNow(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
): SwitchRun {
  const step = progress.phase.step;
  const done = progress.log.filter((r) => r.outcome !== 'failed').map((r) => r.step);
  const why = `the operator retried switch ${progress.id} from step ${step} (before it: ${done.join(', ') || 'nothing'})`;
  const p: SwitchProgress = {
    id: attemptId(ctx.now, progress.id),
    startedAt: ctx.now,
    requestedBy: 'operator',
    why,
    log: [],
    phase: { kind: 'running', step, attempt: 0, since: ctx.now },
    ...(progress.witness ? { witness: true as const } : {}),
  };
  return advance(name, p, facts, ctx, why);
}

/** A switch attempt's id: its start time, made unique against the attempt it replaces. */
function attemptId(now: number, previous?: string): string {
  const id = `sw-${now}`;
  return id === previous ? `${id}-2` : id;
}

/** Step 1 of an automatic takeover: are the criteria still met on fresh probes? */
export function recheckIfAnswered(
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
): SwitchRun | undefined {
  const phase = progress.phase;
  if (phase.kind !== 'running' || phase.step !== 'recheck-criteria') return undefined;
  const fresh = (at: number | undefined) => at !== undefined && at >= phase.since;
  if (ctx.settings.managedSystem.testPage.primaryUrl && !fresh(facts.testPage.checkedAt)) return undefined;
  if (!fresh(facts.external.checkedAt)) return undefined;
  const verdict = evaluateSwitch(facts, ctx);
  if (!verdict.go) {
    return {
      status: 'cancelled',
      progress,
      facts,
      actions: [],
      reason: `switch cancelled at the re-check, ${verdict.reason}`,
    };
  }
  return completeRunning('SwitchingToSecondary', progress, facts, ctx, verdict.reason);
}

function startStep(
  name: SwitchName,
  step: Step,
  facts: Facts,
  ctx: DecisionContext,
  by: SwitchProgress['requestedBy'],
): StepStart {
  const target = targetOf(name);
  const { settings } = ctx;
  switch (step) {
    case 'recheck-criteria':
      if (by !== 'criteria')
        return {
          kind: 'skipped',
          detail: by === 'operator' ? 'requested by the operator' : 'resuming a switch',
        };
      return settings.managedSystem.testPage.primaryUrl
        ? {
            kind: 'actions',
            actions: [{ type: 'CheckTestPage', target: 'primary' }, { type: 'CheckExternalResources' }],
          }
        : { kind: 'actions', actions: [{ type: 'CheckExternalResources' }] };
    case 'hand-over':
      return handOverStart(facts, by);
    case 'take-witness-key': {
      if (!settings.witness) return { kind: 'skipped', detail: 'no witness is configured' };
      if (holderOf(facts.epoch) === target)
        return { kind: 'skipped', detail: `epoch ${facts.epoch} already names the ${target}` };
      const epoch = nextEpochFor(target, Math.max(facts.epoch, facts.peer.epoch));
      // Without the link the old holder cannot hear the new epoch: only its expired lease frees the key.
      const onlyIfFree = !facts.peer.connected;
      const take: Action = {
        type: 'TakeWitnessKey',
        holder: target,
        epoch,
        fromEpoch: facts.epoch,
        onlyIfFree,
        step,
      };
      return { kind: 'actions', actions: [take], epoch };
    }
    case 'persist-epoch': {
      if (holderOf(facts.epoch) === target)
        return { kind: 'skipped', detail: `epoch ${facts.epoch} already names the ${target}` };
      const epoch = nextEpochFor(target, Math.max(facts.epoch, facts.peer.epoch));
      return { kind: 'actions', actions: [{ type: 'PersistEpoch', epoch, step }], epoch };
    }
    case 'stop-replication':
      return facts.replicating
        ? { kind: 'actions', actions: [{ type: 'StopReplication', step }] }
        : { kind: 'skipped', detail: 'replication is already stopped' };
    case 'start-managed-system':
      return { kind: 'actions', actions: [{ type: 'StartManagedSystem', step }] };
    case 'remove-offline-marker':
      return { kind: 'actions', actions: [{ type: 'RemoveOfflineMarker', step }] };
    case 'check-test-page':
      return { kind: 'actions', actions: [{ type: 'CheckTestPage', target, step }] };
    case 'update-dns':
      if (!settings.dns.enabled) return { kind: 'skipped', detail: 'dns.enabled is off' };
      return { kind: 'actions', actions: [{ type: 'UpdateDns', from: otherRole(target), to: target, step }] };
    case 'check-primary-ready': {
      const peer = facts.peer;
      if (peer.connected && peer.state === 'Switched') {
        return { kind: 'done', detail: 'the primary agent is connected and has stopped its managed system' };
      }
      const now = peer.connected ? `in state ${peer.state}` : 'not connected';
      return { kind: 'failed', error: `the primary agent is ${now}; it must be connected and show Switched` };
    }
    case 'write-offline-marker':
      return { kind: 'actions', actions: [{ type: 'WriteOfflineMarker', step }] };
    case 'stop-managed-system':
      return { kind: 'actions', actions: [{ type: 'StopManagedSystem', step }] };
    case 'reverse-sync':
      return { kind: 'actions', actions: [{ type: 'ReverseSync', step }] };
  }
}

/**
 * A planned switch (the operator's, guide §10.1.2) loses no data: while the primary still holds
 * the epoch and is connected, it stops its managed system and drains replication to us before
 * the epoch moves. An automatic takeover never waits for the primary it is replacing.
 */
function handOverStart(facts: Facts, by: SwitchProgress['requestedBy']): StepStart {
  if (holderOf(facts.epoch) !== 'primary')
    return { kind: 'skipped', detail: `epoch ${facts.epoch} already names the secondary` };
  if (by === 'criteria')
    return { kind: 'skipped', detail: 'an automatic takeover does not wait for the primary' };
  if (!facts.peer.connected)
    return {
      kind: 'skipped',
      detail: 'the primary agent is not connected: changes it has not sent cannot be drained',
    };
  return { kind: 'actions', actions: [{ type: 'HandOver', step: 'hand-over' }] };
}

function halt(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
  step: Step,
  error: string,
  actions: Action[],
): SwitchRun {
  const log = [...progress.log, record(step, 'failed', error, ctx.now)];
  const done = log.filter((r) => r.outcome === 'done').map((r) => r.step);
  const reason = `the switch to the ${targetOf(name)} stopped at step ${step}: ${error}; done: ${done.join(', ') || 'nothing'}`;
  return {
    status: 'halted',
    progress: { ...progress, log, phase: { kind: 'halted', step, error } },
    facts,
    actions: [...actions, { type: 'SendMessage', code: 'SwitchedFailed', detail: reason }],
    reason,
  };
}

function finish(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
  actions: Action[],
): SwitchRun {
  const reason = `switched to the ${targetOf(name)} at epoch ${facts.epoch} in ${secs(ctx.now - progress.startedAt)} s`;
  return {
    status: 'finished',
    progress,
    facts,
    actions: [...actions, { type: 'SendMessage', code: 'SwitchedSuccessfully', detail: reason }],
    reason,
  };
}

function record(step: Step, outcome: StepRecord['outcome'], detail: string, at: number): StepRecord {
  return { step, outcome, detail, at };
}

// Switching as a list of steps, each with a result kept in the switch log (guide §10.1.4: the
// operator sees exactly what was done). A step either completes inside the machine (a check of
// facts), or is an action the runner answers with SwitchStepFinished. Steps that already hold
// (the epoch is already ours, replication already stopped) are recorded as skipped, which makes a
// switch safe to run again after a restart: it converges instead of repeating side effects blindly.
import { evaluateSwitch, secs } from './criteria';
import { startStep, targetOf, type SwitchName } from './step-start';

export { targetOf, type SwitchName };
import type { Action, DecisionContext, Facts, Step, StepRecord, SwitchProgress } from './types';

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
  // Right after a cut link heals, a primary that served through the cut learns the higher epoch
  // and is still stopping its managed system: wait for it (1 + 2 + 4 + 8 s) before giving up
  // (only while it is connected and not turned off: step-start.ts).
  'check-primary-ready': 5,
};
/** Steps whose failed attempts wait for the peer: no failure message until they run out. */
const waitsForPeer: ReadonlySet<Step> = new Set(['check-primary-ready']);
export const RETRY_INITIAL_MS = 1000;
export const RETRY_MAX_MS = 30_000;

export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** (attempt - 1));
}

export interface SwitchRun {
  status: 'running' | 'finished' | 'halted' | 'cancelled';
  progress: SwitchProgress;
  facts: Facts;
  actions: Action[];
  reason: string;
}

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
    if (start.kind === 'failed') {
      if (!start.retry) return halt(name, p, f, ctx, step, start.error, actions);
      return retryOrHalt(name, p, f, ctx, step, attempt, start.error, actions);
    }
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
  return retryOrHalt(name, progress, facts, ctx, phase.step, phase.attempt, error, []);
}

/** A failed attempt of `step`: waits and tries again while attempts are left, else halts. */
function retryOrHalt(
  name: SwitchName,
  progress: SwitchProgress,
  facts: Facts,
  ctx: DecisionContext,
  step: Step,
  attempt: number,
  error: string,
  before: Action[],
): SwitchRun {
  const allowed = attemptsAllowed[step] ?? 1;
  if (attempt >= allowed) return halt(name, progress, facts, ctx, step, error, before);
  const delay = retryDelayMs(attempt);
  const p: SwitchProgress = {
    ...progress,
    phase: { kind: 'waiting', step, attempt, retryAt: ctx.now + delay, lastError: error },
  };
  const retry = `step ${step} failed (attempt ${attempt}): ${error}; retrying in ${secs(delay)} s`;
  const actions: Action[] = [
    ...before,
    { type: 'ScheduleTick', afterMs: delay, reason: `retry step ${step}` },
  ];
  // The first failure is reported at once (a wait for the peer is not one); repeats are the
  // notify layer's business.
  if (attempt === 1 && !waitsForPeer.has(step))
    actions.unshift({ type: 'SendMessage', code: 'SwitchedFailed', detail: retry });
  return { status: 'running', progress: p, facts, actions, reason: retry };
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

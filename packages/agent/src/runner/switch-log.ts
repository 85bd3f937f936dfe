// The switch log (status `lastSwitch`) derived from the machine's switching state and, when a
// decision ends a switch, from `Outcome.ended`; never kept separately (runner/README.md).
import { switchPhaseCode, type SwitchLog } from '@sparesync/common';
import type { MachineState, Outcome, SwitchProgress } from '../state';

/** The switch log of the attempt under way, or of the one this decision ended (and how). */
export function switchLogOf(before: MachineState, outcome: Outcome, now: number): SwitchLog | undefined {
  const after = outcome.state;
  const progressOf = (s: MachineState) =>
    s.name === 'SwitchingToSecondary' || s.name === 'SwitchingToPrimary' ? s.progress : undefined;
  const was = progressOf(before);
  const is = progressOf(after);
  // A decision that replaces one attempt by another (an undo, a retry) reports the new one.
  if (is) return logOf(after.name, is, is.phase.kind, 0);
  if (!was) return undefined;
  const end = outcome.ended;
  return logOf(before.name, end?.progress ?? was, end?.result ?? 'abandoned', now);
}

function logOf(
  kind: string,
  progress: SwitchProgress,
  phase: SwitchLog['phase'],
  endedAtMs: number,
): SwitchLog {
  const p = progress.phase;
  const ended = endedAtMs > 0;
  return {
    id: progress.id,
    kind,
    requestedBy: progress.requestedBy,
    why: progress.why,
    startedAtMs: progress.startedAt,
    steps: progress.log.map((r) => ({ step: r.step, outcome: r.outcome, detail: r.detail, atMs: r.at })),
    phase,
    currentStep: phase === 'completed' ? '' : p.step,
    error: p.kind === 'waiting' ? p.lastError : p.kind === 'halted' ? p.error : '',
    retryAtMs: !ended && p.kind === 'waiting' ? p.retryAt : 0,
    endedAtMs,
    phaseCode: switchPhaseCode(phase),
  };
}

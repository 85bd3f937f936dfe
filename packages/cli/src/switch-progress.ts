// One line for a switch under way or finished, with its step names, from Status.local.lastSwitch.
import type { SwitchLog } from '@sparesync/common';

const mark: Record<string, string> = { done: '✓', skipped: '–', failed: '✗' };

export function switchProgressLine(sw: SwitchLog): string {
  const to = sw.kind === 'SwitchingToPrimary' ? 'primary' : 'secondary';
  const steps = sw.steps.map((s) => `${s.step} ${mark[s.outcome] ?? s.outcome}`);
  if (sw.currentStep) steps.push(`[${sw.currentStep}]`);
  const phase =
    sw.phase === 'waiting'
      ? `waiting to retry ${sw.currentStep}: ${sw.error}`
      : sw.phase === 'halted'
        ? `halted at ${sw.currentStep}: ${sw.error}`
        : sw.phase;
  const by = sw.id ? `${sw.requestedBy}, ${sw.id}` : sw.requestedBy;
  return `switch to the ${to} (${by}), ${phase}: ${steps.join(' ')}`;
}

export function switchFinished(sw: SwitchLog | undefined): boolean {
  return sw !== undefined && sw.phase !== 'running' && sw.phase !== 'waiting';
}

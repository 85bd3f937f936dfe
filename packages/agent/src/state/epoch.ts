// Epochs fence stale writers (DESIGN.md). Every switch moves the pair to a higher epoch, and the
// epoch's parity names the side that runs the managed system: even → primary, odd → secondary.
// So any agent that hears of an epoch higher than its own knows at once who holds the managed
// system, without a separate "holder" field that could disagree with the number; a switch that
// changes the holder always increments the epoch, and never reuses one a side has already seen.
import type { Role } from '@sparesync/common';

export function holderOf(epoch: number): Role {
  return epoch % 2 === 0 ? 'primary' : 'secondary';
}

/** The smallest epoch above `above` that names `holder`. */
export function nextEpochFor(holder: Role, above: number): number {
  const next = above + 1;
  return holderOf(next) === holder ? next : next + 1;
}

export function otherRole(role: Role): Role {
  return role === 'primary' ? 'secondary' : 'primary';
}

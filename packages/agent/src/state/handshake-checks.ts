// The pair checks of guide §8.1 items 1–4, pure. Each problem is one sentence naming both sides, so
// the operator can fix it from the status line alone. A pair-key mismatch is found by the link's
// proof exchange and arrives as the PeerHandshakeFailed observation instead.
import type { Identity } from './types';

/** The reasons (empty when none) why these two agents cannot form a pair. */
export function checkHandshake(local: Identity, peer: Identity): string[] {
  const reasons: string[] = [];
  if (peer.role === local.role) {
    reasons.push(
      `both servers have the role ${local.role}: set role to primary on one and secondary on the other`,
    );
  }
  if (peer.version !== local.version) {
    reasons.push(`different versions: this server runs ${local.version}, the peer ${peer.version}`);
  }
  // Both the offset and the zone name: two zones with today's offset can still part at the next
  // daylight-saving change, and maintenance windows are written in local time on both sides.
  // An empty name (a platform that cannot tell) is compared by offset only.
  const namesDiffer = local.timeZone !== '' && peer.timeZone !== '' && local.timeZone !== peer.timeZone;
  if (namesDiffer || peer.utcOffsetMinutes !== local.utcOffsetMinutes) {
    reasons.push(`different time zones: this server ${zone(local)}, the peer ${zone(peer)}`);
  }
  return reasons;
}

/** Guide §8.1 item 3: undefined while |offset| ≤ the limit. */
export function checkClockOffset(offsetMs: number, maxSeconds: number): string | undefined {
  if (Math.abs(offsetMs) <= maxSeconds * 1000) return undefined;
  return `the clocks differ by ${(Math.abs(offsetMs) / 1000).toFixed(1)} s, more than link.maxClockOffsetSeconds (${maxSeconds} s)`;
}

export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function zone(id: Identity): string {
  return `${id.timeZone || '(unnamed zone)'} (${formatUtcOffset(id.utcOffsetMinutes)})`;
}

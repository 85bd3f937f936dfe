// Pair-key proofs and the peer checks of guide §8.1. Pure functions: no I/O, no clock.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Hello } from '@sparesync/common';

export type ProofLabel = 'server' | 'client';

/** HMAC-SHA256(pair key, label | nonce of the verifier | nonce of the prover). */
export function pairKeyProof(
  pairKey: Buffer,
  label: ProofLabel,
  verifierNonce: Buffer,
  proverNonce: Buffer,
): Buffer {
  return createHmac('sha256', pairKey).update(label).update(verifierNonce).update(proverNonce).digest();
}

export function proofMatches(expected: Buffer, got: Buffer): boolean {
  return got.length === expected.length && timingSafeEqual(expected, got);
}

export function newNonce(): Buffer {
  return randomBytes(32);
}

export interface LocalIdentity {
  role: string;
  version: string;
  timeZone: string;
  utcOffsetMinutes: number;
}

/** The reasons (empty when none) why this pair cannot work, guide §8.1 items 1, 2 and 4. */
export function peerMismatches(
  local: LocalIdentity,
  peer: Pick<Hello, 'role' | 'version' | 'timeZone' | 'utcOffsetMinutes'>,
): string[] {
  const reasons: string[] = [];
  if (peer.role === local.role) reasons.push(`both servers have the role ${local.role}`);
  if (peer.version !== local.version)
    reasons.push(`different versions: this server ${local.version}, peer ${peer.version}`);
  if (peer.utcOffsetMinutes !== local.utcOffsetMinutes) {
    reasons.push(
      `different time zones: this server ${local.timeZone} (UTC${formatOffset(local.utcOffsetMinutes)}), peer ${peer.timeZone} (UTC${formatOffset(peer.utcOffsetMinutes)})`,
    );
  }
  return reasons;
}

/** Guide §8.1 item 3. */
export function clockOffsetProblem(offsetMs: number, maxSeconds: number): string | undefined {
  if (Math.abs(offsetMs) <= maxSeconds * 1000) return undefined;
  return `clocks differ by ${(offsetMs / 1000).toFixed(1)} s, more than link.maxClockOffsetSeconds (${maxSeconds} s)`;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** This machine's time zone, as the handshake reports it. */
export function localTimeZone(now: Date): { timeZone: string; utcOffsetMinutes: number } {
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    utcOffsetMinutes: -now.getTimezoneOffset(),
  };
}

// Pair-key proofs for the handshake (guide §8.1 item 6); the other §8.1 checks are the state
// machine's (state/handshake-checks.ts). Pure functions.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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

let zone: { name: string; at: number } | undefined;
/** How long the zone's name is reused: the runner asks on every tick and beat, and building an
 * Intl.DateTimeFormat was a quarter of an idle agent's CPU. The offset is read every time. */
const ZONE_REUSE_MS = 60_000;

/** This machine's time zone, as the handshake reports it. */
export function localTimeZone(now: Date): { timeZone: string; utcOffsetMinutes: number } {
  const t = now.getTime();
  if (!zone || !(Math.abs(t - zone.at) < ZONE_REUSE_MS)) {
    zone = { name: Intl.DateTimeFormat().resolvedOptions().timeZone, at: t };
  }
  return { timeZone: zone.name, utcOffsetMinutes: -now.getTimezoneOffset() };
}

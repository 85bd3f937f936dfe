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

/** This machine's time zone, as the handshake reports it. */
export function localTimeZone(now: Date): { timeZone: string; utcOffsetMinutes: number } {
  return {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    utcOffsetMinutes: -now.getTimezoneOffset(),
  };
}

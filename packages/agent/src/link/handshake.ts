// Pair-key proofs for the handshake (guide §8.1 item 6); the other §8.1 checks are the state
// machine's (state/handshake-checks.ts). Pure functions, but for localTimeZone's one question to a
// child process.
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { basename } from 'node:path';

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

let zoneName: string | undefined;

/** Writes the zone's name as Intl names it; run by a node of its own (hostZoneName). */
const ZONE_SCRIPT = 'process.stdout.write(Intl.DateTimeFormat().resolvedOptions().timeZone)';

/**
 * This machine's time zone name as Intl.DateTimeFormat gives it (ICU's canonical IANA name, so
 * `Etc/UTC` and `UTC`, or `US/Pacific` and `America/Los_Angeles`, name the same zone on both
 * servers), asked once of a short-lived node process started from this one's binary. A
 * DateTimeFormat built in the agent itself loads ICU's locale and calendar data: ~7 MB of its
 * resident memory for as long as it runs (issue 16). The name does not change under a running
 * process either way: V8 and ICU read the zone once (only assigning process.env.TZ in the process
 * makes them read it again). Where no node binary can be started, the agent asks Intl itself.
 */
function hostZoneName(): string {
  if (zoneName !== undefined) return zoneName;
  // Preloads (NODE_OPTIONS --require) stay out of the child; where ICU's data is, stays in.
  const icu = (arg: string) => arg.startsWith('--icu-data-dir');
  try {
    if (!/^node(js)?(\.exe)?$/i.test(basename(process.execPath))) throw new Error('not a node binary');
    zoneName = execFileSync(process.execPath, [...process.execArgv.filter(icu), '-e', ZONE_SCRIPT], {
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_OPTIONS: (process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(icu).join(' '),
      },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
      windowsHide: true,
    });
  } catch {
    zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
  return zoneName;
}

/** This machine's time zone, as the handshake reports it. The offset is read every time. */
export function localTimeZone(now: Date): { timeZone: string; utcOffsetMinutes: number } {
  return { timeZone: hostZoneName(), utcOffsetMinutes: -now.getTimezoneOffset() };
}

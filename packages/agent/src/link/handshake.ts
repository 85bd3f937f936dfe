// Pair-key proofs for the handshake (guide §8.1 item 6); the other §8.1 checks are the state
// machine's (state/handshake-checks.ts). Pure functions, but for localTimeZone's one question to a
// child process.
import { execFile } from 'node:child_process';
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
let zoneAsked: Promise<string> | undefined;

/** Writes the zone's name as Intl names it; run by a node of its own (zoneNameOf). */
const ZONE_SCRIPT = 'process.stdout.write(Intl.DateTimeFormat().resolvedOptions().timeZone)';

/**
 * This machine's time zone name as Intl.DateTimeFormat gives it (ICU's canonical IANA name, so
 * `Etc/UTC` and `UTC`, or `US/Pacific` and `America/Los_Angeles`, name the same zone on both
 * servers), asked of a short-lived node process started from `execPath` (this one's binary). A
 * DateTimeFormat built in the agent itself loads ICU's locale and calendar data: ~7 MB of its
 * resident memory for as long as it runs (issue 16). The name does not change under a running
 * process either way: V8 and ICU read the zone once (only assigning process.env.TZ in the process
 * makes them read it again). Where no node binary can be started, or it fails, the agent asks Intl
 * itself. Never rejects.
 */
export function zoneNameOf(execPath: string): Promise<string> {
  const ownIntl = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Preloads (NODE_OPTIONS --require) stay out of the child; where ICU's data is, stays in.
  const icu = (arg: string) => arg.startsWith('--icu-data-dir');
  if (!/^node(js)?(\.exe)?$/i.test(basename(execPath))) return Promise.resolve(ownIntl());
  return new Promise((resolve) => {
    execFile(
      execPath,
      [...process.execArgv.filter(icu), '-e', ZONE_SCRIPT],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          NODE_OPTIONS: (process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(icu).join(' '),
        },
        timeout: 10_000,
        windowsHide: true,
      },
      (error, stdout) => resolve(error || stdout === '' ? ownIntl() : stdout),
    );
  });
}

/**
 * Starts asking this machine's zone name (once per process; zoneNameOf) and resolves with it.
 * main.ts calls it before it loads the agent's modules, so the child node runs beside them (it took
 * 50-85 ms of a blocking call at the handshake before); Agent.start awaits it before its server can
 * take a peer's Hello.
 */
export function askHostZoneName(): Promise<string> {
  zoneAsked ??= zoneNameOf(process.execPath).then((name) => (zoneName = name));
  return zoneAsked;
}

/** This machine's time zone, as the handshake reports it. The offset is read every time. */
export function localTimeZone(now: Date): { timeZone: string; utcOffsetMinutes: number } {
  // '' (an unnamed zone, which the handshake's checks pass over) only before askHostZoneName's answer.
  return { timeZone: zoneName ?? '', utcOffsetMinutes: -now.getTimezoneOffset() };
}

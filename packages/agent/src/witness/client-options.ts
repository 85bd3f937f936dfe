// The etcd3 client's options from settings.witness: one host per client, short timeouts and
// reconnects, our own member failover, and the credentials files (read once; one that cannot be
// read throws an error naming its setting and file).
import { readFileSync, statSync } from 'node:fs';
import { ConsecutiveBreaker, circuitBreaker, handleWhen, noop } from 'cockatiel';
import { isRecoverableError, type IOptions } from 'etcd3';
import type { Settings } from '@sparesync/common';

export type WitnessSettings = NonNullable<Settings['witness']>;

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function clientOptions(
  w: WitnessSettings,
  resolvePath: (p: string) => string,
  callMs: number,
  host: string,
): IOptions {
  const file = (setting: 'ca' | 'cert' | 'key' | 'passwordFile', p: string) => {
    const path = resolvePath(p);
    try {
      return readFileSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? message(err);
      throw new Error(`cannot read witness.etcd.${setting} ${path} (${code})`);
    }
  };
  const e = w.etcd;
  return {
    hosts: [host],
    dialTimeout: callMs,
    // A witness back after an outage is used within seconds, not after grpc's growing backoff.
    grpcOptions: { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 2000 },
    // One host per client: the witness tries the next member itself (onAnyMember). A member that
    // failed twice is skipped for one second, not the library's five.
    faultHandling: {
      host: () =>
        circuitBreaker(handleWhen(isRecoverableError), {
          halfOpenAfter: 1000,
          breaker: new ConsecutiveBreaker(2),
        }),
      global: noop,
    },
    // Without ca, https endpoints are checked against the system's roots (etcd3's default).
    ...(e.ca
      ? {
          credentials: {
            rootCertificate: file('ca', e.ca),
            ...(e.cert ? { certChain: file('cert', e.cert) } : {}),
            ...(e.key ? { privateKey: file('key', e.key) } : {}),
          },
        }
      : {}),
    ...(e.user
      ? { auth: { username: e.user, password: file('passwordFile', e.passwordFile).toString().trim() } }
      : {}),
  };
}

export function looseFile(
  p: string,
  resolvePath: (p: string) => string,
): { file: string; mode: number } | undefined {
  if (!p) return undefined;
  const file = resolvePath(p);
  try {
    const mode = statSync(file).mode & 0o777;
    return mode & 0o077 ? { file, mode } : undefined;
  } catch {
    return undefined; // unreadable: the round says so
  }
}

// A failover system for end-to-end tests: a pair with the sample app on each side, its DNS
// record in a given BIND9 named (or the embedded server), and helpers to look at it. Shared by the
// failover and switch-back tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { deepMerge } from '@sparesync/devkit';
import { sampleSystem, type SampleSystem } from '@sparesync/devkit';
import { queryAddress, updateAddress, type TsigKey } from '../../packages/agent/src/dns';
import { randomBytes } from 'node:crypto';
import { startBind, type BindServer } from './bind';
import { Pair, runCli, tempDir, type CliResult, type Side } from './pair';

/** Quick numbers: heartbeat 0.25 s, a primary gone for 2 s is failed over, probes every 0.5 s. */
export const quick = {
  system: {
    allowableResponseTimeSeconds: 2,
    availabilityCheckSeconds: 0.5,
    externalResourcesRecoverySeconds: 0,
  },
};

export interface Setup {
  pair: Pair;
  sys: SampleSystem;
  app(side: Side, verb: 'start' | 'stop' | 'status'): number;
  dig(): Promise<string[]>;
  appAnswers(side: Side): Promise<boolean>;
  /** `sparesync switch --to TO --yes --json` run against the secondary's agent (it runs switches). */
  switchTo(to: 'primary' | 'secondary' | 'undo'): CliResult;
  /** Agents first (they could restart an app), then the apps, then the folder with their pid files. */
  teardown(): Promise<void>;
}

export interface SetupOptions {
  both?: object;
  primary?: object;
  secondary?: object;
  /** The BIND server holding `zone` with `key`; omitted: the embedded DNS server on the secondary. */
  bind?: BindServer;
  zone: string;
  key: TsigKey;
  /** The key the agents use (default `key`). */
  tsig?: { name: string; secret: string };
  sampleDatabase?: boolean;
}

const deep = (a: object, b: object | undefined): object => deepMerge(a, b);

export async function failoverSystem(opts: SetupOptions): Promise<Setup> {
  const dir = tempDir('failover');
  mkdirSync(dir, { recursive: true });
  const sys = await sampleSystem({
    dir,
    zone: opts.zone,
    dnsServer: opts.bind ? { host: opts.bind.host, port: opts.bind.port } : undefined,
    tsig: opts.tsig ?? opts.key,
  });
  const pair = await Pair.create(
    {
      both: { ...deep(sys.overrides.both, quick), ...(opts.both ?? {}) },
      primary: deep(sys.overrides.primary, opts.primary),
      secondary: deep(sys.overrides.secondary, opts.secondary),
    },
    dir,
    { sampleDatabase: opts.sampleDatabase },
  );
  const app = (side: Side, verb: 'start' | 'stop' | 'status') =>
    spawnSync('/bin/sh', ['-c', sys.appCommand(side, verb)], { encoding: 'utf8', timeout: 20_000 }).status ??
    -1;
  const s: Setup = {
    pair,
    sys,
    app,
    dig: async () =>
      (
        await queryAddress({ host: sys.dns.host, port: sys.dns.port }, sys.recordName, 'A', {
          timeoutMs: 2000,
        })
      ).addresses,
    appAnswers: async (side) => {
      try {
        const r = await fetch(`http://127.0.0.1:${sys.appPorts[side]}/health`, {
          signal: AbortSignal.timeout(1000),
        });
        return r.ok;
      } catch {
        return false;
      }
    },
    switchTo: (to) => runCli(['switch', '--to', to, '--yes', '--json', '--config', pair.config('secondary')]),
    teardown: async () => {
      for (const side of ['primary', 'secondary'] as const) await pair.signal(side, 'SIGKILL');
      app('primary', 'stop');
      app('secondary', 'stop');
      await pair.stop().catch(() => undefined);
    },
  };
  // Every scenario starts with the name pointing at the primary.
  if (opts.bind) {
    await updateAddress({
      server: { host: opts.bind.host, port: opts.bind.port },
      key: opts.key,
      timeoutMs: 2000,
      zone: opts.zone,
      name: sys.recordName,
      ttl: 5,
      expected: 'any',
      newAddress: sys.addresses.primary,
    });
  }
  if (app('primary', 'start') !== 0) throw new Error("the primary's sample app did not start");
  return s;
}

export interface FailoverSuite {
  zone: string;
  /** May update the zone. */
  key: TsigKey;
  /** Known to named (queries verify) but not allowed to update the zone. */
  queryOnly: TsigKey;
  bind(): BindServer;
  /** A fresh system against this suite's named (or the embedded DNS server), torn down after the test. */
  system(opts?: Omit<SetupOptions, 'zone' | 'key' | 'bind'> & { embedded?: boolean }): Promise<Setup>;
}

/** Registers a BIND9 named for `zone` for the whole file, and teardown of every system after each test. */
export function failoverSuite(zone: string): FailoverSuite {
  const secret = () => randomBytes(32).toString('base64');
  const key: TsigKey = { name: 'pair-key', algorithm: 'hmac-sha256', secret: secret() };
  const queryOnly: TsigKey = { ...key, name: 'query-only', secret: secret() };
  let bind: BindServer | undefined;
  const running: Setup[] = [];
  beforeAll(async () => {
    bind = await startBind({
      zone,
      keys: [key, { ...queryOnly, allowUpdate: false }],
      records: [{ name: 'app', type: 'A', value: '127.0.0.11', ttl: 5 }],
    });
  });
  afterAll(() => bind?.stop());
  afterEach(async () => {
    for (const s of running.splice(0)) await s.teardown();
  });
  const named = (): BindServer => {
    if (!bind) throw new Error('named is not running (beforeAll failed?)');
    return bind;
  };
  return {
    zone,
    key,
    queryOnly,
    bind: named,
    system: async (opts = {}) => {
      const s = await failoverSystem({ ...opts, zone, key, bind: opts.embedded ? undefined : named() });
      running.push(s);
      return s;
    },
  };
}

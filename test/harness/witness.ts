// A failover system with a witness (test/witness.test.ts, the fault suite): a private etcd, and
// TCP proxies that let a test cut each agent from etcd, the link between the agents, and the
// secondary's view of the primary's test page, separately. The agents' settings name the proxies.
import { spawn } from 'node:child_process';
import { loadSettings, type Logger } from '@sparesync/common';
import { startEtcd, type EtcdCluster } from '@sparesync/devkit';
import { failoverSuite, type FailoverSuite, type Setup } from './failover';
import { LinkProxy, type ProxyMode } from './link-proxy';
import { cliMain, type Side } from './pair';

export const witnessTiming = {
  // heartbeat 0.25 s × 3 misses + lease 3 s < allowable 5 s (the settings check)
  system: {
    allowableResponseTimeSeconds: 5,
    availabilityCheckSeconds: 0.5,
    externalResourcesRecoverySeconds: 0,
  },
  notifications: { timings: { WitnessUnreachable: { delaySeconds: 0 }, WitnessFenced: { delaySeconds: 0 } } },
};
export const LEASE_TTL_S = 3;

export interface WitnessSetup extends Setup {
  etcd: EtcdCluster;
  prefix: string;
  /** In front of etcd's first member, one per agent. */
  toEtcd: Record<Side, LinkProxy>;
  /** In front of each agent's link port. */
  link: Record<Side, LinkProxy>;
  /** In front of the primary's app, as the secondary's test page sees it. */
  page: LinkProxy;
  /** Cuts (or heals, with 'open') the link and the secondary's view of the primary's page. */
  cutPeers(mode: ProxyMode): void;
  /** The holder and epoch keys as etcd holds them now. */
  keys(): Promise<{ holder?: Kv; epoch?: Kv }>;
  close(): Promise<void>;
}

export interface Kv {
  value: string;
  modRevision: number;
  lease: string;
}

let prefixes = 0;

/**
 * With `tls` etcd serves https only and wants a client certificate; the agents' settings name the
 * CA and the client certificate. `keys()` reads over plain http, so not with `tls`.
 */
export async function witnessSystem(
  suite: FailoverSuite,
  /** witness: false builds the same system (proxies, timing, etcd running) without the witness
   * section: the guide's behaviour, for comparison. */
  opts: { members?: number; both?: object; tls?: boolean; witness?: boolean } = {},
): Promise<WitnessSetup> {
  const etcd = await startEtcd(opts.members ?? 1, { tls: opts.tls });
  const prefix = `/sparesync/test-${process.pid}-${++prefixes}`;
  const scheme = etcd.tls ? 'https' : 'http';
  const on = opts.witness !== false;
  const witness = on
    ? {
        witness: {
          etcd: { endpoints: etcd.endpoints, ...(etcd.tls ?? {}) },
          keyPrefix: prefix,
          leaseTtlSeconds: LEASE_TTL_S,
        },
      }
    : {};
  const s = await suite.system({ both: { ...witnessTiming, ...witness, ...(opts.both ?? {}) } });
  const cfg = (side: Side) => loadSettings(s.pair.config(side)).settings;
  const first = etcd.members[0]!.clientPort;
  const toEtcd = { primary: await LinkProxy.start(first), secondary: await LinkProxy.start(first) };
  const link = {
    primary: await LinkProxy.start(cfg('primary').listen.port),
    secondary: await LinkProxy.start(cfg('secondary').listen.port),
  };
  const page = await LinkProxy.start(s.sys.appPorts.primary);
  const others = etcd.endpoints.slice(1);
  for (const side of ['primary', 'secondary'] as const) {
    s.pair.patchSettings(side, {
      peer: { port: link[side === 'primary' ? 'secondary' : 'primary'].port },
      ...(on
        ? { witness: { etcd: { endpoints: [`${scheme}://127.0.0.1:${toEtcd[side].port}`, ...others] } } }
        : {}),
    });
  }
  const url = cfg('secondary').managedSystem.testPage.primaryUrl.replace(
    `:${s.sys.appPorts.primary}/`,
    `:${page.port}/`,
  );
  s.pair.patchSettings('secondary', { managedSystem: { testPage: { primaryUrl: url } } });
  const get = async (key: string): Promise<Kv | undefined> => {
    for (const endpoint of etcd.endpoints) {
      try {
        const r = await fetch(`${endpoint}/v3/kv/range`, {
          method: 'POST',
          body: JSON.stringify({ key: Buffer.from(key).toString('base64') }),
          signal: AbortSignal.timeout(1000),
        });
        // An error (no leader during an election) is no answer: ask the next member.
        if (!r.ok) throw new Error(`etcd answered ${r.status}`);
        const body = (await r.json()) as { kvs?: { value: string; mod_revision: string; lease?: string }[] };
        const kv = body.kvs?.[0];
        if (!kv) return undefined;
        return {
          value: Buffer.from(kv.value, 'base64').toString(),
          modRevision: Number(kv.mod_revision),
          lease: kv.lease ?? '0',
        };
      } catch {
        // the next member
      }
    }
    throw new Error('no etcd member answered');
  };
  return {
    ...s,
    etcd,
    prefix,
    toEtcd,
    link,
    page,
    cutPeers(mode) {
      link.primary.set(mode);
      link.secondary.set(mode);
      page.set(mode);
    },
    async keys() {
      const [holder, epoch] = await Promise.all([get(`${prefix}/holder`), get(`${prefix}/epoch`)]);
      return { ...(holder ? { holder } : {}), ...(epoch ? { epoch } : {}) };
    },
    async close() {
      for (const p of [toEtcd.primary, toEtcd.secondary, link.primary, link.secondary, page]) await p.close();
      await etcd.stop();
    },
  };
}

/** A file's witness systems (and its BIND9): each one `system()` made is closed after its test. */
export function witnessSuite(zone: string): {
  suite: FailoverSuite;
  system(opts?: Parameters<typeof witnessSystem>[1]): Promise<WitnessSetup>;
} {
  const suite = failoverSuite(zone);
  const open: WitnessSetup[] = [];
  afterEach(async () => {
    for (const w of open.splice(0)) await w.close();
  });
  return {
    suite,
    async system(opts = {}) {
      const w = await witnessSystem(suite, opts);
      open.push(w);
      return w;
    },
  };
}

/**
 * `sparesync switch` as a child process the test does not block on: the proxies the agents' link
 * and etcd traffic go through run in the test process, and a synchronous run would freeze them.
 */
export function switchAsync(w: Setup, to: 'primary' | 'secondary'): Promise<{ code: number; out: string }> {
  const args = [cliMain, 'switch', '--to', to, '--yes', '--json', '--config', w.pair.config('secondary')];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, out })));
}

/** For `ms`, the secondary must not start a switch and its app must stay down. */
export async function holdsWithoutSwitch(w: Setup, ms: number): Promise<string> {
  const until = Date.now() + ms;
  let decision = '';
  while (Date.now() < until) {
    const st = await w.pair.status('secondary');
    expect(st.local.state).not.toMatch(/Switch/);
    decision = st.local.decision;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(w.app('secondary', 'status')).not.toBe(0);
  return decision;
}

/** A Logger stand-in for the witness client in tests: keeps the lines. */
export function linesLogger(lines: string[]): Logger {
  const log = {
    child: () => log,
    info: (m: string) => void lines.push(m),
    warn: (m: string) => void lines.push(m),
    error: (m: string) => void lines.push(m),
    debug: () => undefined,
  };
  return log as unknown as Logger;
}

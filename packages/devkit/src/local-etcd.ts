// Starts a private etcd for tests (test/witness*.test.ts): one member or a cluster of several, each
// a child process of Debian's etcd-server on free loopback ports with its data in a temp folder.
// A member can be stopped and started again (same data, same ports) to take it away from the
// cluster for a while. With `tls` the client URLs are https and ask for a client certificate, both
// signed by a CA made with the pair's own certificate code; `enableAuth` turns on etcd's users.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPairCertificates } from '@sparesync/common';
import { freePort } from './local-pair';

export interface EtcdMember {
  name: string;
  /** http://127.0.0.1:PORT, or https:// with tls */
  clientUrl: string;
  clientPort: number;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** PEM files for a client of a TLS etcd: the CA that signed the members, a client certificate. */
export interface EtcdClientTls {
  ca: string;
  cert: string;
  key: string;
}

export interface EtcdCluster {
  members: EtcdMember[];
  /** The members' client URLs, for settings.witness.etcd.endpoints. */
  endpoints: string[];
  /** With `tls`: what a client needs (settings.witness.etcd.ca, cert, key). */
  tls: EtcdClientTls | undefined;
  /**
   * Turns on etcd authentication: a root user, and `user` with a role that may read and write
   * the keys under `prefix` only. Resolves to the root password (for reading keys in tests).
   */
  enableAuth(a: { user: string; password: string; prefix: string }): string;
  /** Debian's etcdctl against the members (with the client certificate under tls), as `user:password`. */
  etcdctl(args: string[], user?: string): string;
  /** Stops every member and deletes the data. */
  stop(): Promise<void>;
}

export interface EtcdOptions {
  /** Client URLs over TLS with client-certificate authentication. */
  tls?: boolean;
}

export function etcdBinary(): string | null {
  for (const p of ['/usr/bin/etcd', '/usr/local/bin/etcd']) if (existsSync(p)) return p;
  return null;
}

export async function startEtcd(size = 1, options: EtcdOptions = {}): Promise<EtcdCluster> {
  const bin = etcdBinary();
  if (!bin) throw new Error('etcd not found (apt-get install etcd-server)');
  const dir = mkdtempSync(join(tmpdir(), 'sparesync-etcd-'));
  const tls = options.tls ? await etcdCertificates(join(dir, 'tls')) : undefined;
  const scheme = tls ? 'https' : 'http';
  const token = `sparesync-${process.pid}-${Date.now()}`;
  const specs: { name: string; clientPort: number; peerPort: number }[] = [];
  for (let i = 0; i < size; i++) {
    specs.push({ name: `m${i}`, clientPort: await freePort(), peerPort: await freePort() });
  }
  const initialCluster = specs.map((s) => `${s.name}=http://127.0.0.1:${s.peerPort}`).join(',');
  const members = specs.map((s) => {
    let child: ChildProcess | undefined;
    let log = '';
    const clientUrl = `${scheme}://127.0.0.1:${s.clientPort}`;
    const args = [
      '--name',
      s.name,
      '--data-dir',
      join(dir, s.name),
      '--listen-client-urls',
      clientUrl,
      '--advertise-client-urls',
      clientUrl,
      '--listen-peer-urls',
      `http://127.0.0.1:${s.peerPort}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${s.peerPort}`,
      '--initial-cluster',
      initialCluster,
      '--initial-cluster-token',
      token,
      '--initial-cluster-state',
      'new',
      // Faster elections than the defaults (100/1000 ms) on one machine's loopback.
      '--heartbeat-interval',
      '50',
      '--election-timeout',
      '500',
      '--logger',
      'zap',
      '--log-level',
      'error',
      ...(tls
        ? [
            ...['--cert-file', tls.server.cert, '--key-file', tls.server.key],
            ...['--client-cert-auth', '--trusted-ca-file', tls.client.ca],
          ]
        : []),
    ];
    const member: EtcdMember = {
      name: s.name,
      clientUrl,
      clientPort: s.clientPort,
      get running() {
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
      async start() {
        if (member.running) return;
        const c = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        child = c;
        c.stderr?.on('data', (d: Buffer) => {
          log = (log + d.toString()).slice(-4000);
        });
      },
      async stop() {
        const c = child;
        if (!c || !member.running) return;
        const gone = new Promise<void>((r) => c.once('exit', () => r()));
        c.kill('SIGKILL');
        await gone;
      },
    };
    Object.defineProperty(member, 'log', { get: () => log });
    return member;
  });
  await Promise.all(members.map((m) => m.start()));
  try {
    await waitHealthy(members, 20_000, tls?.client);
  } catch (e) {
    await Promise.all(members.map((m) => m.stop()));
    rmSync(dir, { recursive: true, force: true });
    const logs = members.map((m) => `${m.name}: ${(m as unknown as { log: string }).log}`).join('\n');
    throw new Error(`etcd did not become healthy: ${String(e)}\n${logs}`);
  }
  const endpoints = members.map((m) => m.clientUrl);
  return {
    members,
    endpoints,
    tls: tls?.client,
    etcdctl: (args, user) => etcdctl(endpoints, tls?.client, args, user),
    enableAuth(a) {
      const root = `root-${process.pid}-${Date.now()}`;
      const ctl = (...args: string[]) => etcdctl(endpoints, tls?.client, args);
      ctl('user', 'add', 'root', `--new-user-password=${root}`);
      ctl('user', 'add', a.user, `--new-user-password=${a.password}`);
      ctl('role', 'add', 'sparesync-pair');
      ctl('role', 'grant-permission', 'sparesync-pair', '--prefix=true', 'readwrite', `${a.prefix}/`);
      ctl('user', 'grant-role', a.user, 'sparesync-pair');
      ctl('auth', 'enable');
      return root;
    },
    async stop() {
      await Promise.all(members.map((m) => m.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every running member answers /health with a leader elected. */
export async function waitHealthy(
  members: EtcdMember[],
  timeoutMs = 20_000,
  tls?: EtcdClientTls,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const states = await Promise.all(
      members
        .filter((m) => m.running)
        .map(async (m) => {
          try {
            const body = JSON.parse(await getText(`${m.clientUrl}/health`, tls)) as { health?: string };
            return body.health === 'true';
          } catch (e) {
            last = String(e);
            return false;
          }
        }),
    );
    if (states.length > 0 && states.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`not healthy after ${timeoutMs} ms (${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function getText(url: string, tls: EtcdClientTls | undefined): Promise<string> {
  if (!url.startsWith('https:')) {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).text();
  }
  const file = (p: string | undefined) => (p ? readFileSync(p) : undefined);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { ca: file(tls?.ca), cert: file(tls?.cert), key: file(tls?.key), timeout: 1000 },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The members' server certificate and a client certificate, from one CA, written by the pair's own
 * certificate code (`createPairCertificates`: its "primary" certificate serves, its "secondary"
 * one is the client's; both carry 127.0.0.1).
 */
async function etcdCertificates(
  dir: string,
): Promise<{ server: { cert: string; key: string }; client: EtcdClientTls }> {
  const c = await createPairCertificates({
    dir,
    primary: { name: 'etcd', ips: ['127.0.0.1'], dnsNames: ['localhost'] },
    secondary: { name: 'etcd-client', ips: ['127.0.0.1'], dnsNames: [] },
    keyBits: 2048,
  });
  return {
    server: { cert: c.primaryCert, key: c.primaryKey },
    client: { ca: c.caCert, cert: c.secondaryCert, key: c.secondaryKey },
  };
}

/** Debian's etcdctl (package etcd-client) against the cluster, as root once auth is on. */
function etcdctl(endpoints: string[], tls: EtcdClientTls | undefined, args: string[], user?: string): string {
  const conn = [
    `--endpoints=${endpoints.join(',')}`,
    ...(tls ? [`--cacert=${tls.ca}`, `--cert=${tls.cert}`, `--key=${tls.key}`] : []),
    ...(user ? [`--user=${user}`] : []),
  ];
  const r = spawnSync('etcdctl', [...conn, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ETCDCTL_API: '3' },
  });
  if (r.error) throw new Error(`etcdctl not found (apt-get install etcd-client): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`etcdctl ${args.slice(0, 2).join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

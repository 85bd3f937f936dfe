// Starts a private etcd for tests (test/witness.test.ts): one member or a cluster of several, each
// a child process of Debian's etcd-server on free loopback ports with its data in a temp folder.
// A member can be stopped and started again (same data, same ports) to take it away from the
// cluster for a while.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './local-pair';

export interface EtcdMember {
  name: string;
  /** http://127.0.0.1:PORT */
  clientUrl: string;
  clientPort: number;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface EtcdCluster {
  members: EtcdMember[];
  /** The members' client URLs, for settings.witness.etcd.endpoints. */
  endpoints: string[];
  /** Stops every member and deletes the data. */
  stop(): Promise<void>;
}

export function etcdBinary(): string | null {
  for (const p of ['/usr/bin/etcd', '/usr/local/bin/etcd']) if (existsSync(p)) return p;
  return null;
}

export async function startEtcd(size = 1): Promise<EtcdCluster> {
  const bin = etcdBinary();
  if (!bin) throw new Error('etcd not found (apt-get install etcd-server)');
  const dir = mkdtempSync(join(tmpdir(), 'sparesync-etcd-'));
  const token = `sparesync-${process.pid}-${Date.now()}`;
  const specs: { name: string; clientPort: number; peerPort: number }[] = [];
  for (let i = 0; i < size; i++) {
    specs.push({ name: `m${i}`, clientPort: await freePort(), peerPort: await freePort() });
  }
  const initialCluster = specs.map((s) => `${s.name}=http://127.0.0.1:${s.peerPort}`).join(',');
  const members = specs.map((s) => {
    let child: ChildProcess | undefined;
    let log = '';
    const clientUrl = `http://127.0.0.1:${s.clientPort}`;
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
    await waitHealthy(members);
  } catch (e) {
    await Promise.all(members.map((m) => m.stop()));
    rmSync(dir, { recursive: true, force: true });
    const logs = members.map((m) => `${m.name}: ${(m as unknown as { log: string }).log}`).join('\n');
    throw new Error(`etcd did not become healthy: ${String(e)}\n${logs}`);
  }
  return {
    members,
    endpoints: members.map((m) => m.clientUrl),
    async stop() {
      await Promise.all(members.map((m) => m.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every running member answers /health with a leader elected. */
export async function waitHealthy(members: EtcdMember[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const states = await Promise.all(
      members
        .filter((m) => m.running)
        .map(async (m) => {
          try {
            const r = await fetch(`${m.clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
            const body = (await r.json()) as { health?: string };
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

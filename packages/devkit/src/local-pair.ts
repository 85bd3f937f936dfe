// Writes a complete local pair into a folder: certificates, primary.json and secondary.json on
// loopback ports. Used by `pnpm demo`, the benchmarks and by the end-to-end test harness, so the demo the
// README tells newcomers to run is the same setup the tests exercise.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createPairCertificates } from '@sparesync/common';
import { writeSampleDatabase } from './sample-db';

export interface LocalPairOptions {
  dir: string;
  /** Fixed ports; free ones are picked when omitted. */
  ports?: { primary: number; secondary: number };
  /** Fixed admin page ports; free ones are picked when omitted (never link + 1, which another
   * pair's free link port may be). */
  adminPorts?: { primary: number; secondary: number };
  /** Deep-merged into each side's settings (tests use this for intervals and test-only settings). */
  overrides?: { both?: object; primary?: object; secondary?: object };
  /** Replace certificates and settings that already exist. */
  force?: boolean;
  /** The demo's sample SQLite database (primary/app.sqlite → secondary/app.sqlite). */
  sampleDatabase?: boolean;
}

export interface LocalPair {
  dir: string;
  primaryConfig: string;
  secondaryConfig: string;
  ports: { primary: number; secondary: number };
  adminPorts: { primary: number; secondary: number };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export function deepMerge<T extends object>(base: T, patch: object | undefined): T {
  if (!patch) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as object, v as object)
        : v;
  }
  return out as T;
}

/** Demo defaults: a 1 s heartbeat and short reconnects, so a newcomer sees changes quickly. */
const demoDefaults = {
  network: { remoteCheckIntervalSeconds: 1 },
  link: { reconnectInitialMs: 250, reconnectMaxMs: 2000 },
};

export async function writeLocalPair(o: LocalPairOptions): Promise<LocalPair> {
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const primaryConfig = join(dir, 'primary.json');
  const secondaryConfig = join(dir, 'secondary.json');
  for (const file of [primaryConfig, secondaryConfig]) {
    if (existsSync(file) && !o.force) throw new Error(`${file} exists; use --force to replace it`);
  }
  const ports = o.ports ?? { primary: await freePort(), secondary: await freePort() };
  const adminPorts = o.adminPorts ?? { primary: await freePort(), secondary: await freePort() };
  const certDir = join(dir, 'certs');
  const certs = await createPairCertificates({
    dir: certDir,
    primary: { name: 'primary', ips: ['127.0.0.1'], dnsNames: ['localhost'] },
    secondary: { name: 'secondary', ips: ['127.0.0.1'], dnsNames: ['localhost'] },
    force: o.force,
  });
  const side = (role: 'primary' | 'secondary') => {
    const other = role === 'primary' ? 'secondary' : 'primary';
    const base = {
      role,
      name: `demo-${role}`,
      dataDir: `${role}/data`,
      listen: { host: '127.0.0.1', port: ports[role] },
      peer: { host: '127.0.0.1', port: ports[other], fingerprint: certs.fingerprints[other] },
      tls: { ca: 'certs/ca.crt', cert: `certs/${role}.crt`, key: `certs/${role}.key` },
      pairKeyFile: 'certs/pair.key',
      log: { file: `${role}/logs/agent.log` },
      admin: { listen: { host: '127.0.0.1', port: adminPorts[role] } },
      // A sample folder pair: edit primary/www and watch secondary/www follow.
      folders: [{ name: 'www', primaryPath: 'primary/www', secondaryPath: 'secondary/www' }],
    };
    const db = o.sampleDatabase ? { database: { engine: 'sqlite', file: `${role}/app.sqlite` } } : {};
    return deepMerge(
      deepMerge(deepMerge({ ...base, ...db }, demoDefaults), o.overrides?.both),
      o.overrides?.[role],
    );
  };
  for (const role of ['primary', 'secondary']) mkdirSync(join(dir, role, 'www'), { recursive: true });
  const sample = join(dir, 'primary', 'www', 'index.html');
  if (!existsSync(sample)) writeFileSync(sample, '<h1>Replicated by SpareSync</h1>\n');
  if (o.sampleDatabase) {
    for (const role of ['primary', 'secondary'])
      writeSampleDatabase(join(dir, role, 'app.sqlite'), role === 'primary');
  }
  for (const [role, file] of [
    ['primary', primaryConfig],
    ['secondary', secondaryConfig],
  ] as const) {
    writeFileSync(file, JSON.stringify(side(role), null, 2) + '\n', { mode: 0o600 });
  }
  return { dir, primaryConfig, secondaryConfig, ports, adminPorts };
}

// The settings that make a local pair a whole failover system: a sample managed app per side
// (started and stopped by the agents' commands), its test pages, an offline-marker folder, and
// DNS switching with a TSIG key — against a given DNS server or the embedded one on the
// secondary (guide §4 recommends the primary DNS server on the secondary). Used by `pnpm
// demo` and the failover tests, so what newcomers watch is what the tests check.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './local-pair';

export interface SampleSystemOptions {
  /** The pair's folder (where writeLocalPair writes primary.json and secondary.json). */
  dir: string;
  /** An existing DNS server that holds `zone`; omitted: the secondary runs the embedded one. */
  dnsServer?: { host: string; port: number };
  /** Default demo.test. */
  zone?: string;
  /** Key name and base64 secret; a fresh key is made when omitted. */
  tsig?: { name: string; secret: string; algorithm?: 'hmac-sha256' | 'hmac-sha512' | 'hmac-sha1' };
}

export interface SampleSystem {
  overrides: { both: object; primary: object; secondary: object };
  appPorts: { primary: number; secondary: number };
  /** The record that is switched, and the addresses that stand for each side. */
  recordName: string;
  addresses: { primary: string; secondary: string };
  dns: { host: string; port: number };
  tsig: { name: string; secret: string };
  /** Commands that start/stop each side's app by hand (e.g. the primary's before the first start). */
  appCommand(side: 'primary' | 'secondary', verb: 'start' | 'stop' | 'status'): string;
  appDir(side: 'primary' | 'secondary'): string;
  markerFile(side: 'primary' | 'secondary'): string;
}

/** The sample app's script in this package's dist (from dist or, under jest, src alike). */
export const sampleAppScript = join(__dirname, '..', 'dist', 'sample-app.js');

/** Quotes for /bin/sh. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function sampleSystem(o: SampleSystemOptions): Promise<SampleSystem> {
  const zone = o.zone ?? 'demo.test';
  const appPorts = { primary: await freePort(), secondary: await freePort() };
  const dns = o.dnsServer ?? { host: '127.0.0.1', port: await freePort() };
  const tsig = o.tsig ?? { name: 'sparesync-demo', secret: randomBytes(32).toString('base64') };
  const keyFile = join(o.dir, 'certs', 'dns-tsig.key');
  mkdirSync(join(o.dir, 'certs'), { recursive: true, mode: 0o700 });
  if (o.tsig || !existsSync(keyFile)) writeFileSync(keyFile, tsig.secret + '\n', { mode: 0o600 });
  const addresses = { primary: '127.0.0.11', secondary: '127.0.0.12' };
  // The managed system's folders, where the offline marker goes.
  for (const side of ['primary', 'secondary']) mkdirSync(join(o.dir, side, 'www'), { recursive: true });
  const appDir = (side: 'primary' | 'secondary') => join(o.dir, side, 'app');
  const appCommand = (side: 'primary' | 'secondary', verb: 'start' | 'stop' | 'status') =>
    [
      shellQuote(process.execPath),
      shellQuote(sampleAppScript),
      verb,
      ...(verb === 'start' ? ['--port', String(appPorts[side]), '--name', side] : []),
      '--dir',
      shellQuote(appDir(side)),
    ].join(' ');
  const url = (side: 'primary' | 'secondary') => `http://127.0.0.1:${appPorts[side]}/health`;
  const side = (role: 'primary' | 'secondary') => ({
    managedSystem: {
      startCommand: appCommand(role, 'start'),
      stopCommand: appCommand(role, 'stop'),
      statusCommand: appCommand(role, 'status'),
      commandTimeoutSeconds: 15,
      offlineMarker: { folder: `${role}/www` },
    },
    ...(o.dnsServer || role === 'primary'
      ? {}
      : { dns: { embedded: { enabled: true, listen: { host: dns.host, port: dns.port } } } }),
  });
  const recordName = `app.${zone}`;
  return {
    overrides: {
      both: {
        // Quick enough to watch: a primary gone for 10 s is failed over. Production pairs use the
        // guide's system templates (sparesync config template system:…).
        system: {
          allowableResponseTimeSeconds: 10,
          availabilityCheckSeconds: 2,
          externalResourcesRecoverySeconds: 0,
        },
        managedSystem: {
          testPage: { primaryUrl: url('primary'), secondaryUrl: url('secondary'), timeoutSeconds: 2 },
        },
        dns: {
          enabled: true,
          server: dns,
          zone,
          recordName,
          ttl: 5,
          tsig: {
            keyName: tsig.name,
            algorithm: tsig.algorithm ?? 'hmac-sha256',
            secretFile: 'certs/dns-tsig.key',
          },
          primaryAddress: addresses.primary,
          secondaryAddress: addresses.secondary,
          timeoutSeconds: 2,
        },
      },
      primary: side('primary'),
      secondary: side('secondary'),
    },
    appPorts,
    recordName,
    addresses,
    dns,
    tsig,
    appCommand,
    appDir,
    markerFile: (s) => join(o.dir, s, 'www', 'app_offline.htm'),
  };
}

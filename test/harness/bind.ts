// Starts a private BIND9 `named` for tests: a fresh temp folder holding named.conf, a zone file
// written fresh for this run (updates go to a .jnl journal beside it, so nothing leaks between
// runs) and TSIG keys, listening on a free loopback port for UDP and TCP. named runs in the
// foreground (-g) as the current user; in CI that is root, which named accepts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const NAMED = '/usr/sbin/named';
export const DIG = '/usr/bin/dig';

export interface BindKey {
  name: string;
  algorithm: 'hmac-sha256' | 'hmac-sha512' | 'hmac-sha1';
  /** base64 */
  secret: string;
  /** Listed in the zone's allow-update (default true). A known key that may not update gets REFUSED. */
  allowUpdate?: boolean;
}

export interface BindRecord {
  /** Relative to the zone ('www'), '@', or absolute with a trailing dot. */
  name: string;
  type: string;
  value: string;
  ttl?: number;
}

export interface BindOptions {
  zone: string;
  records?: BindRecord[];
  keys?: BindKey[];
}

export interface BindServer {
  host: '127.0.0.1';
  port: number;
  dir: string;
  /** Everything named wrote to stderr so far (its log, with -g). */
  log(): string;
  /** `dig +short` against this server; one answer per line, trimmed. */
  dig(name: string, type?: string): Promise<string[]>;
  /** Stops named (SIGTERM, then SIGKILL after 5 s), waits for it to exit and deletes the folder. */
  stop(): Promise<void>;
}

export function bindAvailable(): boolean {
  return existsSync(NAMED) && existsSync(DIG);
}

/** A port free for both TCP and UDP on 127.0.0.1 (named needs both). */
export async function freeUdpTcpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() =>
          typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
        );
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1');
}

function zoneText(zone: string, records: BindRecord[]): string {
  const lines = [
    '$TTL 300',
    `@ IN SOA ns1.${zone}. hostmaster.${zone}. 1 3600 600 86400 60`,
    `@ IN NS ns1.${zone}.`,
    'ns1 IN A 127.0.0.1',
    ...records.map((r) => `${r.name} ${r.ttl ?? 300} IN ${r.type} ${r.value}`),
  ];
  return lines.join('\n') + '\n';
}

function namedConf(dir: string, port: number, zone: string, zoneFile: string, keys: BindKey[]): string {
  const allowed = keys.filter((k) => k.allowUpdate !== false);
  const allowUpdate = allowed.length ? allowed.map((k) => `key "${k.name}";`).join(' ') : 'none;';
  return [
    'options {',
    `  directory "${dir}";`,
    `  pid-file "${join(dir, 'named.pid')}";`,
    `  session-keyfile "${join(dir, 'session.key')}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  notify no;',
    '  dnssec-validation no;',
    '};',
    'controls { };',
    ...keys.map((k) => `key "${k.name}" { algorithm ${k.algorithm}; secret "${k.secret}"; };`),
    `zone "${zone}" { type primary; file "${zoneFile}"; allow-update { ${allowUpdate} }; };`,
    '',
  ].join('\n');
}

export async function startBind(options: BindOptions): Promise<BindServer> {
  if (!bindAvailable())
    throw new Error(`BIND9 not found (${NAMED}, ${DIG}): apt-get install bind9 bind9-dnsutils`);
  // The free port may be taken between the probe and named's bind (tests run in parallel):
  // named then keeps running without listening, so try again on another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= 5) throw e;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(options: BindOptions): Promise<BindServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sparesync-bind-'));
  const port = await freeUdpTcpPort();
  const zoneFile = join(dir, `${options.zone}.zone`);
  writeFileSync(zoneFile, zoneText(options.zone, options.records ?? []));
  const conf = join(dir, 'named.conf');
  writeFileSync(conf, namedConf(dir, port, options.zone, zoneFile, options.keys ?? []), { mode: 0o600 });

  const child = spawn(NAMED, ['-g', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (log += s));
  // 'close', not 'exit': by then stderr is drained, so the log holds named's last words.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilRunning(child, () => log, exited);
  } catch (e) {
    await stop();
    throw e;
  }

  const dig = async (name: string, type = 'A') => {
    const { stdout } = await run(DIG, [
      '@127.0.0.1',
      '-p',
      String(port),
      '+short',
      '+time=2',
      '+tries=1',
      name,
      type,
    ]);
    return stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  };
  return { host: '127.0.0.1', port, dir, log: () => log, dig, stop };
}

// With -g, named's last start-up line is "<date> <time> running" (its first line, "running on
// Linux ...", is not readiness). A port taken by someone else shows as a listen failure, after
// which named exits ("unable to listen on any configured interfaces").
async function waitUntilRunning(child: ChildProcess, log: () => string, exited: Promise<number | null>) {
  const deadline = Date.now() + 15000;
  let gone = false;
  void exited.then(() => (gone = true));
  const portTaken = () =>
    /unable to listen|address in use|could not listen|creating IPv4 interface .* failed/i.test(log());
  while (!/ running$/m.test(log())) {
    if (gone && portTaken()) throw new PortTaken(log());
    if (gone) throw new Error(`named exited (code ${child.exitCode}) before it was running:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`named not running after 15 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  if (portTaken()) throw new PortTaken(log());
}

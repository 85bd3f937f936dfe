// The embedded authoritative DNS server (issue 3; guide §4 recommends the zone's primary DNS
// server on the secondary): answers queries for one zone over UDP and TCP and accepts RFC 2136
// updates signed with the configured TSIG key. Updates are applied one at a time, and each is
// written to the zone file (atomically) before it is answered, so an acknowledged switch
// survives a crash; if the write fails the answer is SERVFAIL and the zone stays as it was.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { isIP } from 'node:net';
import { silentLogger, SpareSyncError, type Logger } from '@sparesync/common';
import { prepare, type Prepared } from './embedded-handler';
import type { TsigKey } from './tsig';
import { initialZone, type InitialZone, type Zone } from './zone';
import { loadZone, saveZone } from './zone-store';

export interface EmbeddedDnsOptions {
  /** The zone to create when `zoneFile` does not exist yet. */
  zone: InitialZone;
  zoneFile: string;
  /** Port 0 picks a port free for both UDP and TCP. */
  listen: { host: string; port: number };
  /** Keys allowed to update (and to sign queries). */
  keys: TsigKey[];
  logger?: Logger;
  now?: () => number;
}

export interface EmbeddedDns {
  host: string;
  port: number;
  /** The zone as last persisted. */
  zone(): Zone;
  close(): Promise<void>;
}

const TCP_IDLE_MS = 10_000;

async function listenBoth(
  host: string,
  port: number,
  onTcp: (s: Socket) => void,
): Promise<{ tcp: Server; udp: UdpSocket }> {
  const family = isIP(host) === 6 ? 'udp6' : 'udp4';
  for (let attempt = 0; ; attempt++) {
    const tcp = createServer(onTcp);
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => resolve());
    }).catch((e: NodeJS.ErrnoException) => {
      throw new SpareSyncError(
        'PortInUse',
        `embedded DNS server cannot listen on TCP ${host}:${port}: ${e.code ?? e.message}`,
        {
          hint: 'Change dns.embedded.listen, or stop what uses the port (port 53 needs root or CAP_NET_BIND_SERVICE).',
        },
      );
    });
    const tcpPort = (tcp.address() as { port: number }).port;
    const udp = createSocket({ type: family, reuseAddr: false });
    const bound = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      udp.once('error', resolve);
      udp.bind(tcpPort, host, () => resolve(undefined));
    });
    if (!bound) return { tcp, udp };
    await new Promise<void>((r) => tcp.close(() => r()));
    if (port !== 0 || attempt >= 10) {
      throw new SpareSyncError(
        'PortInUse',
        `embedded DNS server cannot listen on UDP ${host}:${tcpPort}: ${bound.code ?? bound.message}`,
        {
          hint: 'Change dns.embedded.listen, or stop what uses the port.',
        },
      );
    }
  }
}

export async function startEmbeddedDns(options: EmbeddedDnsOptions): Promise<EmbeddedDns> {
  const log = (options.logger ?? silentLogger()).child({ component: 'dns-server' });
  const now = options.now ?? Date.now;
  let zone = await loadZone(options.zoneFile, options.zone.origin);
  if (!zone) {
    zone = initialZone(options.zone);
    await saveZone(options.zoneFile, zone);
    log.info(`created zone ${zone.origin} in ${options.zoneFile}`);
  }
  let current: Zone = zone;
  // Updates run strictly one after another: each applies to the zone the previous one persisted.
  let updates: Promise<unknown> = Promise.resolve();

  const runUpdate = (p: Extract<Prepared, { kind: 'update' }>): Promise<Buffer> => {
    const done = updates.then(async () => {
      const outcome = p.apply(current);
      if (outcome.changed) {
        try {
          await saveZone(options.zoneFile, outcome.zone);
        } catch (e) {
          log.error(`zone update by key ${p.key} not saved, answered SERVFAIL`, { err: e });
          return p.respond('SERVFAIL');
        }
        current = outcome.zone;
      }
      log.info(`update by key ${p.key}: ${outcome.rcode} (${outcome.reason})`);
      return p.respond(outcome.rcode);
    });
    updates = done.catch(() => undefined);
    return done;
  };

  const handle = async (msg: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> => {
    const p = prepare(msg, { zone: current, keys: options.keys, now: now(), transport });
    if (p.kind === 'drop') return undefined;
    if (p.kind === 'update') return runUpdate(p);
    if (p.log) log.info(p.log);
    return p.reply;
  };

  let closed = false;
  const connections = new Set<Socket>();
  const onTcp = (sock: Socket) => {
    connections.add(sock);
    sock.on('close', () => connections.delete(sock));
    let buffered = Buffer.alloc(0);
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    sock.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + msg.length);
        void handle(msg, 'tcp').then((reply) => {
          if (!reply || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(reply.length);
          sock.write(Buffer.concat([len, reply]));
        });
      }
    });
  };

  const { tcp, udp } = await listenBoth(options.listen.host, options.listen.port, onTcp);
  udp.on('message', (msg, rinfo) => {
    void handle(msg, 'udp').then((reply) => {
      if (reply && !closed) udp.send(reply, rinfo.port, rinfo.address);
    });
  });
  udp.on('error', (e) => log.error('embedded DNS server UDP error', { err: e }));
  const port = (tcp.address() as { port: number }).port;
  log.info(`embedded DNS server for ${current.origin} on ${options.listen.host}:${port} (UDP and TCP)`);

  return {
    host: options.listen.host,
    port,
    zone: () => current,
    close: async () => {
      if (closed) return;
      closed = true;
      await updates;
      udp.close();
      const stopped = new Promise<void>((r) => tcp.close(() => r()));
      for (const c of connections) c.destroy();
      await stopped;
    },
  };
}

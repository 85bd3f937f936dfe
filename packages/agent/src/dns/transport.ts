// Sends one DNS message and returns the matching answer: UDP first (one resend halfway through
// the timeout), TCP when the message is too long for UDP or the answer came back truncated.
// An answer counts only if it comes from the server's address and port (the UDP socket is
// connected) and carries the request's ID and question; anything else is ignored, not trusted.
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { dnsFailure } from './errors';
import { decodeHeader, HEADER_BYTES } from './wire';

export interface DnsServerAddress {
  host: string;
  port: number;
}

const UDP_LIMIT = 512;

export function serverText(server: DnsServerAddress): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/**
 * Request and answer agree on ID and, unless the answer has no question (some error answers
 * omit it), on the question section (bytes 12..end of the question).
 */
function answers(request: Buffer, reply: Buffer, questionEnd: number): boolean {
  if (reply.length < HEADER_BYTES || !decodeHeader(reply).qr) return false;
  if (reply.readUInt16BE(0) !== request.readUInt16BE(0)) return false;
  if (reply.readUInt16BE(4) === 0) return true;
  if (reply.length < questionEnd || reply.readUInt16BE(4) !== request.readUInt16BE(4)) return false;
  return reply.subarray(HEADER_BYTES, questionEnd).equals(request.subarray(HEADER_BYTES, questionEnd));
}

/** Where the question section of our own request ends (one uncompressed name, type, class). */
function questionEnd(request: Buffer): number {
  let at = HEADER_BYTES;
  for (let q = request.readUInt16BE(4); q > 0; q--) {
    while (request[at] !== 0) at += request[at]! + 1;
    at += 5;
  }
  return at;
}

async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  const family = isIP(host);
  if (family === 4 || family === 6) return { address: host, family };
  try {
    const r = await lookup(host);
    return { address: r.address, family: r.family === 6 ? 6 : 4 };
  } catch (e) {
    throw dnsFailure('UNREACHABLE', `cannot resolve the DNS server name "${host}": ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function netError(server: DnsServerAddress, e: NodeJS.ErrnoException) {
  return dnsFailure('UNREACHABLE', `DNS server ${serverText(server)}: ${e.code ?? e.message}`, { cause: e });
}

function timeout(server: DnsServerAddress, ms: number, proto: string) {
  return dnsFailure(
    'TIMEOUT',
    `no answer from DNS server ${serverText(server)} over ${proto} within ${ms} ms`,
  );
}

function overUdp(server: DnsServerAddress, address: string, family: 4 | 6, request: Buffer, ms: number) {
  const qEnd = questionEnd(request);
  return new Promise<Buffer>((resolve, reject) => {
    const sock = createSocket(family === 6 ? 'udp6' : 'udp4');
    const timers: NodeJS.Timeout[] = [];
    let done = false;
    const finish = (err: Error | null, reply?: Buffer) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      sock.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    sock.on('error', (e: NodeJS.ErrnoException) => finish(netError(server, e)));
    sock.on('message', (reply) => {
      if (answers(request, reply, qEnd)) finish(null, reply);
    });
    sock.connect(server.port, address, () => {
      const send = () => sock.send(request, (e) => e && finish(netError(server, e)));
      send();
      timers.push(setTimeout(send, ms / 2));
      timers.push(setTimeout(() => finish(timeout(server, ms, 'UDP')), ms));
    });
  });
}

function overTcp(server: DnsServerAddress, address: string, request: Buffer, ms: number) {
  const qEnd = questionEnd(request);
  return new Promise<Buffer>((resolve, reject) => {
    const sock = new Socket();
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (err: Error | null, reply?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(timeout(server, ms, 'TCP')), ms);
    sock.on('error', (e: NodeJS.ErrnoException) => finish(netError(server, e)));
    sock.on('close', () =>
      finish(dnsFailure('BADRESPONSE', `DNS server ${serverText(server)} closed TCP without an answer`)),
    );
    sock.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const reply = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + reply.length);
        if (answers(request, reply, qEnd)) return finish(null, reply);
      }
    });
    sock.connect(server.port, address, () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(request.length);
      sock.write(Buffer.concat([len, request]));
    });
  });
}

export interface ExchangeOptions {
  timeoutMs: number;
  /** Skip UDP (e.g. for tests of the TCP path). */
  tcpOnly?: boolean;
}

/** One request, one answer (raw bytes; verify and decode them with the caller's key). */
export async function exchange(
  server: DnsServerAddress,
  request: Buffer,
  options: ExchangeOptions,
): Promise<Buffer> {
  const { address, family } = await resolveHost(server.host);
  const started = Date.now();
  if (!options.tcpOnly && request.length <= UDP_LIMIT) {
    const reply = await overUdp(server, address, family, request, options.timeoutMs);
    if (!decodeHeader(reply).tc) return reply;
  }
  const left = Math.max(options.timeoutMs - (Date.now() - started), Math.min(options.timeoutMs, 1000));
  return overTcp(server, address, request, left);
}

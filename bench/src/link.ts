// `pnpm bench link`: heartbeat round trip over the mutual-TLS gRPC link, and the throughput of a
// 1 GiB byte stream over one gRPC stream with back-pressure next to a plain TLS socket on the same
// machine in the same run (the limit). Goal: gRPC reaches at least 70% of plain TLS.
import * as grpc from '@grpc/grpc-js';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tls from 'node:tls';
import {
  createPairCertificates,
  pinnedChannelOptions,
  pinnedClientCredentials,
  serviceClient,
  serviceDefinition,
} from '@sparesync/common';
import { channelOptions, serverCredentials, serverOptions } from '@sparesync/agent';
import { percentile, printTable } from './lib-table';

const TOTAL = Number(process.env.BENCH_LINK_BYTES ?? 1024 ** 3);
const CHUNK = 256 * 1024;
const BEATS = Number(process.env.BENCH_LINK_BEATS ?? 10_000);

interface Material {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  serverFingerprint: string;
}

async function material(): Promise<Material> {
  const dir = mkdtempSync(join(tmpdir(), 'sparesync-bench-link-'));
  const pair = await createPairCertificates({
    dir,
    primary: { name: 'primary', ips: ['127.0.0.1'], dnsNames: ['localhost'] },
    secondary: { name: 'secondary', ips: ['127.0.0.1'], dnsNames: ['localhost'] },
  });
  const f = (n: string) => readFileSync(join(dir, n));
  return {
    ca: f('ca.crt'),
    cert: f('primary.crt'),
    key: f('primary.key'),
    clientCert: f('secondary.crt'),
    clientKey: f('secondary.key'),
    serverFingerprint: pair.fingerprints.primary,
  };
}

async function grpcServer(m: Material): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server(serverOptions(10_000, 8 * 1024 * 1024));
  server.addService(serviceDefinition('Link'), {
    heartbeat: (call: grpc.ServerDuplexStream<{ beat?: object }, object>) => {
      call.on('data', (frame: { beat?: object }) => call.write({ beat: frame.beat }));
      call.on('end', () => call.end());
    },
    files: (call: grpc.ServerDuplexStream<{ data: Buffer }, object>) => {
      let bytes = 0;
      call.on('data', (f: { data: Buffer }) => (bytes += f.data.length));
      call.on('end', () => {
        call.write({ path: String(bytes) });
        call.end();
      });
    },
    rows: () => undefined,
  });
  const port = await new Promise<number>((res, rej) =>
    server.bindAsync('127.0.0.1:0', serverCredentials(m), (e, p) => (e ? rej(e) : res(p))),
  );
  return { port, server };
}

function grpcClient(m: Material, port: number): grpc.Client {
  const Ctor = serviceClient('Link');
  return new Ctor(
    `127.0.0.1:${port}`,
    pinnedClientCredentials({ ca: m.ca, cert: m.clientCert, key: m.clientKey }, m.serverFingerprint),
    { ...channelOptions(10_000, 8 * 1024 * 1024), ...pinnedChannelOptions },
  );
}

async function heartbeatRtts(client: grpc.Client): Promise<number[]> {
  const call = (client as unknown as { heartbeat(): grpc.ClientDuplexStream<object, object> }).heartbeat();
  const rtts: number[] = [];
  for (let i = 0; i <= BEATS; i++) {
    const t0 = performance.now();
    call.write({ beat: { seq: i, sentAtMs: Date.now() } });
    await once(call, 'data');
    if (i > 0) rtts.push(performance.now() - t0); // the first one warms up the stream
  }
  call.end();
  return rtts.sort((a, b) => a - b);
}

async function writeWithBackPressure(
  write: (b: Buffer) => boolean,
  drainTarget: NodeJS.EventEmitter,
): Promise<void> {
  const chunk = Buffer.alloc(CHUNK, 0x5a);
  for (let sent = 0; sent < TOTAL; sent += CHUNK) {
    if (!write(chunk)) await once(drainTarget, 'drain');
  }
}

async function grpcThroughput(client: grpc.Client): Promise<number> {
  const call = (client as unknown as { files(): grpc.ClientDuplexStream<object, { path: string }> }).files();
  const t0 = performance.now();
  const received = new Promise<number>((res, rej) => {
    call.on('data', (ack: { path: string }) => res(Number(ack.path)));
    call.on('error', rej);
  });
  await writeWithBackPressure((data) => call.write({ epoch: 1, folder: 'bench', path: 'x', data }), call);
  call.end();
  const bytes = await received;
  if (bytes !== TOTAL) throw new Error(`gRPC stream delivered ${bytes} of ${TOTAL} bytes`);
  return TOTAL / ((performance.now() - t0) / 1000);
}

async function tlsThroughput(m: Material): Promise<number> {
  let done!: (n: number) => void;
  const received = new Promise<number>((r) => (done = r));
  const server = tls.createServer(
    { ca: m.ca, cert: m.cert, key: m.key, requestCert: true, rejectUnauthorized: true },
    (sock) => {
      let bytes = 0;
      sock.on('data', (d: Buffer) => (bytes += d.length));
      sock.on('end', () => {
        done(bytes);
        sock.end();
      });
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const sock = tls.connect({
    host: '127.0.0.1',
    port,
    ca: m.ca,
    cert: m.clientCert,
    key: m.clientKey,
    servername: 'localhost',
  });
  await once(sock, 'secureConnect');
  const t0 = performance.now();
  await writeWithBackPressure((b) => sock.write(b), sock);
  sock.end();
  const bytes = await received;
  const rate = bytes / ((performance.now() - t0) / 1000);
  server.close();
  if (bytes !== TOTAL) throw new Error(`TLS socket delivered ${bytes} of ${TOTAL} bytes`);
  return rate;
}

async function main(): Promise<void> {
  const m = await material();
  const { port, server } = await grpcServer(m);
  const client = grpcClient(m, port);
  const rtts = await heartbeatRtts(client);
  const grpcRate = await grpcThroughput(client);
  const tlsRate = await tlsThroughput(m);
  client.close();
  server.forceShutdown();
  const mb = (r: number) => r / 1024 / 1024;
  console.log(
    `heartbeat round trips: ${rtts.length}; stream: ${TOTAL / 1024 ** 2} MiB in ${CHUNK / 1024} KiB messages`,
  );
  printTable(
    ['measure', 'value', 'unit'],
    [
      ['heartbeat RTT median', percentile(rtts, 50), 'ms'],
      ['heartbeat RTT p99', percentile(rtts, 99), 'ms'],
      ['gRPC mTLS stream', mb(grpcRate), 'MiB/s'],
      ['plain TLS socket', mb(tlsRate), 'MiB/s'],
      ['gRPC / plain TLS', (100 * grpcRate) / tlsRate, '% (goal ≥ 70)'],
    ],
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

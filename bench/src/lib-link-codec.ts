// Service definitions for the bench's bulk streams (bench/proto/link-bench.proto), shared by the
// sender (link.ts) and the receiver process (lib-link-receiver.ts). Two codecs put the same bytes
// on the wire: protobufjs through proto-loader (what every product service uses today) and a
// hand-written one for messages whose fields are one `bytes data = 1` or only varints, which costs
// one copy to encode and none to decode (the decoded data is a view of grpc-js's reassembled frame).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';

export type Codec = 'protobufjs' | 'raw';

export interface BenchChunk {
  data: Buffer;
}

export interface BenchAck {
  bytes: number;
}

export interface BenchPull {
  bytes: number;
  chunkBytes: number;
}

const protoPath = join(__dirname, '..', 'proto', 'link-bench.proto');

function protobufjsService(): grpc.ServiceDefinition {
  const def = protoLoader.loadSync(protoPath, { longs: Number, defaults: true });
  const pkg = grpc.loadPackageDefinition(def).sparesync as grpc.GrpcObject;
  const bench = pkg.bench as grpc.GrpcObject;
  return (bench.BenchLink as grpc.ServiceClientConstructor).service;
}

function varintLength(n: number): number {
  let len = 1;
  for (; n >= 0x80; len++) n = Math.floor(n / 0x80);
  return len;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  for (; n >= 0x80; n = Math.floor(n / 0x80)) buf[at++] = (n % 0x80) | 0x80;
  buf[at++] = n;
  return at;
}

function readVarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  for (let scale = 1; ; scale *= 0x80) {
    const b = buf[at++];
    if (b === undefined) throw new Error('truncated varint');
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, at];
  }
}

function encodeChunk(m: BenchChunk): Buffer {
  const out = Buffer.allocUnsafe(1 + varintLength(m.data.length) + m.data.length);
  out[0] = 0x0a; // field 1, length-delimited
  m.data.copy(out, writeVarint(out, 1, m.data.length));
  return out;
}

function decodeChunk(buf: Buffer): BenchChunk {
  if (buf.length === 0) return { data: Buffer.alloc(0) };
  if (buf[0] !== 0x0a) throw new Error(`unexpected BenchChunk tag ${buf[0]}`);
  const [len, start] = readVarint(buf, 1);
  return { data: buf.subarray(start, start + len) };
}

/** Fields 1..n, all varints (zeros included: the bench does not need proto3's omission). */
function encodeVarints(values: number[]): Buffer {
  const out = Buffer.allocUnsafe(values.reduce((n, v) => n + 1 + varintLength(v), 0));
  let at = 0;
  values.forEach((v, i) => {
    out[at++] = (i + 1) << 3;
    at = writeVarint(out, at, v);
  });
  return out;
}

function decodeVarints(buf: Buffer): number[] {
  const values: number[] = [];
  for (let at = 0; at < buf.length;) {
    const field = (buf[at++] ?? 0) >> 3;
    [values[field - 1], at] = readVarint(buf, at);
  }
  return values;
}

function rawService(): grpc.ServiceDefinition {
  return {
    Stream: {
      path: '/sparesync.bench.BenchLinkRaw/Stream',
      requestStream: true,
      responseStream: true,
      requestSerialize: encodeChunk,
      requestDeserialize: decodeChunk,
      responseSerialize: (m: BenchAck) => encodeVarints([m.bytes]),
      responseDeserialize: (b: Buffer): BenchAck => ({ bytes: decodeVarints(b)[0] ?? 0 }),
    },
    Pull: {
      path: '/sparesync.bench.BenchLinkRaw/Pull',
      requestStream: false,
      responseStream: true,
      requestSerialize: (m: BenchPull) => encodeVarints([m.bytes, m.chunkBytes]),
      requestDeserialize: (b: Buffer): BenchPull => {
        const [bytes = 0, chunkBytes = 0] = decodeVarints(b);
        return { bytes, chunkBytes };
      },
      responseSerialize: encodeChunk,
      responseDeserialize: decodeChunk,
    },
  };
}

/** The bench service in `codec`; the raw one is served as sparesync.bench.BenchLinkRaw. */
export function benchService(codec: Codec): grpc.ServiceDefinition {
  return codec === 'raw' ? rawService() : protobufjsService();
}

// The Rows stream's frames (proto/sparesync.proto, RowBatch and RowAck), named from the generated
// types, and the serializer of the Rows call (rows-stream.ts).
import { serviceDefinition, type OneofMessage, type WireInput, type WireMessage } from '@sparesync/common';

/** A frame as it arrives: narrowed by `body` to the member it carries. */
export type RowBatchIn = OneofMessage<WireMessage<'RowBatch'>>;

/** A frame as written: proto-loader takes the oneof member by its field name. */
export type RowBatchOut = WireInput<'RowBatch'>;

/** What the sender writes besides epoch and seq: one oneof member (and readAtMs with a payload). */
export type RowFrameBody = Omit<RowBatchOut, 'epoch' | 'seq' | 'body'>;

export type RowAck = WireMessage<'RowAck'>;

/** Bytes a payload needs free before it to be framed in place (RowBatch's fields 1, 2, 8, 4 keys). */
export const FRAME_HEAD = 48;

/** Payloads with FRAME_HEAD bytes before them that only this frame uses (encodeBatch's `head`). */
const roomBefore = new WeakSet<Uint8Array>();

/** `payload` was encoded with FRAME_HEAD free bytes before it: serializeRowBatch may write there. */
export function frameInPlace(payload: Uint8Array): void {
  roomBefore.add(payload);
}

const FIELDS = new Set(['epoch', 'seq', 'payload', 'readAtMs']);

function varint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

const uint = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * RowBatch to its protobuf bytes. A payload frame whose payload has room before it (a snapshot
 * chunk's pooled encoding) gets its fields written there, in front of the payload, and the view
 * over both is the message: protobufjs would copy the payload (MiBs) into a new buffer first, and
 * grpc-js copies it again into its framed message anyway (fields may come in any order on the
 * wire). Any other frame goes through proto-loader's serializer.
 */
export function serializeRowBatch(frame: RowBatchOut): Buffer {
  const { payload, epoch, seq, readAtMs } = frame as { payload?: Uint8Array } & Record<string, unknown>;
  const inPlace =
    payload &&
    roomBefore.has(payload) &&
    uint(epoch) &&
    uint(seq) &&
    (readAtMs === undefined || uint(readAtMs)) &&
    Object.keys(frame).every((k) => FIELDS.has(k));
  if (!inPlace) return standard().requestSerialize(frame);
  roomBefore.delete(payload);
  const head = Buffer.allocUnsafe(FRAME_HEAD);
  let n = varint(head, 1, epoch as number);
  head[0] = 0x08;
  head[n++] = 0x10;
  n = varint(head, n, seq as number);
  if (readAtMs) {
    head[n++] = 0x40;
    n = varint(head, n, readAtMs as number);
  }
  head[n++] = 0x22;
  n = varint(head, n, payload.byteLength);
  const whole = Buffer.from(payload.buffer, payload.byteOffset - n, n + payload.byteLength);
  head.copy(whole, 0, 0, n);
  return whole;
}

type RowsCodec = {
  path: string;
  requestSerialize(v: object): Buffer;
  responseDeserialize(b: Buffer): RowAck;
};
let rows: RowsCodec | undefined;

/** proto-loader's method definition of Link.Rows. */
export function standard(): RowsCodec {
  return (rows ??= serviceDefinition('Link').Rows as unknown as RowsCodec);
}

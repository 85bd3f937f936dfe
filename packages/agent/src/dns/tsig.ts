// TSIG (RFC 8945) with node:crypto: sign a request, verify a response against the request's MAC,
// and (for the embedded server) verify a request and sign its response. Pure: the clock is an
// argument. Only full-length MACs are produced and accepted (no truncation, RFC 8945 §5.2.2.1).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { dnsFailure, TsigError } from './errors';
import {
  canonicalName,
  decodeHeader,
  encodeName,
  encodeRecord,
  readName,
  RRClass,
  RRType,
  type DecodedMessage,
} from './wire';

export const tsigAlgorithms = ['hmac-sha256', 'hmac-sha512', 'hmac-sha1'] as const;
export type TsigAlgorithm = (typeof tsigAlgorithms)[number];

export interface TsigKey {
  name: string;
  algorithm: TsigAlgorithm;
  /** The shared secret, base64 (as in BIND's `key { secret "..."; }`). */
  secret: string;
}

const hashes: Record<TsigAlgorithm, { hash: string; macBytes: number }> = {
  'hmac-sha256': { hash: 'sha256', macBytes: 32 },
  'hmac-sha512': { hash: 'sha512', macBytes: 64 },
  'hmac-sha1': { hash: 'sha1', macBytes: 20 },
};

/** RFC 8945 §10 fudge recommendation: 300 s. */
export const DEFAULT_FUDGE_SECONDS = 300;

export interface TsigRecord {
  keyName: string;
  algorithm: string;
  /** Seconds since the epoch. */
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  other: Buffer;
}

export function secretBytes(key: TsigKey): Buffer {
  const bytes = Buffer.from(key.secret, 'base64');
  if (
    bytes.length === 0 ||
    bytes.toString('base64').replace(/=+$/, '') !== key.secret.trim().replace(/=+$/, '')
  ) {
    throw dnsFailure('BADKEY', `the secret of TSIG key "${key.name}" is not valid base64`);
  }
  return bytes;
}

function u48(seconds: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(seconds, 0, 6);
  return b;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** The TSIG variables that follow the message in the MAC input (RFC 8945 §4.3.3). */
function variables(t: Omit<TsigRecord, 'mac' | 'originalId'>): Buffer {
  const classTtl = Buffer.alloc(6);
  classTtl.writeUInt16BE(RRClass.ANY, 0); // TTL 0 follows
  return Buffer.concat([
    encodeName(canonicalName(t.keyName)),
    classTtl,
    encodeName(canonicalName(t.algorithm)),
    u48(t.timeSigned),
    u16(t.fudge),
    u16(t.error),
    u16(t.other.length),
    t.other,
  ]);
}

function computeMac(key: TsigKey, parts: Buffer[]): Buffer {
  const h = createHmac(hashes[key.algorithm].hash, secretBytes(key));
  for (const p of parts) h.update(p);
  return h.digest();
}

/** A request MAC is prefixed to a response's MAC input (RFC 8945 §4.3.1); empty for a request. */
function requestMacPrefix(requestMac: Buffer | undefined): Buffer[] {
  return requestMac ? [u16(requestMac.length), requestMac] : [];
}

export interface SignOptions {
  /** Milliseconds since the epoch. */
  now: number;
  fudge?: number;
  /** When signing a response: the request's MAC. */
  requestMac?: Buffer;
  error?: number;
  other?: Buffer;
  /** Leave the MAC empty (BADSIG/BADKEY answers, RFC 8945 §5.3.2). */
  unsigned?: boolean;
}

/** Appends a TSIG record to an encoded message (which must not have one) and returns it with its MAC. */
export function signMessage(
  message: Buffer,
  key: TsigKey,
  options: SignOptions,
): { message: Buffer; mac: Buffer } {
  const t = {
    keyName: key.name,
    algorithm: key.algorithm,
    timeSigned: Math.floor(options.now / 1000),
    fudge: options.fudge ?? DEFAULT_FUDGE_SECONDS,
    error: options.error ?? TsigError.NOERROR,
    other: options.other ?? Buffer.alloc(0),
  };
  const mac = options.unsigned
    ? Buffer.alloc(0)
    : computeMac(key, [...requestMacPrefix(options.requestMac), message, variables(t)]);
  const originalId = message.readUInt16BE(0);
  const rdata = Buffer.concat([
    encodeName(canonicalName(t.algorithm)),
    u48(t.timeSigned),
    u16(t.fudge),
    u16(mac.length),
    mac,
    u16(originalId),
    u16(t.error),
    u16(t.other.length),
    t.other,
  ]);
  const record = encodeRecord({
    name: canonicalName(key.name),
    type: RRType.TSIG,
    class: RRClass.ANY,
    ttl: 0,
    rdata,
  });
  const out = Buffer.concat([message, record]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return { message: out, mac };
}

/** The TSIG record of a decoded message, if its last additional record is one (RFC 8945 §5.1). */
export function findTsig(m: DecodedMessage): { record: TsigRecord; offset: number } | undefined {
  const last = m.additionals[m.additionals.length - 1];
  if (m.additionals.some((rr) => rr.type === RRType.TSIG && rr !== last)) {
    throw dnsFailure('FORMERR', 'a TSIG record that is not the last record of the message');
  }
  if (!last || last.type !== RRType.TSIG) return undefined;
  const buf = m.bytes;
  try {
    const { name: algorithm, end } = readName(buf, last.rdataOffset);
    const macSize = buf.readUInt16BE(end + 8);
    const afterMac = end + 10 + macSize;
    const otherLen = buf.readUInt16BE(afterMac + 4);
    if (afterMac + 6 + otherLen !== last.rdataOffset + last.rdata.length) throw new Error('length mismatch');
    return {
      offset: last.offset,
      record: {
        keyName: last.name,
        algorithm,
        timeSigned: buf.readUIntBE(end, 6),
        fudge: buf.readUInt16BE(end + 6),
        mac: buf.subarray(end + 10, afterMac),
        originalId: buf.readUInt16BE(afterMac),
        error: buf.readUInt16BE(afterMac + 2),
        other: buf.subarray(afterMac + 6, afterMac + 6 + otherLen),
      },
    };
  } catch (e) {
    throw dnsFailure('FORMERR', `malformed TSIG record: ${(e as Error).message}`);
  }
}

export type VerifyResult =
  | { ok: true; tsig: TsigRecord }
  | { ok: false; error: 'BADKEY' | 'BADSIG' | 'BADTIME' | 'BADTRUNC'; tsig: TsigRecord; detail: string };

/**
 * Checks the TSIG record of `m` with `key`: key name and algorithm, MAC, then time (RFC 8945
 * §5.2 order). For a response, pass the request's MAC. Returns the TSIG error to answer or report.
 */
export function verifyMessage(
  m: DecodedMessage,
  tsig: { record: TsigRecord; offset: number },
  key: TsigKey,
  options: { now: number; requestMac?: Buffer },
): VerifyResult {
  const t = tsig.record;
  const fail = (error: 'BADKEY' | 'BADSIG' | 'BADTIME' | 'BADTRUNC', detail: string): VerifyResult => ({
    ok: false,
    error,
    tsig: t,
    detail,
  });
  if (canonicalName(t.keyName) !== canonicalName(key.name) || canonicalName(t.algorithm) !== key.algorithm) {
    return fail(
      'BADKEY',
      `signed with key "${t.keyName}" (${t.algorithm}), expected "${key.name}" (${key.algorithm})`,
    );
  }
  if (t.mac.length !== hashes[key.algorithm].macBytes) {
    return fail(t.mac.length === 0 ? 'BADSIG' : 'BADTRUNC', `MAC of ${t.mac.length} bytes`);
  }
  // The MAC covers the message as it was before the TSIG record was added: original ID,
  // ARCOUNT one less, and none of the TSIG record's bytes.
  const unsigned = Buffer.from(m.bytes.subarray(0, tsig.offset));
  unsigned.writeUInt16BE(t.originalId, 0);
  unsigned.writeUInt16BE(decodeHeader(m.bytes).counts[3]! - 1, 10);
  const expected = computeMac(key, [...requestMacPrefix(options.requestMac), unsigned, variables(t)]);
  if (!timingSafeEqual(expected, t.mac)) return fail('BADSIG', 'the MAC does not match');
  const skew = Math.abs(Math.floor(options.now / 1000) - t.timeSigned);
  if (skew > t.fudge) return fail('BADTIME', `signed ${skew} s away from our clock (fudge ${t.fudge} s)`);
  return { ok: true, tsig: t };
}

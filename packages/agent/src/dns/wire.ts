// DNS message framing (RFC 1035 §4) for the few messages SpareSync sends and receives.
// Encoding is ours: RFC 2136 needs class NONE/ANY and empty RDATA, which dns2 3.0.0 cannot write,
// and names are written uncompressed so that a message's bytes do not depend on record order
// (TSIG signs the bytes). Decoding walks the sections itself, to know where every record starts
// (TSIG verification needs the offset of the last one), and uses dns2 for name decompression.
import DNS from 'dns2';
import { dnsFailure } from './errors';

export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
  TSIG: 250,
  ANY: 255,
} as const;
export const RRClass = { IN: 1, NONE: 254, ANY: 255 } as const;
export const Opcode = { QUERY: 0, UPDATE: 5 } as const;

export function typeName(type: number): string {
  const hit = Object.entries(RRType).find(([, v]) => v === type);
  return hit ? hit[0] : `TYPE${type}`;
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface ResourceRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** RDATA exactly as on the wire; for a decoded record it may hold compression pointers into the message. */
  rdata: Buffer;
}

export interface DecodedRecord extends ResourceRecord {
  /** Byte offset of the record's owner name in the message. */
  offset: number;
  /** Byte offset of its RDATA, for decoders that follow compression pointers. */
  rdataOffset: number;
}

export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
}

/** In an UPDATE the four sections are zone, prerequisites, updates and additional data (RFC 2136 §2). */
export interface DnsMessage extends Header {
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

export interface DecodedMessage extends Header {
  questions: Question[];
  answers: DecodedRecord[];
  authorities: DecodedRecord[];
  additionals: DecodedRecord[];
  /** The message these records point into. */
  bytes: Buffer;
}

export const HEADER_BYTES = 12;
const MAX_MESSAGE = 65535;

/** Names are compared and signed without the trailing dot and in lower case (RFC 4034 §6.2). */
export function canonicalName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

export function encodeName(name: string): Buffer {
  const trimmed = name.replace(/\.$/, '');
  const labels = trimmed === '' ? [] : trimmed.split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length === 0 || bytes.length > 63) {
      throw dnsFailure('BADNAME', `"${name}" is not a valid DNS name (labels are 1 to 63 characters)`);
    }
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw dnsFailure('BADNAME', `"${name}" is longer than 255 bytes on the wire`);
  return out;
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function encodeHeader(h: Header, counts: [number, number, number, number]): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.writeUInt16BE(h.id);
  const flags =
    (Number(h.qr) << 15) |
    ((h.opcode & 0xf) << 11) |
    (Number(h.aa) << 10) |
    (Number(h.tc) << 9) |
    (Number(h.rd) << 8) |
    (Number(h.ra) << 7) |
    (h.rcode & 0xf);
  b.writeUInt16BE(flags, 2);
  counts.forEach((c, i) => b.writeUInt16BE(c, 4 + 2 * i));
  return b;
}

export function encodeRecord(rr: ResourceRecord): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(rr.type, 0);
  fixed.writeUInt16BE(rr.class, 2);
  fixed.writeUInt32BE(rr.ttl >>> 0, 4);
  fixed.writeUInt16BE(rr.rdata.length, 8);
  return Buffer.concat([encodeName(rr.name), fixed, rr.rdata]);
}

export function encodeMessage(m: DnsMessage): Buffer {
  const parts = [
    encodeHeader(m, [m.questions.length, m.answers.length, m.authorities.length, m.additionals.length]),
    ...m.questions.map((q) => Buffer.concat([encodeName(q.name), u16(q.type), u16(q.class)])),
    ...[...m.answers, ...m.authorities, ...m.additionals].map(encodeRecord),
  ];
  const out = Buffer.concat(parts);
  if (out.length > MAX_MESSAGE) throw dnsFailure('FORMERR', `DNS message of ${out.length} bytes is too long`);
  return out;
}

export function decodeHeader(buf: Buffer): Header & { counts: number[] } {
  if (buf.length < HEADER_BYTES)
    throw dnsFailure('BADRESPONSE', `DNS message of ${buf.length} bytes is shorter than a header`);
  const flags = buf.readUInt16BE(2);
  return {
    id: buf.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x400) !== 0,
    tc: (flags & 0x200) !== 0,
    rd: (flags & 0x100) !== 0,
    ra: (flags & 0x80) !== 0,
    rcode: flags & 0xf,
    counts: [0, 1, 2, 3].map((i) => buf.readUInt16BE(4 + 2 * i)),
  };
}

/** Reads a possibly compressed name at `offset` (dns2 guards against pointer loops); returns it and where it ends. */
export function readName(buf: Buffer, offset: number): { name: string; end: number } {
  const reader = new DNS.Packet.Reader(buf, offset * 8);
  const name = DNS.Packet.Name.decode(reader);
  return { name, end: reader.offset / 8 };
}

function need(buf: Buffer, end: number, what: string) {
  if (end > buf.length) throw dnsFailure('BADRESPONSE', `DNS message ends inside ${what}`);
}

export function decodeMessage(buf: Buffer): DecodedMessage {
  const { counts, ...header } = decodeHeader(buf);
  const [qd = 0, an = 0, ns = 0, ar = 0] = counts;
  let at = HEADER_BYTES;
  try {
    const questions: Question[] = [];
    for (let i = 0; i < qd; i++) {
      const { name, end } = readName(buf, at);
      need(buf, end + 4, 'a question');
      questions.push({ name, type: buf.readUInt16BE(end), class: buf.readUInt16BE(end + 2) });
      at = end + 4;
    }
    const section = (n: number) => {
      const out: DecodedRecord[] = [];
      for (let i = 0; i < n; i++) {
        const offset = at;
        const { name, end } = readName(buf, at);
        need(buf, end + 10, 'a record header');
        const rdlength = buf.readUInt16BE(end + 8);
        const rdataOffset = end + 10;
        need(buf, rdataOffset + rdlength, 'a record');
        out.push({
          name,
          type: buf.readUInt16BE(end),
          class: buf.readUInt16BE(end + 2),
          ttl: buf.readUInt32BE(end + 4),
          rdata: buf.subarray(rdataOffset, rdataOffset + rdlength),
          offset,
          rdataOffset,
        });
        at = rdataOffset + rdlength;
      }
      return out;
    };
    const answers = section(an);
    const authorities = section(ns);
    const additionals = section(ar);
    return { ...header, questions, answers, authorities, additionals, bytes: buf };
  } catch (e) {
    // dns2's reader throws plain errors (RangeError, "pointer cycle") on malformed names.
    if (e instanceof Error && e.name === 'DnsError') throw e;
    throw dnsFailure('BADRESPONSE', `malformed DNS message: ${(e as Error).message}`);
  }
}

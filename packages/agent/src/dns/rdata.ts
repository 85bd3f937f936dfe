// RDATA for the record types SpareSync reads and writes. Addresses are parsed with node:net (dns2
// 3.0.0 neither validates addresses nor writes empty RDATA); decoding reuses dns2's decoders,
// which follow compression pointers inside NS/CNAME/SOA RDATA.
import { isIPv4, isIPv6 } from 'node:net';
import DNS from 'dns2';
import { dnsFailure } from './errors';
import { encodeName, RRType } from './wire';

export type AddressType = 'A' | 'AAAA';

export interface Soa {
  primary: string;
  admin: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** A record's data in presentation form: address text, TXT strings, a target name or SOA fields. */
export type RecordData =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'TXT'; strings: string[] }
  | { type: 'NS' | 'CNAME'; target: string }
  | { type: 'SOA'; soa: Soa };

export function addressType(address: string): AddressType {
  if (isIPv4(address)) return 'A';
  if (isIPv6(address)) return 'AAAA';
  throw dnsFailure('BADADDRESS', `"${address}" is not an IPv4 or IPv6 address`);
}

export function encodeAddress(address: string): Buffer {
  if (addressType(address) === 'A') return Buffer.from(address.split('.').map(Number));
  // Expand "::" and a trailing dotted IPv4 part into eight 16-bit groups.
  let text = address.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), 2 * i));
  return out;
}

/** Canonical text of an address (RFC 5952 for IPv6), so addresses compare as strings. */
export function canonicalAddress(address: string): string {
  const bytes = encodeAddress(address);
  return addressType(address) === 'A' ? [...bytes].join('.') : DNS.Packet.toIPv6(groupsOf(bytes));
}

function groupsOf(bytes: Buffer): number[] {
  return Array.from({ length: bytes.length / 2 }, (_, i) => bytes.readUInt16BE(2 * i));
}

export function encodeTxt(strings: string[]): Buffer {
  return Buffer.concat(
    strings.map((s) => {
      const b = Buffer.from(s, 'utf8');
      if (b.length > 255) throw dnsFailure('FORMERR', 'a TXT string is longer than 255 bytes');
      return Buffer.concat([Buffer.from([b.length]), b]);
    }),
  );
}

export function encodeRdata(data: RecordData): Buffer {
  switch (data.type) {
    case 'A':
    case 'AAAA':
      if (addressType(data.address) !== data.type) {
        throw dnsFailure('BADADDRESS', `"${data.address}" is not an address for a ${data.type} record`);
      }
      return encodeAddress(data.address);
    case 'TXT':
      return encodeTxt(data.strings);
    case 'NS':
    case 'CNAME':
      return encodeName(data.target);
    case 'SOA': {
      const s = data.soa;
      const nums = Buffer.alloc(20);
      [s.serial, s.refresh, s.retry, s.expire, s.minimum].forEach((n, i) =>
        nums.writeUInt32BE(n >>> 0, 4 * i),
      );
      return Buffer.concat([encodeName(s.primary), encodeName(s.admin), nums]);
    }
  }
}

interface Dns2Decoded {
  address?: string;
  data?: string | string[];
  domain?: string;
  ns?: string;
  primary?: string;
  admin?: string;
  serial?: number;
  refresh?: number;
  retry?: number;
  expiration?: number;
  minimum?: number;
}
type Dns2Decoder = { decode(this: Dns2Decoded, reader: unknown, length: number): Dns2Decoded };
const dns2Rdata = DNS.Packet.Resource as unknown as Record<string, Dns2Decoder | undefined>;

/**
 * Decodes the RDATA at `offset` (length `length`) of `message`; undefined for types we do not read.
 * The whole message is needed because names inside RDATA may point back into it.
 */
export function decodeRdata(
  message: Buffer,
  offset: number,
  length: number,
  type: number,
): RecordData | undefined {
  const name = Object.entries(RRType).find(([, v]) => v === type)?.[0];
  const decoder =
    name && ['A', 'AAAA', 'TXT', 'NS', 'CNAME', 'SOA'].includes(name) ? dns2Rdata[name] : undefined;
  if (!decoder) return undefined;
  if ((type === RRType.A && length !== 4) || (type === RRType.AAAA && length !== 16)) {
    throw dnsFailure('BADRESPONSE', `${name} record with ${length} bytes of data`);
  }
  const target: Dns2Decoded = {};
  try {
    decoder.decode.call(target, new DNS.Packet.Reader(message, offset * 8), length);
  } catch (e) {
    throw dnsFailure('BADRESPONSE', `malformed ${name} record: ${(e as Error).message}`);
  }
  switch (name) {
    case 'A':
    case 'AAAA':
      return { type: name, address: target.address ?? '' };
    case 'TXT':
      return { type: 'TXT', strings: Array.isArray(target.data) ? target.data : [target.data ?? ''] };
    case 'NS':
      return { type: 'NS', target: target.ns ?? '' };
    case 'CNAME':
      return { type: 'CNAME', target: target.domain ?? '' };
    default:
      return {
        type: 'SOA',
        soa: {
          primary: target.primary ?? '',
          admin: target.admin ?? '',
          serial: target.serial ?? 0,
          refresh: target.refresh ?? 0,
          retry: target.retry ?? 0,
          expire: target.expiration ?? 0,
          minimum: target.minimum ?? 0,
        },
      };
  }
}

/** One line per record's data, as dig prints it (TXT strings quoted). */
export function dataText(data: RecordData): string {
  switch (data.type) {
    case 'A':
    case 'AAAA':
      return data.address;
    case 'TXT':
      return data.strings.map((s) => JSON.stringify(s)).join(' ');
    case 'NS':
    case 'CNAME':
      return data.target;
    case 'SOA': {
      const s = data.soa;
      return `${s.primary} ${s.admin} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
  }
}

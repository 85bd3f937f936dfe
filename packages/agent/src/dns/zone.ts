// The embedded server's zone: a list of records under one origin, and how queries are answered
// from it (RFC 1034 §4.3.2 for a single authoritative zone: exact names, CNAME at the name,
// NXDOMAIN vs NODATA with the SOA for negative caching). No wildcards and no delegations:
// it serves one small zone (the pair's) and nothing else. Pure: no I/O.
import { canonicalName, RRClass, RRType, typeName, type ResourceRecord } from './wire';
import { encodeRdata, type RecordData, type Soa } from './rdata';

export type RecordType = RecordData['type'];
export const recordTypes: readonly RecordType[] = ['A', 'AAAA', 'TXT', 'NS', 'CNAME', 'SOA'];

export interface ZoneRecord {
  /** Canonical: lower case, no trailing dot. */
  name: string;
  ttl: number;
  data: RecordData;
}

export interface Zone {
  origin: string;
  records: ZoneRecord[];
}

export function isRecordType(name: string): name is RecordType {
  return (recordTypes as readonly string[]).includes(name);
}

/** The record type's name for a wire type number, if the zone can hold it. */
export function recordTypeOf(type: number): RecordType | undefined {
  const name = typeName(type);
  return isRecordType(name) ? name : undefined;
}

/** RDATA in canonical form (names lower-cased, RFC 4034 §6.2), for comparing records. */
export function canonicalRdata(data: RecordData): Buffer {
  switch (data.type) {
    case 'NS':
    case 'CNAME':
      return encodeRdata({ ...data, target: canonicalName(data.target) });
    case 'SOA':
      return encodeRdata({
        type: 'SOA',
        soa: { ...data.soa, primary: canonicalName(data.soa.primary), admin: canonicalName(data.soa.admin) },
      });
    default:
      return encodeRdata(data);
  }
}

export function sameRecord(
  a: { name: string; data: RecordData },
  b: { name: string; data: RecordData },
): boolean {
  return (
    canonicalName(a.name) === canonicalName(b.name) &&
    a.data.type === b.data.type &&
    canonicalRdata(a.data).equals(canonicalRdata(b.data))
  );
}

export function soaOf(zone: Zone): { record: ZoneRecord; soa: Soa } {
  const record = zone.records.find((r) => r.name === zone.origin && r.data.type === 'SOA');
  if (!record || record.data.type !== 'SOA') throw new Error(`zone ${zone.origin} has no SOA record`);
  return { record, soa: record.data.soa };
}

export interface InitialZone {
  origin: string;
  /** Default: ns1.<origin>. */
  nameServers?: string[];
  /** An address for ns1.<origin> when nameServers is defaulted. */
  nameServerAddress?: string;
  records?: ZoneRecord[];
}

/** A new zone: SOA, NS records, and the given records. */
export function initialZone(init: InitialZone): Zone {
  const origin = canonicalName(init.origin);
  const servers = (init.nameServers?.length ? init.nameServers : [`ns1.${origin}`]).map(canonicalName);
  const soa: Soa = {
    primary: servers[0]!,
    admin: `hostmaster.${origin}`,
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    minimum: 60,
  };
  const records: ZoneRecord[] = [
    { name: origin, ttl: 3600, data: { type: 'SOA', soa } },
    ...servers.map((target): ZoneRecord => ({ name: origin, ttl: 3600, data: { type: 'NS', target } })),
  ];
  if (!init.nameServers?.length && init.nameServerAddress) {
    const type = init.nameServerAddress.includes(':') ? 'AAAA' : 'A';
    records.push({ name: `ns1.${origin}`, ttl: 3600, data: { type, address: init.nameServerAddress } });
  }
  for (const r of init.records ?? []) records.push({ ...r, name: canonicalName(r.name) });
  return { origin, records };
}

export function toWire(r: ZoneRecord): ResourceRecord {
  return {
    name: r.name,
    type: RRType[r.data.type],
    class: RRClass.IN,
    ttl: r.ttl,
    rdata: encodeRdata(r.data),
  };
}

export interface Answer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'NOTIMP';
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
}

export function inOrigin(name: string, origin: string): boolean {
  return name === origin || name.endsWith('.' + origin);
}

/** The SOA in the authority section of a negative answer, with TTL min(SOA TTL, minimum) (RFC 2308 §3). */
function negative(zone: Zone, rcode: 'NOERROR' | 'NXDOMAIN'): Answer {
  const { record, soa } = soaOf(zone);
  return { rcode, answers: [], authorities: [toWire({ ...record, ttl: Math.min(record.ttl, soa.minimum) })] };
}

export function answerQuery(zone: Zone, question: { name: string; type: number; class: number }): Answer {
  const name = canonicalName(question.name);
  if (question.class !== RRClass.IN && question.class !== RRClass.ANY)
    return { rcode: 'REFUSED', answers: [], authorities: [] };
  if (!inOrigin(name, zone.origin)) return { rcode: 'REFUSED', answers: [], authorities: [] };
  if ([251, 252, 253, 254].includes(question.type)) return { rcode: 'NOTIMP', answers: [], authorities: [] }; // IXFR, AXFR, MAILB, MAILA
  const answers: ResourceRecord[] = [];
  let owner = name;
  // Follow CNAMEs inside the zone; a loop or a chain longer than 8 stops.
  for (let hops = 0; hops < 8; hops++) {
    const here = zone.records.filter((r) => r.name === owner);
    const cname = here.find((r) => r.data.type === 'CNAME');
    const wanted = here.filter((r) => question.type === RRType.ANY || RRType[r.data.type] === question.type);
    if (wanted.length || !cname) {
      answers.push(...wanted.map(toWire));
      if (answers.length) return { rcode: 'NOERROR', answers, authorities: [] };
      const exists = zone.records.some((r) => r.name === owner || r.name.endsWith('.' + owner));
      return negative(zone, exists ? 'NOERROR' : 'NXDOMAIN');
    }
    answers.push(toWire(cname));
    if (cname.data.type !== 'CNAME') break;
    owner = canonicalName(cname.data.target);
    if (!inOrigin(owner, zone.origin)) break;
  }
  return { rcode: 'NOERROR', answers, authorities: [] };
}

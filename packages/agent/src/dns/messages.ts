// The messages SpareSync sends, built without I/O: a query, and an RFC 2136 UPDATE from
// prerequisites and updates written as intentions rather than as the class/TTL/RDATA tricks
// RFC 2136 §2.4 and §2.5 encode them with.
import { dnsFailure } from './errors';
import { encodeRdata, type RecordData } from './rdata';
import { canonicalName, encodeMessage, Opcode, RRClass, RRType, type ResourceRecord } from './wire';

type RecordType = RecordData['type'];

/** RFC 2136 §2.4: what must hold before the server applies any update. */
export type Prerequisite =
  /** Name has an RRset of this type, whatever its values (class ANY, empty RDATA). */
  | { kind: 'rrsetExists'; name: string; type: RecordType }
  /** The name's RRset of this type is exactly these records (class IN; §2.4.2). */
  | { kind: 'rrsetEquals'; name: string; records: RecordData[] }
  /** Name has no RRset of this type (class NONE, empty RDATA). */
  | { kind: 'rrsetAbsent'; name: string; type: RecordType }
  /** Name owns at least one record (class ANY, type ANY). */
  | { kind: 'nameInUse'; name: string }
  /** Name owns no records (class NONE, type ANY). */
  | { kind: 'nameNotInUse'; name: string };

/** RFC 2136 §2.5: the changes, applied in order. */
export type Update =
  | { kind: 'add'; name: string; ttl: number; data: RecordData }
  /** Deletes the whole RRset of this type (class ANY, TTL 0, empty RDATA). */
  | { kind: 'deleteRRset'; name: string; type: RecordType }
  /** Deletes one record (class NONE, TTL 0). */
  | { kind: 'deleteRecord'; name: string; data: RecordData }
  /** Deletes every RRset of the name. */
  | { kind: 'deleteName'; name: string };

const empty = Buffer.alloc(0);

function rr(name: string, type: number, cls: number, ttl: number, rdata: Buffer = empty): ResourceRecord {
  return { name, type, class: cls, ttl, rdata };
}

export function prerequisiteRecords(p: Prerequisite): ResourceRecord[] {
  switch (p.kind) {
    case 'rrsetExists':
      return [rr(p.name, RRType[p.type], RRClass.ANY, 0)];
    case 'rrsetEquals':
      if (p.records.length === 0)
        throw dnsFailure('FORMERR', 'an RRset prerequisite needs at least one record');
      return p.records.map((d) => rr(p.name, RRType[d.type], RRClass.IN, 0, encodeRdata(d)));
    case 'rrsetAbsent':
      return [rr(p.name, RRType[p.type], RRClass.NONE, 0)];
    case 'nameInUse':
      return [rr(p.name, RRType.ANY, RRClass.ANY, 0)];
    case 'nameNotInUse':
      return [rr(p.name, RRType.ANY, RRClass.NONE, 0)];
  }
}

export function updateRecords(u: Update): ResourceRecord {
  switch (u.kind) {
    case 'add':
      return rr(u.name, RRType[u.data.type], RRClass.IN, u.ttl, encodeRdata(u.data));
    case 'deleteRRset':
      return rr(u.name, RRType[u.type], RRClass.ANY, 0);
    case 'deleteRecord':
      return rr(u.name, RRType[u.data.type], RRClass.NONE, 0, encodeRdata(u.data));
    case 'deleteName':
      return rr(u.name, RRType.ANY, RRClass.ANY, 0);
  }
}

/** True if `name` is `zone` or below it. */
export function inZone(name: string, zone: string): boolean {
  const n = canonicalName(name);
  const z = canonicalName(zone);
  return z === '' || n === z || n.endsWith('.' + z);
}

const header = { qr: false, aa: false, tc: false, ra: false, rcode: 0 };

export function buildQuery(id: number, name: string, type: RecordType): Buffer {
  return encodeMessage({
    ...header,
    id,
    opcode: Opcode.QUERY,
    rd: false,
    questions: [{ name, type: RRType[type], class: RRClass.IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}

export function buildUpdate(
  id: number,
  zone: string,
  prerequisites: Prerequisite[],
  updates: Update[],
): Buffer {
  for (const name of [...prerequisites, ...updates].map((x) => x.name)) {
    if (!inZone(name, zone)) throw dnsFailure('NOTZONE', `"${name}" is not inside the zone "${zone}"`);
  }
  return encodeMessage({
    ...header,
    id,
    opcode: Opcode.UPDATE,
    rd: false,
    questions: [{ name: zone, type: RRType.SOA, class: RRClass.IN }],
    answers: prerequisites.flatMap(prerequisiteRecords),
    authorities: updates.map(updateRecords),
    additionals: [],
  });
}

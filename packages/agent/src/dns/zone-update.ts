// RFC 2136 §3 for the embedded server: check the zone section, the prerequisites (§3.2) and the
// updates (§3.4.1) first, then apply all updates or none (§3.4.2), bumping the SOA serial when
// anything changed. Pure: returns the new zone; the caller persists it before answering.
import type { RcodeName } from './errors';
import { decodeRdata, type RecordData } from './rdata';
import {
  canonicalRdata,
  inOrigin,
  recordTypeOf,
  sameRecord,
  soaOf,
  type RecordType,
  type Zone,
  type ZoneRecord,
} from './zone';
import { canonicalName, RRClass, RRType, type DecodedMessage, type DecodedRecord } from './wire';

export interface UpdateOutcome {
  rcode: RcodeName;
  zone: Zone;
  changed: boolean;
  /** Why, in one line, for the log. */
  reason: string;
}

const META_TYPES = new Set([RRType.ANY, 251, 252, 253, 254]); // ANY, IXFR, AXFR, MAILB, MAILA

class Refusal extends Error {
  constructor(
    readonly rcode: RcodeName,
    reason: string,
  ) {
    super(reason);
  }
}

function refuse(rcode: RcodeName, reason: string): never {
  throw new Refusal(rcode, reason);
}

/** The record's data as the zone stores it, or undefined for a type the zone cannot hold. */
function dataOf(m: DecodedMessage, rr: DecodedRecord): RecordData | undefined {
  if (!recordTypeOf(rr.type)) return undefined;
  return decodeRdata(m.bytes, rr.rdataOffset, rr.rdata.length, rr.type);
}

function rrset(zone: Zone, name: string, type: RecordType): ZoneRecord[] {
  return zone.records.filter((r) => r.name === name && r.data.type === type);
}

function checkPrerequisites(zone: Zone, m: DecodedMessage) {
  const valueSets = new Map<string, { name: string; type: number; data: (RecordData | undefined)[] }>();
  for (const rr of m.answers) {
    const name = canonicalName(rr.name);
    if (rr.ttl !== 0) refuse('FORMERR', `prerequisite for ${name} has TTL ${rr.ttl}`);
    if (!inOrigin(name, zone.origin))
      refuse('NOTZONE', `prerequisite name ${name} is outside ${zone.origin}`);
    const type = recordTypeOf(rr.type);
    const here = zone.records.filter((r) => r.name === name);
    if (rr.class === RRClass.ANY || rr.class === RRClass.NONE) {
      if (rr.rdata.length !== 0) refuse('FORMERR', `prerequisite for ${name} has data`);
      const present =
        rr.type === RRType.ANY ? here.length > 0 : type !== undefined && rrset(zone, name, type).length > 0;
      if (rr.class === RRClass.ANY && !present) {
        refuse(
          rr.type === RRType.ANY ? 'NXDOMAIN' : 'NXRRSET',
          `${name} has no records of the required type`,
        );
      }
      if (rr.class === RRClass.NONE && present) {
        refuse(rr.type === RRType.ANY ? 'YXDOMAIN' : 'YXRRSET', `${name} has records that must not exist`);
      }
    } else if (rr.class === RRClass.IN) {
      const key = `${name}/${rr.type}`;
      const set = valueSets.get(key) ?? { name, type: rr.type, data: [] };
      set.data.push(dataOf(m, rr));
      valueSets.set(key, set);
    } else {
      refuse('FORMERR', `prerequisite for ${name} has class ${rr.class}`);
    }
  }
  // §3.2.3: each value-dependent RRset must match the zone's exactly (same records, no others).
  for (const { name, type, data } of valueSets.values()) {
    const t = recordTypeOf(type);
    const have = t ? rrset(zone, name, t) : [];
    const want = data.filter((d): d is RecordData => d !== undefined);
    const match =
      want.length === data.length &&
      have.every((h) => want.some((w) => sameRecord(h, { name, data: w }))) &&
      want.every((w) => have.some((h) => sameRecord(h, { name, data: w })));
    if (!match) refuse('NXRRSET', `${name} does not hold exactly the required records`);
  }
}

type Change =
  | { kind: 'add'; record: ZoneRecord }
  | { kind: 'delete'; name: string; type?: RecordType; data?: RecordData };

function prescan(zone: Zone, m: DecodedMessage): Change[] {
  return m.authorities.map((rr): Change => {
    const name = canonicalName(rr.name);
    if (!inOrigin(name, zone.origin)) refuse('NOTZONE', `update name ${name} is outside ${zone.origin}`);
    const type = recordTypeOf(rr.type);
    if (rr.class === RRClass.IN) {
      if (META_TYPES.has(rr.type)) refuse('FORMERR', `cannot add a record of type ${rr.type}`);
      const data = dataOf(m, rr);
      if (!data) refuse('NOTIMP', `the embedded server does not hold records of type ${rr.type}`);
      return { kind: 'add', record: { name, ttl: rr.ttl, data } };
    }
    if (rr.ttl !== 0 || (rr.class !== RRClass.ANY && rr.class !== RRClass.NONE)) {
      refuse('FORMERR', `malformed delete for ${name}`);
    }
    if (rr.class === RRClass.ANY) {
      if (rr.rdata.length !== 0) refuse('FORMERR', `delete of an RRset at ${name} has data`);
      return {
        kind: 'delete',
        name,
        type: rr.type === RRType.ANY ? undefined : (type ?? refuse('NOTIMP', `type ${rr.type}`)),
      };
    }
    if (META_TYPES.has(rr.type)) refuse('FORMERR', `cannot delete a record of type ${rr.type}`);
    const data = dataOf(m, rr);
    return data
      ? { kind: 'delete', name, type: data.type, data }
      : { kind: 'delete', name, type: undefined, data: undefined };
  });
}

/** Whether `r` is protected from deletion: the apex SOA always, the apex NS set from ANY deletes. */
function protectedAtApex(
  zone: Zone,
  r: ZoneRecord,
  change: { type?: RecordType; data?: RecordData },
): boolean {
  if (r.name !== zone.origin) return false;
  if (r.data.type === 'SOA') return true;
  if (r.data.type !== 'NS') return false;
  if (!change.data) return true; // RRset and name deletes leave the apex NS set alone (§3.4.2.3)
  return zone.records.filter((x) => x.name === zone.origin && x.data.type === 'NS').length <= 1; // keep the last NS (§3.4.2.4)
}

function apply(zone: Zone, changes: Change[]): { records: ZoneRecord[]; changed: boolean } {
  let records = [...zone.records];
  let changed = false;
  for (const c of changes) {
    if (c.kind === 'add') {
      const r = c.record;
      const here = records.filter((x) => x.name === r.name);
      // §3.4.2.2: no CNAME beside other data; an SOA only replaces the old one with a higher serial.
      if (r.data.type === 'CNAME' && here.some((x) => x.data.type !== 'CNAME')) continue;
      if (r.data.type !== 'CNAME' && here.some((x) => x.data.type === 'CNAME')) continue;
      if (r.data.type === 'SOA') {
        const old = soaOf({ ...zone, records });
        if (r.name !== zone.origin || r.data.soa.serial <= old.soa.serial) continue;
        records = records.map((x) => (x === old.record ? r : x));
        changed = true;
        continue;
      }
      const set = records.filter((x) => x.name === r.name && x.data.type === r.data.type);
      const duplicate = set.find((x) => sameRecord(x, r));
      if (duplicate && set.every((x) => x.ttl === r.ttl)) continue; // already there, same TTL
      // An RRset has one TTL: the newest record's TTL applies to all its records.
      records = records
        .filter((x) => x !== duplicate)
        .map((x) => (x.name === r.name && x.data.type === r.data.type ? { ...x, ttl: r.ttl } : x));
      records.push(r);
      changed = true;
    } else {
      const keep = records.filter((r) => {
        if (r.name !== c.name) return true;
        if (c.type && r.data.type !== c.type) return true;
        if (c.data && !canonicalRdata(r.data).equals(canonicalRdata(c.data))) return true;
        return protectedAtApex({ ...zone, records }, r, c);
      });
      if (keep.length !== records.length) changed = true;
      records = keep;
    }
  }
  return { records, changed };
}

export function applyUpdate(zone: Zone, m: DecodedMessage): UpdateOutcome {
  try {
    const q = m.questions[0];
    if (m.questions.length !== 1 || q?.type !== RRType.SOA)
      refuse('FORMERR', 'the zone section must name one SOA');
    if (canonicalName(q.name) !== zone.origin || q.class !== RRClass.IN) {
      refuse('NOTAUTH', `not authoritative for ${q.name}`);
    }
    checkPrerequisites(zone, m);
    const { records, changed } = apply(zone, prescan(zone, m));
    if (!changed) return { rcode: 'NOERROR', zone, changed: false, reason: 'nothing to change' };
    const next = { ...zone, records };
    const { record, soa } = soaOf(next);
    const bumped: ZoneRecord = {
      ...record,
      data: { type: 'SOA', soa: { ...soa, serial: (soa.serial + 1) >>> 0 } },
    };
    const edited = soaOf(zone).soa.serial !== soa.serial; // an update that set the SOA itself keeps its serial
    return {
      rcode: 'NOERROR',
      zone: edited ? next : { ...next, records: next.records.map((r) => (r === record ? bumped : r)) },
      changed: true,
      reason: 'applied',
    };
  } catch (e) {
    if (e instanceof Refusal) return { rcode: e.rcode, zone, changed: false, reason: e.message };
    throw e;
  }
}

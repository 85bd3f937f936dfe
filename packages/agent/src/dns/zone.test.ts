import { buildUpdate, type Prerequisite, type Update } from './messages';
import { answerQuery, initialZone, soaOf, type Zone } from './zone';
import { applyUpdate } from './zone-update';
import { decodeMessage, encodeMessage, Opcode, RRClass, RRType, type ResourceRecord } from './wire';

const zone: Zone = initialZone({
  origin: 'Pair.Test.',
  nameServerAddress: '192.0.2.53',
  records: [
    { name: 'www.pair.test', ttl: 60, data: { type: 'A', address: '192.0.2.1' } },
    { name: 'app.pair.test', ttl: 60, data: { type: 'CNAME', target: 'www.pair.test' } },
    { name: 'a.b.pair.test', ttl: 60, data: { type: 'TXT', strings: ['deep'] } },
  ],
});

const q = (name: string, type: number, cls: number = RRClass.IN) =>
  answerQuery(zone, { name, type, class: cls });

describe('answering queries', () => {
  it('answers records of the asked type, case-insensitively', () => {
    const a = q('WWW.pair.test', RRType.A);
    expect(a.rcode).toBe('NOERROR');
    expect(a.answers.map((r) => [r.name, r.ttl, [...r.rdata].join('.')])).toEqual([
      ['www.pair.test', 60, '192.0.2.1'],
    ]);
  });

  it('follows a CNAME inside the zone', () => {
    expect(q('app.pair.test', RRType.A).answers.map((r) => r.type)).toEqual([RRType.CNAME, RRType.A]);
    expect(q('app.pair.test', RRType.CNAME).answers.map((r) => r.type)).toEqual([RRType.CNAME]);
  });

  it('tells NXDOMAIN from NODATA (an empty non-terminal exists) and adds the SOA with the negative TTL', () => {
    const none = q('nothing.pair.test', RRType.A);
    expect(none).toMatchObject({ rcode: 'NXDOMAIN', answers: [] });
    expect(none.authorities).toHaveLength(1);
    expect(none.authorities[0]).toMatchObject({ name: 'pair.test', type: RRType.SOA, ttl: 60 });
    expect(q('b.pair.test', RRType.A)).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(q('www.pair.test', RRType.AAAA)).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('refuses names outside the zone, other classes and zone transfers', () => {
    expect(q('example.org', RRType.A).rcode).toBe('REFUSED');
    expect(q('www.pair.test', RRType.A, 3).rcode).toBe('REFUSED');
    expect(q('pair.test', 252).rcode).toBe('NOTIMP');
  });

  it('answers ANY with everything at the name', () => {
    expect(q('pair.test', RRType.ANY).answers.map((r) => r.type)).toEqual([RRType.SOA, RRType.NS]);
  });
});

function update(prerequisites: Prerequisite[], updates: Update[], z = zone) {
  return applyUpdate(z, decodeMessage(buildUpdate(1, 'pair.test', prerequisites, updates)));
}

function raw(answers: ResourceRecord[], authorities: ResourceRecord[] = [], zoneName = 'pair.test') {
  const bytes = encodeMessage({
    id: 1,
    qr: false,
    opcode: Opcode.UPDATE,
    aa: false,
    tc: false,
    rd: false,
    ra: false,
    rcode: 0,
    questions: [{ name: zoneName, type: RRType.SOA, class: RRClass.IN }],
    answers,
    authorities,
    additionals: [],
  });
  return applyUpdate(zone, decodeMessage(bytes));
}

const addresses = (z: Zone, name: string) =>
  z.records.flatMap((r) => (r.name === name && 'address' in r.data ? [`${r.data.address}/${r.ttl}`] : []));
const www = 'www.pair.test';
const swap: Update[] = [
  { kind: 'deleteRRset', name: www, type: 'A' },
  { kind: 'add', name: www, ttl: 30, data: { type: 'A', address: '192.0.2.2' } },
];

describe('RFC 2136 updates', () => {
  it('swaps an address under a matching value prerequisite and bumps the serial', () => {
    const out = update(
      [{ kind: 'rrsetEquals', name: www, records: [{ type: 'A', address: '192.0.2.1' }] }],
      swap,
    );
    expect(out).toMatchObject({ rcode: 'NOERROR', changed: true });
    expect(addresses(out.zone, www)).toEqual(['192.0.2.2/30']);
    expect(soaOf(out.zone).soa.serial).toBe(soaOf(zone).soa.serial + 1);
    expect(addresses(zone, www)).toEqual(['192.0.2.1/60']); // the input zone is not changed
  });

  it.each<[string, Prerequisite, string]>([
    [
      'value mismatch',
      { kind: 'rrsetEquals', name: www, records: [{ type: 'A', address: '192.0.2.9' }] },
      'NXRRSET',
    ],
    ['RRset missing', { kind: 'rrsetExists', name: www, type: 'AAAA' }, 'NXRRSET'],
    ['RRset present', { kind: 'rrsetAbsent', name: www, type: 'A' }, 'YXRRSET'],
    ['name missing', { kind: 'nameInUse', name: 'nothing.pair.test' }, 'NXDOMAIN'],
    ['name in use', { kind: 'nameNotInUse', name: www }, 'YXDOMAIN'],
  ])(
    'fails the whole update on a prerequisite (%s) with %s and changes nothing',
    (_what, prerequisite, rcode) => {
      const out = update([prerequisite], swap);
      expect(out).toMatchObject({ rcode, changed: false });
      expect(out.zone).toBe(zone);
    },
  );

  it.each<[string, Prerequisite]>([
    ['value match', { kind: 'rrsetEquals', name: www, records: [{ type: 'A', address: '192.0.2.1' }] }],
    ['RRset exists', { kind: 'rrsetExists', name: www, type: 'A' }],
    ['RRset absent', { kind: 'rrsetAbsent', name: www, type: 'AAAA' }],
    ['name in use', { kind: 'nameInUse', name: www }],
    ['name not in use', { kind: 'nameNotInUse', name: 'new.pair.test' }],
  ])('passes a prerequisite that holds (%s)', (_what, prerequisite) => {
    expect(update([prerequisite], swap).rcode).toBe('NOERROR');
  });

  it('requires the value RRset to match exactly, not just contain the expected record', () => {
    const two = update(
      [],
      [{ kind: 'add', name: www, ttl: 60, data: { type: 'A', address: '192.0.2.7' } }],
    ).zone;
    const out = update(
      [{ kind: 'rrsetEquals', name: www, records: [{ type: 'A', address: '192.0.2.1' }] }],
      swap,
      two,
    );
    expect(out.rcode).toBe('NXRRSET');
  });

  it('adds without duplicates, giving the RRset one TTL, and deletes single records', () => {
    const add = (address: string, ttl: number, z = zone) =>
      update([], [{ kind: 'add', name: www, ttl, data: { type: 'A', address } }], z);
    expect(add('192.0.2.1', 60)).toMatchObject({ changed: false, reason: 'nothing to change' });
    const two = add('192.0.2.7', 90).zone;
    expect(addresses(two, www).sort()).toEqual(['192.0.2.1/90', '192.0.2.7/90']);
    const one = update(
      [],
      [{ kind: 'deleteRecord', name: www, data: { type: 'A', address: '192.0.2.1' } }],
      two,
    ).zone;
    expect(addresses(one, www)).toEqual(['192.0.2.7/90']);
  });

  it('keeps the apex SOA and NS through name deletes, and the last NS through record deletes', () => {
    const wiped = update([], [{ kind: 'deleteName', name: 'pair.test' }]);
    expect(wiped.changed).toBe(false);
    const ns = update(
      [],
      [{ kind: 'deleteRecord', name: 'pair.test', data: { type: 'NS', target: 'ns1.pair.test' } }],
    );
    expect(ns.changed).toBe(false);
    const gone = update([], [{ kind: 'deleteName', name: www }]);
    expect(addresses(gone.zone, www)).toEqual([]);
  });

  it('ignores a CNAME beside other data and other data beside a CNAME', () => {
    const cname = update(
      [],
      [{ kind: 'add', name: www, ttl: 60, data: { type: 'CNAME', target: 'x.pair.test' } }],
    );
    expect(cname.changed).toBe(false);
    const a = update(
      [],
      [{ kind: 'add', name: 'app.pair.test', ttl: 60, data: { type: 'A', address: '192.0.2.5' } }],
    );
    expect(a.changed).toBe(false);
  });

  it('refuses malformed sections, other zones, names outside the zone and types it cannot hold', () => {
    const rr = (
      name: string,
      type: number,
      cls: number,
      ttl: number,
      rdata = Buffer.alloc(0),
    ): ResourceRecord => ({
      name,
      type,
      class: cls,
      ttl,
      rdata,
    });
    expect(raw([rr(www, RRType.A, RRClass.ANY, 5)]).rcode).toBe('FORMERR'); // prerequisite with a TTL
    expect(raw([rr(www, RRType.A, RRClass.ANY, 0, Buffer.from([1, 2, 3, 4]))]).rcode).toBe('FORMERR');
    expect(raw([rr(www, RRType.A, 3, 0)]).rcode).toBe('FORMERR');
    expect(raw([], [rr(www, RRType.A, RRClass.ANY, 60)]).rcode).toBe('FORMERR'); // delete with a TTL
    expect(raw([], [rr(www, RRType.ANY, RRClass.IN, 60)]).rcode).toBe('FORMERR');
    expect(raw([], [rr('www.example.org', RRType.A, RRClass.ANY, 0)]).rcode).toBe('NOTZONE');
    expect(raw([], [rr(www, 15, RRClass.IN, 60, Buffer.from('000a00', 'hex'))]).rcode).toBe('NOTIMP'); // MX
    expect(raw([], [], 'other.test').rcode).toBe('NOTAUTH');
  });
});

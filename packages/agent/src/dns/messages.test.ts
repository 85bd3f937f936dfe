// The UPDATE encoding against BIND's nsupdate: the vector below is the message nsupdate 9.18 sent
// for the script in the comment (captured with a UDP socket). nsupdate compresses names, we do
// not, so the decoded sections are compared, record by record.
import { buildQuery, buildUpdate, inZone, type Prerequisite, type Update } from './messages';
import { DnsError } from './errors';
import { decodeMessage, Opcode } from './wire';

// zone example.test
// prereq yxrrset www.example.test A 192.0.2.1 / prereq nxrrset www.example.test AAAA
// prereq yxdomain example.test / prereq nxdomain new.example.test
// update delete www.example.test A / update add www.example.test 60 A 192.0.2.2
// update delete old.example.test A 192.0.2.7 / update add v6.example.test 60 AAAA 2001:db8::1
// update add _t.example.test 60 TXT "hello" "world" / update delete gone.example.test
const nsupdate = [
  'e16428000001000400060000076578616d706c650474657374000006000103777777c00c00010001000000000004c000',
  '0201c01e001c00fe000000000000c00c00ff00ff000000000000036e6577c00c00ff00fe000000000000c01e000100ff',
  '000000000000c01e000100010000003c0004c0000202036f6c64c00c000100fe000000000004c0000207027636c00c00',
  '1c00010000003c001020010db8000000000000000000000001025f74c00c001000010000003c000c0568656c6c6f0577',
  '6f726c6404676f6e65c00c00ff00ff000000000000',
].join('');

const prerequisites: Prerequisite[] = [
  { kind: 'rrsetEquals', name: 'www.example.test', records: [{ type: 'A', address: '192.0.2.1' }] },
  { kind: 'rrsetAbsent', name: 'www.example.test', type: 'AAAA' },
  { kind: 'nameInUse', name: 'example.test' },
  { kind: 'nameNotInUse', name: 'new.example.test' },
];
const updates: Update[] = [
  { kind: 'deleteRRset', name: 'www.example.test', type: 'A' },
  { kind: 'add', name: 'www.example.test', ttl: 60, data: { type: 'A', address: '192.0.2.2' } },
  { kind: 'deleteRecord', name: 'old.example.test', data: { type: 'A', address: '192.0.2.7' } },
  { kind: 'add', name: 'v6.example.test', ttl: 60, data: { type: 'AAAA', address: '2001:db8::1' } },
  { kind: 'add', name: '_t.example.test', ttl: 60, data: { type: 'TXT', strings: ['hello', 'world'] } },
  { kind: 'deleteName', name: 'gone.example.test' },
];

const plain = (rrs: { name: string; type: number; class: number; ttl: number; rdata: Buffer }[]) =>
  rrs.map(({ name, type, class: cls, ttl, rdata }) => ({
    name,
    type,
    class: cls,
    ttl,
    rdata: rdata.toString('hex'),
  }));

describe('RFC 2136 UPDATE', () => {
  const theirs = decodeMessage(Buffer.from(nsupdate, 'hex'));
  const ours = decodeMessage(buildUpdate(0xe164, 'example.test', prerequisites, updates));

  it('has the header and zone section nsupdate sends', () => {
    expect(ours).toMatchObject({ id: 0xe164, opcode: Opcode.UPDATE, qr: false, rcode: 0 });
    expect(ours.opcode).toBe(theirs.opcode);
    expect(ours.questions).toEqual(theirs.questions);
  });

  it('encodes prerequisites with the classes, TTLs and RDATA nsupdate uses', () => {
    expect(plain(ours.answers)).toEqual(plain(theirs.answers));
  });

  it('encodes updates (add, delete RRset, delete one record, delete name) as nsupdate does', () => {
    expect(plain(ours.authorities)).toEqual(plain(theirs.authorities));
    expect(ours.additionals).toEqual([]);
  });

  it('refuses names outside the zone before sending anything', () => {
    const outside: Update = { kind: 'deleteRRset', name: 'www.example.org', type: 'A' };
    expect(() => buildUpdate(1, 'example.test', [], [outside])).toThrow(DnsError);
    expect(() => buildUpdate(1, 'example.test', [], [outside])).toThrow(/not inside the zone/);
    expect(() =>
      buildUpdate(1, 'example.test', [{ kind: 'rrsetEquals', name: 'a.example.test', records: [] }], []),
    ).toThrow(/at least one record/);
  });
});

describe('queries and zones', () => {
  it('builds a non-recursive IN query', () => {
    const q = decodeMessage(buildQuery(42, 'www.example.test', 'AAAA'));
    expect(q).toMatchObject({
      id: 42,
      opcode: Opcode.QUERY,
      rd: false,
      questions: [{ name: 'www.example.test', type: 28, class: 1 }],
    });
  });

  it.each([
    ['www.example.test', 'example.test', true],
    ['WWW.Example.Test.', 'example.test', true],
    ['example.test', 'example.test.', true],
    ['badexample.test', 'example.test', false],
    ['example.test', 'www.example.test', false],
  ])('inZone(%s, %s) is %s', (name, zone, expected) => {
    expect(inZone(name, zone)).toBe(expected);
  });
});

import { dnsFailure, DnsError } from './errors';
import {
  canonicalAddress,
  dataText,
  decodeRdata,
  encodeAddress,
  encodeRdata,
  type RecordData,
} from './rdata';
import { decodeMessage, encodeMessage, encodeName, RRClass, RRType, type DnsMessage } from './wire';

const message: DnsMessage = {
  id: 0xbeef,
  qr: true,
  opcode: 0,
  aa: true,
  tc: false,
  rd: true,
  ra: false,
  rcode: 3,
  questions: [{ name: 'www.example.test', type: RRType.A, class: RRClass.IN }],
  answers: [
    {
      name: 'www.example.test',
      type: RRType.A,
      class: RRClass.IN,
      ttl: 60,
      rdata: Buffer.from([192, 0, 2, 1]),
    },
  ],
  authorities: [
    {
      name: 'example.test',
      type: RRType.NS,
      class: RRClass.IN,
      ttl: 300,
      rdata: encodeName('ns1.example.test'),
    },
  ],
  additionals: [{ name: 'x', type: RRType.TXT, class: RRClass.NONE, ttl: 0, rdata: Buffer.alloc(0) }],
};

describe('wire format', () => {
  it('round-trips header flags, sections, classes and empty RDATA', () => {
    const decoded = decodeMessage(encodeMessage(message));
    const { bytes: _bytes, ...rest } = decoded;
    expect({
      ...rest,
      answers: rest.answers.map(({ offset: _o, rdataOffset: _r, ...rr }) => rr),
      authorities: rest.authorities.map(({ offset: _o, rdataOffset: _r, ...rr }) => rr),
      additionals: rest.additionals.map(({ offset: _o, rdataOffset: _r, ...rr }) => rr),
    }).toEqual(message);
  });

  it('decodes compressed names (a pointer back to the question)', () => {
    const bytes = Buffer.from(
      'abcd8400000100010000000003777777076578616d706c65047465737400000100' +
        '01c00c000100010000003c0004c0000201',
      'hex',
    );
    const m = decodeMessage(bytes);
    expect(m.answers[0]).toMatchObject({ name: 'www.example.test', ttl: 60, offset: 34 });
    expect(decodeRdata(bytes, m.answers[0]!.rdataOffset, 4, RRType.A)).toEqual({
      type: 'A',
      address: '192.0.2.1',
    });
  });

  it.each([
    ['a header cut short', '1234'],
    ['a record cut short', '12348000000000010000000000000100010000003c0004c000'],
    ['a pointer loop', '123480000000000100000000c00c00010001000000000000'],
    ['a count larger than the records', '123480000001000000000000'],
  ])('reports %s as BADRESPONSE', (_what, hex) => {
    let caught: unknown;
    try {
      decodeMessage(Buffer.from(hex, 'hex'));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DnsError);
    expect(caught).toMatchObject({ dnsError: 'BADRESPONSE', code: 'DnsResponseInvalid', retryable: true });
  });

  it('refuses names with empty or long labels', () => {
    expect(() => encodeName('a..b')).toThrow(/not a valid DNS name/);
    expect(() => encodeName(`${'x'.repeat(64)}.test`)).toThrow(/1 to 63/);
    expect(encodeName('.')).toEqual(Buffer.from([0]));
  });
});

describe('RDATA', () => {
  it.each([
    ['192.0.2.1', 'c0000201', '192.0.2.1'],
    ['2001:DB8::1', '20010db8000000000000000000000001', '2001:db8::1'],
    ['::', '00000000000000000000000000000000', '::'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201', '::ffff:c000:201'],
    ['fe80:0:0:0:1:0:0:0', 'fe800000000000000001000000000000', 'fe80::1:0:0:0'],
  ])('encodes %s and gives its canonical text', (address, hex, canonical) => {
    expect(encodeAddress(address).toString('hex')).toBe(hex);
    expect(canonicalAddress(address)).toBe(canonical);
  });

  it('refuses what is not an address, or the wrong family for the type', () => {
    expect(() => encodeAddress('192.0.2.256')).toThrow(/not an IPv4 or IPv6 address/);
    expect(() => encodeRdata({ type: 'A', address: '2001:db8::1' })).toThrow(/not an address for a A record/);
  });

  it('decodes what it encodes (through dns2) for every type it writes', () => {
    const soa = {
      primary: 'ns1.example.test',
      admin: 'hostmaster.example.test',
      serial: 7,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 60,
    };
    const all: RecordData[] = [
      { type: 'A', address: '192.0.2.1' },
      { type: 'AAAA', address: '2001:db8::1' },
      { type: 'TXT', strings: ['hello', 'wörld', ''] },
      { type: 'NS', target: 'ns1.example.test' },
      { type: 'CNAME', target: 'www.example.test' },
      { type: 'SOA', soa },
    ];
    for (const data of all) {
      const bytes = encodeRdata(data);
      expect(decodeRdata(bytes, 0, bytes.length, RRType[data.type])).toEqual(data);
    }
    expect(dataText({ type: 'TXT', strings: ['a b', 'c'] })).toBe('"a b" "c"');
    expect(() => decodeRdata(Buffer.alloc(3), 0, 3, RRType.A)).toThrow(/A record with 3 bytes/);
    expect(decodeRdata(Buffer.alloc(3), 0, 3, 99)).toBeUndefined();
  });
});

it('DnsError carries the name, the disposition and the per-name hint', () => {
  const e = dnsFailure('BADSIG', 'x');
  expect(e).toMatchObject({
    code: 'DnsRejected',
    dnsError: 'BADSIG',
    disposition: 'config',
    retryable: false,
  });
  expect(e.toLine()).toMatch(/^x \(DnsRejected\)\. The signature did not verify: check dns\.tsig key name/);
  expect(dnsFailure('TIMEOUT', 'y')).toMatchObject({ code: 'DnsUnavailable', retryable: true });
});

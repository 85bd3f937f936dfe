// Known-answer vectors made by independent implementations: each query was signed by BIND's
// `dig -y ALG:NAME:SECRET` (9.18) and each response by BIND's `named`, captured with a UDP relay
// (the query has an EDNS OPT record before its TSIG; the response compresses the answer's name).
import { decodeMessage, HEADER_BYTES } from './wire';
import { findTsig, signMessage, verifyMessage, type TsigKey } from './tsig';

const bindVectors: { key: TsigKey; query: string; response: string }[] = [
  {
    key: {
      name: 'k256.example',
      algorithm: 'hmac-sha256',
      secret: 'c3BhcmVzeW5jIHRlc3Qga2V5IHNoYTI1NiAuLi4uLi4u',
    },
    query: [
      'f7a70120000100000000000203777777076578616d706c650474657374000001000100002904d000000000000c000a00',
      '0802003605508e5d61046b323536076578616d706c650000fa00ff00000000003d0b686d61632d736861323536000000',
      '6b034111012c002057a0ea557382c5acd301ef6770cbcd16f3a273de02f9e8f41bbcbb04cfb87c06f7a700000000',
    ].join(''),
    response: [
      'f7a78500000100010000000203777777076578616d706c6504746573740000010001c00c000100010000012c0004c000',
      '020100002904d000000000001c000a001802003605508e5d61010000006b0341111bbd6a23202854ef046b3235360765',
      '78616d706c650000fa00ff00000000003d0b686d61632d7368613235360000006b034111012c00204db6a8bbde1624e7',
      'c72eb39e3a874c4e59de6cf0646807e63dd389a038009f5cf7a700000000',
    ].join(''),
  },
  {
    key: {
      name: 'k512',
      algorithm: 'hmac-sha512',
      secret: 'c3BhcmVzeW5jIHRlc3Qga2V5IHNoYTUxMiAuLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4=',
    },
    query: [
      '2a610120000100000000000203777777076578616d706c650474657374000001000100002904d000000000000c000a00',
      '0858a25a84eff9c697046b3531320000fa00ff00000000005d0b686d61632d7368613531320000006b034111012c0040',
      'ca5015446aed3c3e3bc983637fa8d4fccaeb4bdad577d2e54b465b7c4eebe2a0acfd4f328ab3525741b624dd1ed09ea5',
      '5862ab34bbf40a85956f65efd74db6322a6100000000',
    ].join(''),
    response: [
      '2a618500000100010000000203777777076578616d706c6504746573740000010001c00c000100010000012c0004c000',
      '020100002904d000000000001c000a001858a25a84eff9c697010000006b0341111d33b2f8faa0f84c046b3531320000',
      'fa00ff00000000005d0b686d61632d7368613531320000006b034111012c0040541b002982d0ce4a0a61f762e02dcf77',
      'a8423d25a17eba7dabe78e6686fa19f56c372be39d57db40826efdb262862f631dc29b9915ce7da64a8509163aa16f50',
      '2a6100000000',
    ].join(''),
  },
  {
    key: { name: 'k1', algorithm: 'hmac-sha1', secret: 'c3BhcmVzeW5jIHNoYTEga2V5Li4=' },
    query: [
      '1a8b0120000100000000000203777777076578616d706c650474657374000001000100002904d000000000000c000a00',
      '083596e1f1790f68a6026b310000fa00ff00000000002f09686d61632d736861310000006b034111012c0014dd007819',
      'ab9f866a60dd6fb680e094a6999f46381a8b00000000',
    ].join(''),
    response: [
      '1a8b8500000100010000000203777777076578616d706c6504746573740000010001c00c000100010000012c0004c000',
      '020100002904d000000000001c000a00183596e1f1790f68a6010000006b034111a5c16aa8aff8ecc6026b310000fa00',
      'ff00000000002f09686d61632d736861310000006b034111012c0014044de0d6993092b7df05ea131f39f377469d1f3e',
      '1a8b00000000',
    ].join(''),
  },
];

function parse(hex: string) {
  const m = decodeMessage(Buffer.from(hex, 'hex'));
  const tsig = findTsig(m);
  if (!tsig) throw new Error('vector has no TSIG');
  return { m, tsig };
}

/** The message as it was before signing: without the TSIG record, ARCOUNT one less. */
function strip(hex: string): Buffer {
  const { m, tsig } = parse(hex);
  const out = Buffer.from(m.bytes.subarray(0, tsig.offset));
  out.writeUInt16BE(out.readUInt16BE(10) - 1, 10);
  return out;
}

describe.each(bindVectors)('TSIG $key.algorithm against BIND', ({ key, query, response }) => {
  const q = parse(query);
  const now = q.tsig.record.timeSigned * 1000;

  it("signs dig's query to the same bytes", () => {
    const signed = signMessage(strip(query), key, { now });
    expect(signed.message.toString('hex')).toBe(query);
    expect(signed.mac).toEqual(q.tsig.record.mac);
  });

  it("verifies dig's query and named's response (chained to the query MAC)", () => {
    expect(verifyMessage(q.m, q.tsig, key, { now })).toMatchObject({ ok: true });
    const r = parse(response);
    expect(verifyMessage(r.m, r.tsig, key, { now, requestMac: q.tsig.record.mac })).toMatchObject({
      ok: true,
    });
  });

  it('rejects the response without the right request MAC', () => {
    const r = parse(response);
    expect(verifyMessage(r.m, r.tsig, key, { now })).toMatchObject({ ok: false, error: 'BADSIG' });
  });

  it('rejects a changed byte, a wrong secret, another key name and a far clock', () => {
    const tampered = Buffer.from(query, 'hex');
    const at = HEADER_BYTES + 1; // first letter of "www": names are signed as sent, case included
    tampered.writeUInt8(tampered.readUInt8(at) ^ 0x20, at);
    const t = decodeMessage(tampered);
    expect(verifyMessage(t, findTsig(t)!, key, { now })).toMatchObject({ ok: false, error: 'BADSIG' });

    const wrongSecret: TsigKey = { ...key, secret: Buffer.from('another secret').toString('base64') };
    expect(verifyMessage(q.m, q.tsig, wrongSecret, { now })).toMatchObject({ ok: false, error: 'BADSIG' });
    expect(verifyMessage(q.m, q.tsig, { ...key, name: 'other' }, { now })).toMatchObject({
      ok: false,
      error: 'BADKEY',
    });
    const late = now + 301_000;
    expect(verifyMessage(q.m, q.tsig, key, { now: late })).toMatchObject({ ok: false, error: 'BADTIME' });
    expect(verifyMessage(q.m, q.tsig, key, { now: now + 300_000 })).toMatchObject({ ok: true });
  });
});

describe('TSIG records', () => {
  const key: TsigKey = {
    name: 'Key.Example.',
    algorithm: 'hmac-sha256',
    secret: Buffer.alloc(32, 1).toString('base64'),
  };
  const bare = Buffer.from('123401000001000000000000037777770000010001', 'hex');

  it('round-trips a signed response carrying an error and other data, with a lower-cased key name', () => {
    const request = signMessage(bare, key, { now: 1_700_000_000_000 });
    const other = Buffer.from([0, 0, 0x65, 0x53, 0xf1, 0x00]);
    const signed = signMessage(bare, key, {
      now: 1_700_000_000_000,
      requestMac: request.mac,
      error: 18,
      other,
    });
    const m = decodeMessage(signed.message);
    const tsig = findTsig(m)!;
    expect(tsig.record).toMatchObject({
      keyName: 'key.example',
      algorithm: 'hmac-sha256',
      error: 18,
      originalId: 0x1234,
    });
    expect(tsig.record.other).toEqual(other);
    expect(verifyMessage(m, tsig, key, { now: 1_700_000_000_000, requestMac: request.mac })).toMatchObject({
      ok: true,
    });
  });

  it('verifies a message whose ID was changed in transit by using the original ID', () => {
    const signed = signMessage(bare, key, { now: 1_700_000_000_000 }).message;
    signed.writeUInt16BE(0x9999, 0);
    const m = decodeMessage(signed);
    expect(verifyMessage(m, findTsig(m)!, key, { now: 1_700_000_000_000 })).toMatchObject({ ok: true });
  });

  it('leaves the MAC empty when asked (BADSIG/BADKEY answers) and such a message does not verify', () => {
    const signed = signMessage(bare, key, { now: 1_700_000_000_000, unsigned: true, error: 16 });
    const m = decodeMessage(signed.message);
    const tsig = findTsig(m)!;
    expect(tsig.record.mac.length).toBe(0);
    expect(verifyMessage(m, tsig, key, { now: 1_700_000_000_000 })).toMatchObject({
      ok: false,
      error: 'BADSIG',
    });
  });

  it('refuses a secret that is not base64', () => {
    expect(() => signMessage(bare, { ...key, secret: 'not base64!' }, { now: 0 })).toThrow(
      /not valid base64/,
    );
  });
});

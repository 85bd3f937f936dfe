// The DNS client against a real BIND9 `named` on a loopback port: compare-and-swap updates, the
// server's errors by name, TSIG with each algorithm (named verifies our MACs, we verify its), the
// test record, and what `dig` sees afterwards.
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import {
  buildQuery,
  DnsError,
  exchange,
  queryAddress,
  testDnsRecord,
  updateAddress,
  type TsigKey,
  type UpdateAddressRequest,
} from '../packages/agent/src/dns';
import { decodeMessage } from '../packages/agent/src/dns/wire';
import { startBind, type BindServer } from './harness/bind';

const zone = 'example.test';
const secret = () => randomBytes(32).toString('base64');
const k256: TsigKey = { name: 'sparesync-key', algorithm: 'hmac-sha256', secret: secret() };
const k512: TsigKey = {
  name: 'k512.example.test',
  algorithm: 'hmac-sha512',
  secret: randomBytes(64).toString('base64'),
};
const k1: TsigKey = { name: 'k1', algorithm: 'hmac-sha1', secret: randomBytes(20).toString('base64') };
const readOnly: TsigKey = { name: 'no-update', algorithm: 'hmac-sha256', secret: secret() };

let bind: BindServer;

beforeAll(async () => {
  bind = await startBind({
    zone,
    keys: [k256, k512, k1, { ...readOnly, allowUpdate: false }],
    records: [
      'cas',
      'stale',
      'retry',
      'badsig',
      'badkey',
      'unsigned',
      'refused',
      'badtime',
      'sha512',
      'sha1',
    ].map((name) => ({ name, type: 'A', value: '192.0.2.1' })),
  });
});
afterAll(() => bind?.stop());

function request(name: string, over: Partial<UpdateAddressRequest> = {}): UpdateAddressRequest {
  return {
    server: { host: bind.host, port: bind.port },
    zone,
    name: `${name}.${zone}`,
    ttl: 60,
    expected: ['192.0.2.1'],
    newAddress: '192.0.2.2',
    key: k256,
    timeoutMs: 3000,
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<DnsError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof DnsError)) throw new Error(`expected a DnsError, got ${String(e)}`);
  return e;
}

it('switches the record when it holds the expected address; dig sees the new one with the TTL', async () => {
  await expect(updateAddress(request('cas'))).resolves.toEqual({
    name: `cas.${zone}`,
    type: 'A',
    address: '192.0.2.2',
    changed: true,
  });
  expect(await bind.dig(`cas.${zone}`)).toEqual(['192.0.2.2']);
  const answer = await queryAddress({ host: bind.host, port: bind.port }, `cas.${zone}`, 'A');
  expect(answer).toMatchObject({ rcode: 'NOERROR', addresses: ['192.0.2.2'], ttl: 60, authoritative: true });
});

it('refuses with NXRRSET when the record holds another address, and reports what it holds', async () => {
  const e = await failure(
    updateAddress(request('stale', { expected: ['192.0.2.9'], newAddress: '192.0.2.3' })),
  );
  expect(e).toMatchObject({
    dnsError: 'NXRRSET',
    code: 'DnsRecordConflict',
    retryable: false,
    current: ['192.0.2.1'],
  });
  expect(e.message).toMatch(
    /answered NXRRSET: the record holds 192\.0\.2\.1, not 192\.0\.2\.9; nothing was changed/,
  );
  expect(await bind.dig(`stale.${zone}`)).toEqual(['192.0.2.1']);
});

it('treats a repeated switch (answer lost, record already new) as done, without changing anything', async () => {
  await updateAddress(request('retry'));
  await expect(updateAddress(request('retry'))).resolves.toMatchObject({
    address: '192.0.2.2',
    changed: false,
  });
  // The other direction is a real conflict: the record is no longer the primary's.
  const back = await failure(
    updateAddress(request('retry', { expected: ['192.0.2.3'], newAddress: '192.0.2.1' })),
  );
  expect(back).toMatchObject({ dnsError: 'NXRRSET', current: ['192.0.2.2'] });
});

it('reports a wrong secret as NOTAUTH/BADSIG with a hint about dns.tsig', async () => {
  const e = await failure(updateAddress(request('badsig', { key: { ...k256, secret: secret() } })));
  expect(e).toMatchObject({ dnsError: 'BADSIG', code: 'DnsRejected', retryable: false });
  expect(e.message).toContain('answered NOTAUTH (TSIG error BADSIG)');
  expect(e.hint).toMatch(/dns\.tsig key name.*secret/);
  expect(await bind.dig(`badsig.${zone}`)).toEqual(['192.0.2.1']);
});

it('reports an unknown key name as BADKEY', async () => {
  const e = await failure(updateAddress(request('badkey', { key: { ...k256, name: 'nobody' } })));
  expect(e).toMatchObject({ dnsError: 'BADKEY' });
  expect(e.message).toContain('NOTAUTH (TSIG error BADKEY)');
});

it('reports REFUSED for an unsigned update and for a key the zone does not allow', async () => {
  const unsigned = await failure(updateAddress(request('unsigned', { key: undefined })));
  expect(unsigned).toMatchObject({ dnsError: 'REFUSED', code: 'DnsRejected' });
  const notAllowed = await failure(updateAddress(request('refused', { key: readOnly })));
  expect(notAllowed).toMatchObject({ dnsError: 'REFUSED' });
  expect(await bind.dig(`refused.${zone}`)).toEqual(['192.0.2.1']);
});

it('reports a clock an hour off as BADTIME', async () => {
  const e = await failure(updateAddress(request('badtime', { now: () => Date.now() - 3_600_000 })));
  expect(e).toMatchObject({ dnsError: 'BADTIME' });
  expect(e.hint).toMatch(/clock|NTP/);
});

it.each([
  ['sha512', k512],
  ['sha1', k1],
])('updates with an hmac-%s key', async (name, key) => {
  await expect(updateAddress(request(name, { key }))).resolves.toMatchObject({ changed: true });
  expect(await bind.dig(`${name}.${zone}`)).toEqual(['192.0.2.2']);
});

it('creates and switches an AAAA record (expected [] means "no record yet")', async () => {
  const created = request('v6', { expected: [], newAddress: '2001:DB8::1' });
  await expect(updateAddress(created)).resolves.toMatchObject({ type: 'AAAA', address: '2001:db8::1' });
  await expect(
    updateAddress({ ...created, expected: ['2001:db8::1'], newAddress: '2001:db8::2' }),
  ).resolves.toMatchObject({ changed: true });
  expect(await bind.dig(`v6.${zone}`, 'AAAA')).toEqual(['2001:db8::2']);
  const again = await failure(updateAddress({ ...created, newAddress: '2001:db8::3' }));
  expect(again).toMatchObject({ dnsError: 'YXRRSET', current: ['2001:db8::2'] });
});

it('adds, reads, deletes and re-reads the test record, reporting each step', async () => {
  const server = { host: bind.host, port: bind.port };
  const report = await testDnsRecord({ server, key: k256, zone, timeoutMs: 3000 });
  expect(report.name).toBe(`_sparesync-test.${zone}`);
  expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
    ['add', true],
    ['query-added', true],
    ['delete', true],
    ['query-deleted', true],
  ]);
  expect(report.ok).toBe(true);
  expect(await bind.dig(`_sparesync-test.${zone}`, 'TXT')).toEqual([]);

  const a = await testDnsRecord({
    server,
    key: k512,
    zone,
    timeoutMs: 3000,
    data: { type: 'A', address: '192.0.2.77' },
  });
  expect(a).toMatchObject({ ok: true, name: `sparesync-test.${zone}` });
  expect(a.steps[1]?.detail).toBe(`the server returns sparesync-test.${zone} A 192.0.2.77`);

  const bad = await testDnsRecord({ server, key: { ...k256, secret: secret() }, zone, timeoutMs: 3000 });
  expect(bad.ok).toBe(false);
  expect(bad.steps[0]).toMatchObject({ step: 'add', ok: false, error: { dnsError: 'BADSIG' } });
  expect(bad.steps.slice(1).every((s) => s.skipped)).toBe(true);
});

it('queries: NXDOMAIN for a missing name, and the same answer over TCP', async () => {
  const server = { host: bind.host, port: bind.port };
  await expect(queryAddress(server, `missing.${zone}`, 'A', { key: k256 })).resolves.toMatchObject({
    rcode: 'NXDOMAIN',
    addresses: [],
  });
  const reply = decodeMessage(
    await exchange(server, buildQuery(7, `ns1.${zone}`, 'A'), { timeoutMs: 3000, tcpOnly: true }),
  );
  expect(reply).toMatchObject({ id: 7, rcode: 0, aa: true });
  expect(reply.answers[0]?.rdata).toEqual(Buffer.from([127, 0, 0, 1]));
});

describe('without a server', () => {
  let silent: Socket;
  beforeAll(() => new Promise<void>((r) => (silent = createSocket('udp4')).bind(0, '127.0.0.1', () => r())));
  afterAll(() => silent.close());

  it('reports TIMEOUT when nothing answers in time', async () => {
    const port = silent.address().port;
    const started = Date.now();
    const e = await failure(
      updateAddress(request('cas', { server: { host: '127.0.0.1', port }, timeoutMs: 300 })),
    );
    expect(e).toMatchObject({ dnsError: 'TIMEOUT', code: 'DnsUnavailable', retryable: true });
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

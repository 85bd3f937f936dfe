// The embedded DNS server, driven by independent clients (BIND's dig and nsupdate) and by our own
// updateAddress: answers over UDP and TCP, TSIG-only updates, errors by name, and a zone that
// survives a restart.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DnsError,
  startEmbeddedDns,
  testDnsRecord,
  updateAddress,
  type EmbeddedDns,
  type TsigKey,
  type UpdateAddressRequest,
} from '../packages/agent/src/dns';
import { DIG } from './harness/bind';

const run = promisify(execFile);
const zone = 'pair.test';
const key: TsigKey = {
  name: 'sparesync',
  algorithm: 'hmac-sha256',
  secret: randomBytes(32).toString('base64'),
};

let dir: string;
let server: EmbeddedDns;
const zoneFile = () => join(dir, 'zone.json');

async function start(): Promise<EmbeddedDns> {
  return startEmbeddedDns({
    zone: {
      origin: zone,
      nameServerAddress: '127.0.0.1',
      records: [{ name: `www.${zone}`, ttl: 60, data: { type: 'A', address: '192.0.2.1' } }],
    },
    zoneFile: zoneFile(),
    listen: { host: '127.0.0.1', port: 0 },
    keys: [key],
  });
}

async function dig(...args: string[]): Promise<string> {
  const { stdout } = await run(DIG, [
    '@127.0.0.1',
    '-p',
    String(server.port),
    '+time=2',
    '+tries=1',
    ...args,
  ]);
  return stdout;
}

const short = async (...args: string[]) => (await dig('+short', ...args)).trim().split('\n').filter(Boolean);

function request(over: Partial<UpdateAddressRequest> = {}): UpdateAddressRequest {
  return {
    server: { host: '127.0.0.1', port: server.port },
    zone,
    name: `www.${zone}`,
    ttl: 30,
    expected: ['192.0.2.1'],
    newAddress: '192.0.2.2',
    key,
    timeoutMs: 2000,
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sparesync-embedded-dns-'));
  server = await start();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('answers dig over UDP and TCP, with NXDOMAIN and the SOA for missing names', async () => {
  expect(await short(`www.${zone}`)).toEqual(['192.0.2.1']);
  expect(await short('+tcp', `www.${zone}`)).toEqual(['192.0.2.1']);
  expect(await short(zone, 'NS')).toEqual([`ns1.${zone}.`]);
  expect(await short(`ns1.${zone}`)).toEqual(['127.0.0.1']);
  const missing = await dig(`nothing.${zone}`);
  expect(missing).toMatch(/status: NXDOMAIN/);
  expect(missing).toMatch(/flags: qr aa/);
  expect(missing).toMatch(
    new RegExp(`${zone}\\.\\s+60\\s+IN\\s+SOA\\s+ns1\\.${zone}\\. hostmaster\\.${zone}\\. 1 `),
  );
  expect(await dig('example.org')).toMatch(/status: REFUSED/);
});

it('signs its answers to a signed dig query, and dig verifies them', async () => {
  const out = await dig('-y', `hmac-sha256:${key.name}:${key.secret}`, `www.${zone}`);
  if (process.env.SHOW_DIG) console.log(out);
  expect(out).toMatch(/status: NOERROR/);
  expect(out).toMatch(/TSIG PSEUDOSECTION/);
  expect(out).not.toMatch(/tsig verify failure|expected a TSIG/i);
});

it('refuses unsigned updates and names TSIG failures', async () => {
  expect(await failure(updateAddress(request({ key: undefined })))).toMatchObject({ dnsError: 'REFUSED' });
  const badSecret = { ...key, secret: randomBytes(32).toString('base64') };
  expect(await failure(updateAddress(request({ key: badSecret })))).toMatchObject({ dnsError: 'BADSIG' });
  expect(await failure(updateAddress(request({ key: { ...key, name: 'other' } })))).toMatchObject({
    dnsError: 'BADKEY',
  });
  const late = await failure(updateAddress(request({ now: () => Date.now() - 3_600_000 })));
  expect(late).toMatchObject({ dnsError: 'BADTIME' });
  expect(await short(`www.${zone}`)).toEqual(['192.0.2.1']);
});

it('switches with our compare-and-swap, reports NXRRSET with the current value, and bumps the serial', async () => {
  const serialBefore = (await short(zone, 'SOA'))[0]!.split(' ')[2];
  await expect(updateAddress(request())).resolves.toMatchObject({ changed: true });
  expect(await short(`www.${zone}`)).toEqual(['192.0.2.2']);
  expect(await dig(`www.${zone}`)).toMatch(
    new RegExp(`www\\.${zone}\\.\\s+30\\s+IN\\s+A\\s+192\\.0\\.2\\.2`),
  );
  const serialAfter = (await short(zone, 'SOA'))[0]!.split(' ')[2];
  expect(Number(serialAfter)).toBe(Number(serialBefore) + 1);

  const stale = await failure(updateAddress(request({ expected: ['192.0.2.9'], newAddress: '192.0.2.3' })));
  expect(stale).toMatchObject({ dnsError: 'NXRRSET', current: ['192.0.2.2'] });
  await expect(updateAddress(request())).resolves.toMatchObject({ changed: false });
});

it("accepts BIND's nsupdate, signed with the key", async () => {
  const script = [
    `server 127.0.0.1 ${server.port}`,
    `zone ${zone}`,
    `prereq nxrrset mail.${zone} A`,
    `update add mail.${zone} 120 A 192.0.2.25`,
    `update add _info.${zone} 120 TXT "made by nsupdate"`,
    'send',
    '',
  ].join('\n');
  await new Promise<void>((resolve, reject) => {
    const child = execFile('nsupdate', ['-y', `hmac-sha256:${key.name}:${key.secret}`, '-t', '3'], (err) =>
      err ? reject(err) : resolve(),
    );
    child.stdin!.end(script);
  });
  expect(await short(`mail.${zone}`)).toEqual(['192.0.2.25']);
  expect(await short(`_info.${zone}`, 'TXT')).toEqual(['"made by nsupdate"']);
});

it('runs the test record steps', async () => {
  const report = await testDnsRecord({
    server: { host: '127.0.0.1', port: server.port },
    key,
    zone,
    timeoutMs: 2000,
  });
  expect(report.steps.map((s) => `${s.step}:${s.ok}`)).toEqual([
    'add:true',
    'query-added:true',
    'delete:true',
    'query-deleted:true',
  ]);
});

it('keeps the zone across a restart, in a 0600 JSON file', async () => {
  await server.close();
  const saved = JSON.parse(readFileSync(zoneFile(), 'utf8')) as {
    origin: string;
    records: { name: string }[];
  };
  expect(saved.origin).toBe(zone);
  expect(statSync(zoneFile()).mode & 0o777).toBe(0o600);
  expect(saved.records.map((r) => r.name)).toContain(`mail.${zone}`);
  server = await start();
  expect(await short(`www.${zone}`)).toEqual(['192.0.2.2']);
  expect(await short(`mail.${zone}`)).toEqual(['192.0.2.25']);
});

it('refuses to start on a zone file that is not a zone, naming the file', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"version": 1, "origin": "other.test", "records": []}');
  await expect(
    startEmbeddedDns({
      zone: { origin: zone },
      zoneFile: bad,
      listen: { host: '127.0.0.1', port: 0 },
      keys: [key],
    }),
  ).rejects.toThrow(
    `embedded DNS zone file ${bad} (dns.embedded.zoneFile) is not valid: it holds zone "other.test"`,
  );
});

it('answers SERVFAIL and keeps the old zone when the update cannot be saved', async () => {
  // A folder where the zone file was makes the atomic rename fail (even for root).
  rmSync(zoneFile());
  mkdirSync(zoneFile());
  const e = await failure(updateAddress(request({ expected: ['192.0.2.2'], newAddress: '192.0.2.4' })));
  expect(e).toMatchObject({ dnsError: 'SERVFAIL', code: 'DnsUnavailable', retryable: true });
  expect(await short(`www.${zone}`)).toEqual(['192.0.2.2']);
  rmSync(zoneFile(), { recursive: true });
  await expect(
    updateAddress(request({ expected: ['192.0.2.2'], newAddress: '192.0.2.4' })),
  ).resolves.toMatchObject({
    changed: true,
  });
});

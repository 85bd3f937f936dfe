import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { switchRequest } from './pair';
import { dnsSettingsProblems, dnsTargetFromSettings, readTsigSecret, type DnsSettings } from './settings';

const base: DnsSettings = {
  enabled: true,
  server: { host: '192.0.2.53', port: 53 },
  zone: 'example.com',
  recordName: 'www.example.com',
  ttl: 60,
  tsig: { keyName: 'sparesync', algorithm: 'hmac-sha512', secretFile: 'tsig.secret' },
  primaryAddress: '192.0.2.1',
  secondaryAddress: '198.51.100.1',
  timeoutSeconds: 2.5,
  embedded: {
    enabled: false,
    listen: { host: '0.0.0.0', port: 53 },
    zoneFile: 'dns-zone.json',
    nameServers: [],
    nameServerAddress: '',
  },
};

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sparesync-dns-settings-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(text: string, mode = 0o600): string {
  const file = join(dir, 'tsig.secret');
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

describe('dnsSettingsProblems', () => {
  it('has nothing to say about complete settings, or when DNS is off', () => {
    expect(dnsSettingsProblems(base)).toEqual([]);
    expect(dnsSettingsProblems({ ...base, enabled: false, zone: '' })).toEqual([]);
  });

  it('names each setting at fault', () => {
    const problems = dnsSettingsProblems({
      ...base,
      zone: 'example.com',
      recordName: 'www.example.org',
      primaryAddress: '192.0.2.1',
      secondaryAddress: '2001:db8::1',
      tsig: { ...base.tsig, keyName: '', secretFile: '' },
    });
    expect(problems.map((p) => p.path)).toEqual([
      '/dns/recordName',
      '/dns/secondaryAddress',
      '/dns/tsig/keyName',
      '/dns/tsig/secretFile',
    ]);
    expect(problems[0]?.message).toBe('expected a name inside dns.zone (example.com)');
    expect(problems[1]?.message).toMatch(/same address family/);
  });

  it('refuses the same address twice, however written, and names that are not names', () => {
    const same = dnsSettingsProblems({
      ...base,
      primaryAddress: '2001:db8::1',
      secondaryAddress: '2001:DB8:0::1',
    });
    expect(same.map((p) => p.message)).toEqual(['expected an address different from dns.primaryAddress']);
    const bad = dnsSettingsProblems({ ...base, zone: 'exa mple.com', primaryAddress: 'primary' });
    expect(bad.map((p) => p.path)).toEqual(['/dns/zone', '/dns/primaryAddress']);
  });

  it('checks the same things when only the embedded server is on', () => {
    const embeddedOnly = { ...base, enabled: false, embedded: { ...base.embedded, enabled: true } };
    expect(dnsSettingsProblems({ ...embeddedOnly, zone: '' }).map((p) => p.path)).toEqual(['/dns/zone']);
  });
});

describe('TSIG secret file', () => {
  it('reads the trimmed base64 secret from a 0600 file', () => {
    expect(readTsigSecret(secretFile('c2VjcmV0c2VjcmV0\n'))).toBe('c2VjcmV0c2VjcmV0');
  });

  it('refuses a file others may read, naming the file and the fix', () => {
    const file = secretFile('c2VjcmV0c2VjcmV0', 0o644);
    expect(() => readTsigSecret(file)).toThrow(
      `TSIG secret file ${file} (dns.tsig.secretFile) may be read by other users (mode 644)`,
    );
    try {
      readTsigSecret(file);
    } catch (e) {
      expect(e).toMatchObject({ code: 'ConfigInvalid', hint: `Run: chmod 600 ${file}` });
    }
  });

  it('refuses a missing file and one that is not base64, without echoing its content', () => {
    expect(() => readTsigSecret(join(dir, 'none'))).toThrow(
      /cannot read TSIG secret file .*none \(dns\.tsig\.secretFile\)/,
    );
    const file = secretFile('hunter2 is my password');
    expect(() => readTsigSecret(file)).toThrow(/does not hold a base64 secret/);
    expect(() => readTsigSecret(file)).not.toThrow(/hunter2/);
  });
});

describe('dnsTargetFromSettings', () => {
  it('resolves the secret file and builds the switch compare-and-swap', () => {
    secretFile('c2VjcmV0c2VjcmV0');
    const target = dnsTargetFromSettings({ ...base, zone: 'Example.COM.' }, (p) => join(dir, p));
    expect(target).toMatchObject({
      zone: 'example.com',
      name: 'www.example.com',
      timeoutMs: 2500,
      key: { name: 'sparesync', algorithm: 'hmac-sha512', secret: 'c2VjcmV0c2VjcmV0' },
    });
    expect(switchRequest(target, 'primary', 'secondary')).toMatchObject({
      expected: ['192.0.2.1'],
      newAddress: '198.51.100.1',
      ttl: 60,
    });
    expect(switchRequest(target, 'secondary', 'primary')).toMatchObject({
      expected: ['198.51.100.1'],
      newAddress: '192.0.2.1',
    });
  });

  it('lists every problem in one ConfigInvalid error', () => {
    expect(() =>
      dnsTargetFromSettings({ ...base, enabled: false, zone: '', primaryAddress: 'x' }, (p) => p),
    ).toThrow(
      /DNS settings are not usable:\n {2}\/dns\/zone = "": expected a DNS zone name.*\n.*\/dns\/primaryAddress = "x"/,
    );
  });
});

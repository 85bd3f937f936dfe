// createPairCertificates on real files, checked with node:crypto (not with the forge that made them).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { parseEndpoint } from './endpoint';
import { certificateFingerprint, certificateKind } from './fingerprint';
import { createPairCertificates, type PairFiles } from './pair';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY = 86_400_000;

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sparesync-certs-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const x509 = (file: string) => new X509Certificate(readFileSync(file));
const mode = (file: string) => statSync(file).mode & 0o777;
const endpoints = {
  primary: parseEndpoint('web1,10.0.0.5,web1.example.com,::1'),
  secondary: parseEndpoint('web2,127.0.0.1,localhost'),
};

describe('createPairCertificates (default key size)', () => {
  let dir: string;
  let r: PairFiles;
  beforeAll(async () => {
    // A folder that does not exist yet, two levels down: created 0700.
    dir = join(tempDir(), 'pair', 'certs');
    r = await createPairCertificates({ dir, ...endpoints });
  });

  it('writes exactly the seven files, keys 0600 and certificates 0644, in a 0700 folder', () => {
    expect(readdirSync(dir).sort()).toEqual(
      ['ca.crt', 'ca.key', 'pair.key', 'primary.crt', 'primary.key', 'secondary.crt', 'secondary.key'].sort(),
    );
    expect(mode(dir)).toBe(0o700);
    for (const f of [r.caKey, r.primaryKey, r.secondaryKey, r.pairKey]) expect(mode(f)).toBe(0o600);
    for (const f of [r.caCert, r.primaryCert, r.secondaryCert]) expect(mode(f) & 0o600).toBe(0o600);
    expect(r.primaryCert).toBe(join(dir, 'primary.crt'));
  });

  it('makes a 3072-bit RSA CA with basicConstraints cA and keyCertSign/cRLSign', () => {
    const ca = x509(r.caCert);
    expect(ca.ca).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(ca.subject).toBe('O=SpareSync pair\nOU=ca\nCN=SpareSync CA web1/web2');
    // node:crypto does not expose keyUsage bits; read them back with forge's parser.
    const parsed = forge.pki.certificateFromPem(readFileSync(r.caCert, 'utf8'));
    expect(parsed.getExtension('keyUsage')).toMatchObject({
      critical: true,
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: false,
    });
    expect(parsed.getExtension('basicConstraints')).toMatchObject({
      critical: true,
      cA: true,
      pathLenConstraint: 0,
    });
    expect(new Date(ca.validTo).getTime()).toBeGreaterThan(Date.now() + 3650 * DAY);
  });

  it('names each agent in CN, O, OU and its SAN, for TLS server and client use', () => {
    const p = x509(r.primaryCert);
    expect(p.subject).toBe('O=SpareSync pair\nOU=agent:primary\nCN=web1');
    expect(p.subjectAltName).toBe(
      'DNS:web1, DNS:web1.example.com, IP Address:10.0.0.5, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(p.keyUsage?.sort()).toEqual([SERVER_AUTH, CLIENT_AUTH]);
    expect(p.ca).toBe(false);
    const s = x509(r.secondaryCert);
    expect(s.subject).toBe('O=SpareSync pair\nOU=agent:secondary\nCN=web2');
    expect(s.subjectAltName).toBe('DNS:web2, DNS:localhost, IP Address:127.0.0.1');
    expect(s.checkHost('localhost')).toBe('localhost');
    expect(s.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificateKind(readFileSync(r.primaryCert, 'utf8'))).toEqual({ kind: 'agent', role: 'primary' });
    expect(certificateKind(s.raw)).toEqual({ kind: 'agent', role: 'secondary' });
    expect(certificateKind(readFileSync(r.caCert))).toEqual({ kind: 'unknown', role: '' });
  });

  it('signs the agents with the CA, each holding its own key, with distinct random 16-byte serials', () => {
    const ca = x509(r.caCert);
    const serials = new Set([ca.serialNumber]);
    for (const [cert, key] of [
      [r.primaryCert, r.primaryKey],
      [r.secondaryCert, r.secondaryKey],
    ] as const) {
      const leaf = x509(cert);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.verify(leaf.publicKey)).toBe(false);
      expect(leaf.checkPrivateKey(createPrivateKey(readFileSync(key)))).toBe(true);
      expect(leaf.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
      serials.add(leaf.serialNumber);
    }
    expect(serials.size).toBe(3);
    expect(x509(r.primaryCert).checkPrivateKey(createPrivateKey(readFileSync(r.secondaryKey)))).toBe(false);
  });

  it('is valid from before now (clock skew) for five years', () => {
    const p = x509(r.primaryCert);
    expect(new Date(p.validFrom).getTime()).toBeLessThan(Date.now() - 30 * 60_000);
    const years = (new Date(p.validTo).getTime() - Date.now()) / (365.25 * DAY);
    expect(years).toBeGreaterThan(4.99);
    expect(years).toBeLessThan(5.01);
    expect(Math.abs(Date.parse(r.notAfter.agents) - Date.parse(p.validTo))).toBeLessThan(1000);
  });

  it('reports the fingerprints peers pin, in the format of X509Certificate.fingerprint256', () => {
    expect(r.fingerprints).toEqual({
      primary: x509(r.primaryCert).fingerprint256,
      secondary: x509(r.secondaryCert).fingerprint256,
      ca: x509(r.caCert).fingerprint256,
    });
    expect(r.fingerprints.primary).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(certificateFingerprint(readFileSync(r.primaryCert, 'utf8'))).toBe(r.fingerprints.primary);
  });

  it('writes a pair key of 32 random bytes as base64 text', () => {
    const text = readFileSync(r.pairKey, 'utf8');
    expect(text).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(Buffer.from(text.trim(), 'base64')).toHaveLength(32);
  });
});

describe('createPairCertificates on existing files', () => {
  const make = (dir: string, force?: boolean) =>
    createPairCertificates({ dir, ...endpoints, force, keyBits: 2048 });

  it('refuses to overwrite, naming the file, and writes nothing at all', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pair.key'), 'keep me\n', { mode: 0o600 });
    await expect(make(dir)).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: `${join(dir, 'pair.key')} already exists; refusing to overwrite it`,
    });
    expect(readdirSync(dir)).toEqual(['pair.key']);
    expect(readFileSync(join(dir, 'pair.key'), 'utf8')).toBe('keep me\n');
  });

  it('replaces every file with force, keys back at 0600 even if they had been loosened', async () => {
    const dir = tempDir();
    const first = await make(dir);
    await expect(make(dir)).rejects.toThrow(`${first.caCert} already exists (and 6 more`);
    chmodSync(first.primaryKey, 0o644);
    const second = await make(dir, true);
    expect(second.fingerprints.primary).not.toBe(first.fingerprints.primary);
    expect(second.fingerprints.ca).not.toBe(first.fingerprints.ca);
    expect(mode(second.primaryKey)).toBe(0o600);
    expect(x509(second.primaryCert).checkIssued(x509(second.caCert))).toBe(true);
    expect(readdirSync(dir)).toHaveLength(7);
  });

  it('honours validDays for the agents and keeps the CA at least as long', async () => {
    const short = await createPairCertificates({
      dir: tempDir(),
      ...endpoints,
      validDays: 30,
      keyBits: 2048,
    });
    expect(new Date(x509(short.primaryCert).validTo).getTime()).toBeLessThan(Date.now() + 31 * DAY);
    expect(new Date(x509(short.caCert).validTo).getTime()).toBeGreaterThan(Date.now() + 3650 * DAY);
    const long = await createPairCertificates({
      dir: tempDir(),
      ...endpoints,
      validDays: 5000,
      keyBits: 2048,
    });
    expect(long.notAfter.ca >= long.notAfter.agents).toBe(true);
  });

  it('rejects bad options before writing anything', async () => {
    const dir = join(tempDir(), 'never');
    await expect(createPairCertificates({ dir, ...endpoints, validDays: 0 })).rejects.toThrow('validDays');
    await expect(createPairCertificates({ dir, ...endpoints, keyBits: 1024 as 2048 })).rejects.toThrow(
      'key size 1024',
    );
    await expect(
      createPairCertificates({
        dir,
        primary: { name: 'a b', ips: [], dnsNames: [] },
        secondary: endpoints.secondary,
      }),
    ).rejects.toThrow('primary: "a b"');
    expect(() => statSync(dir)).toThrow();
  });
});

// The readers the agent uses for tls.ca/tls.cert/tls.key/pairKeyFile, and the fingerprint helpers.
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCertificate, readPairKey, readPem, readPrivateKey } from './files';
import {
  certificateFingerprint,
  certificateKind,
  generatePairKey,
  normalizeFingerprint,
} from './fingerprint';
import { createPairCertificates, type PairFiles } from './pair';

let root: string;
let pair: PairFiles;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sparesync-read-'));
  const endpoint = (name: string) => ({ name, ips: [], dnsNames: [] });
  pair = await createPairCertificates({
    dir: join(root, 'pair'),
    primary: endpoint('a'),
    secondary: endpoint('b'),
    keyBits: 2048,
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readPem and friends', () => {
  it('read what certs init wrote, keys flagged secure', () => {
    const key = readPrivateKey(pair.primaryKey, 'tls.key');
    expect(key).toMatchObject({ path: pair.primaryKey, insecureMode: false });
    expect(key.key.asymmetricKeyType).toBe('rsa');
    expect(readCertificate(pair.primaryCert, 'tls.cert').fingerprint).toBe(pair.fingerprints.primary);
    expect(readPem(pair.caCert, 'tls.ca').text).toContain('-----BEGIN CERTIFICATE-----');
    expect(readPairKey(pair.pairKey)).toMatchObject({ path: pair.pairKey, insecureMode: false });
    expect(readPairKey(pair.pairKey).key.toString()).toBe(readFileSync(pair.pairKey, 'utf8').trim());
  });

  it('flag a key file that group or others can read', () => {
    const loose = join(root, 'loose.key');
    writeFileSync(loose, readFileSync(pair.primaryKey));
    chmodSync(loose, 0o640);
    expect(readPrivateKey(loose, 'tls.key').insecureMode).toBe(true);
    chmodSync(loose, 0o604);
    expect(readPem(loose, 'tls.key').insecureMode).toBe(true);
    chmodSync(loose, 0o600);
    expect(readPem(loose, 'tls.key').insecureMode).toBe(false);
  });

  it('name the setting and the file when the file is missing or not what the setting needs', () => {
    const missing = join(root, 'nope.crt');
    expect(() => readPem(missing, 'tls.cert')).toThrow(
      expect.objectContaining({
        code: 'CertUnreadable',
        message: expect.stringMatching(new RegExp(`^cannot read tls\\.cert \\(${missing}\\): ENOENT`)),
      }),
    );
    const text = join(root, 'text.pem');
    writeFileSync(text, 'hello\n');
    expect(() => readPem(text, 'tls.ca')).toThrow(`tls.ca (${text}) is not a PEM file`);
    expect(() => readCertificate(pair.primaryKey, 'tls.cert')).toThrow(
      expect.objectContaining({
        code: 'CertInvalid',
        message: expect.stringContaining(`tls.cert (${pair.primaryKey})`),
      }),
    );
    expect(() => readPrivateKey(pair.primaryCert, 'tls.key')).toThrow(
      expect.objectContaining({
        code: 'CertInvalid',
        message: expect.stringContaining('not an unencrypted private key'),
      }),
    );
    writeFileSync(text, ' short \n');
    expect(() => readPairKey(text)).toThrow(`pairKeyFile (${text}) holds no usable key`);
    expect(() => readPairKey(missing, 'pairKeyFile')).toThrow(
      expect.objectContaining({ code: 'CertUnreadable' }),
    );
  });
});

describe('fingerprints', () => {
  it('certificateFingerprint equals X509Certificate.fingerprint256 for PEM and DER', () => {
    const pem = readFileSync(pair.secondaryCert, 'utf8');
    const x = new X509Certificate(pem);
    expect(certificateFingerprint(pem)).toBe(x.fingerprint256);
    expect(certificateFingerprint(x.raw)).toBe(x.fingerprint256);
    expect(() => certificateFingerprint('junk', 'peer cert')).toThrow(
      expect.objectContaining({
        code: 'CertInvalid',
        message: expect.stringContaining('peer cert is not an X.509'),
      }),
    );
  });

  it('normalizeFingerprint accepts colons or none, any case, and rejects anything else', () => {
    const canonical = pair.fingerprints.primary;
    const bare = canonical.replace(/:/g, '');
    expect(normalizeFingerprint(canonical)).toBe(canonical);
    expect(normalizeFingerprint(bare.toLowerCase())).toBe(canonical);
    expect(normalizeFingerprint(` ${canonical.toLowerCase()}\n`)).toBe(canonical);
    for (const bad of ['', 'AB:CD', bare + 'AB', bare.slice(2) + 'ZZ']) {
      expect(() => normalizeFingerprint(bad)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
    }
  });

  it('certificateKind is unknown for a certificate without a SpareSync OU', () => {
    expect(certificateKind(readFileSync(pair.caCert))).toEqual({ kind: 'unknown', role: '' });
  });

  it('generatePairKey gives 32 fresh random bytes as base64', () => {
    const a = generatePairKey();
    expect(Buffer.from(a, 'base64')).toHaveLength(32);
    expect(Buffer.from(a, 'base64').toString('base64')).toBe(a);
    expect(generatePairKey()).not.toBe(a);
  });
});

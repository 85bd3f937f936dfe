// issueClientCertificate against a pair made by createPairCertificates, on real files.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateKind } from './fingerprint';
import { issueClientCertificate } from './client';
import { createPairCertificates, type PairFiles } from './pair';

const endpoint = (name: string) => ({ name, ips: ['127.0.0.1'], dnsNames: [] });
const x509 = (file: string) => new X509Certificate(readFileSync(file));
let root: string;
let pair: PairFiles;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sparesync-client-'));
  pair = await createPairCertificates({
    dir: join(root, 'pair'),
    primary: endpoint('a'),
    secondary: endpoint('b'),
    keyBits: 2048,
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('issueClientCertificate', () => {
  it('writes client-NAME.crt/.key (key 0600) signed by the pair CA, for client authentication only', async () => {
    const r = await issueClientCertificate({
      dir: pair.dir,
      name: 'ops-1.example',
      role: 'operator',
      keyBits: 2048,
    });
    expect(r.cert).toBe(join(pair.dir, 'client-ops-1.example.crt'));
    expect(r.key).toBe(join(pair.dir, 'client-ops-1.example.key'));
    expect(statSync(r.key).mode & 0o777).toBe(0o600);
    const cert = x509(r.cert);
    expect(cert.subject).toBe('O=SpareSync pair\nOU=client:operator\nCN=ops-1.example');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.subjectAltName).toBeUndefined();
    expect(cert.checkIssued(x509(pair.caCert))).toBe(true);
    expect(cert.verify(x509(pair.caCert).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(r.key)))).toBe(true);
    expect(r.fingerprint).toBe(cert.fingerprint256);
    expect(certificateKind(cert.raw)).toEqual({ kind: 'client', role: 'operator' });
    expect(r.role).toBe('operator');
  });

  it('defaults to the readonly role', async () => {
    const r = await issueClientCertificate({ dir: pair.dir, name: 'monitor', keyBits: 2048 });
    expect(certificateKind(readFileSync(r.cert))).toEqual({ kind: 'client', role: 'readonly' });
  });

  it('refuses to overwrite a client unless forced', async () => {
    const first = await issueClientCertificate({ dir: pair.dir, name: 'twice', keyBits: 2048 });
    await expect(issueClientCertificate({ dir: pair.dir, name: 'twice' })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining(`${first.cert} already exists`),
    });
    const second = await issueClientCertificate({ dir: pair.dir, name: 'twice', force: true, keyBits: 2048 });
    expect(second.fingerprint).not.toBe(first.fingerprint);
  });

  it('never outlives the CA', async () => {
    const r = await issueClientCertificate({ dir: pair.dir, name: 'long', validDays: 36_500, keyBits: 2048 });
    expect(r.notAfter).toBe(new Date(x509(pair.caCert).validTo).toISOString());
  });

  it.each(['../x', 'a/b', '', '..', 'sp ace', 'x'.repeat(65)])('rejects the name %j', async (name) => {
    await expect(issueClientCertificate({ dir: pair.dir, name })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining(`client name "${name}"`),
    });
  });

  it('rejects an unknown role', async () => {
    await expect(
      issueClientCertificate({ dir: pair.dir, name: 'x', role: 'admin' as 'operator' }),
    ).rejects.toThrow('role "admin": expected one of operator, readonly');
  });

  it('names the CA file it cannot use', async () => {
    const empty = join(root, 'empty');
    await expect(issueClientCertificate({ dir: empty, name: 'x' })).rejects.toMatchObject({
      code: 'CertUnreadable',
      message: expect.stringContaining(join(empty, 'ca.crt')),
    });
    expect(() => statSync(empty)).toThrow();

    const mixed = join(root, 'mixed');
    rmSync(mixed, { recursive: true, force: true });
    mkdirSync(mixed);
    copyFileSync(pair.caCert, join(mixed, 'ca.crt'));
    copyFileSync(pair.primaryKey, join(mixed, 'ca.key'));
    await expect(issueClientCertificate({ dir: mixed, name: 'x' })).rejects.toMatchObject({
      code: 'CertInvalid',
      message: `${join(mixed, 'ca.key')} is not the key of ${join(mixed, 'ca.crt')}`,
    });
    // A leaf certificate with its own key is not a CA.
    copyFileSync(pair.primaryCert, join(mixed, 'ca.crt'));
    await expect(issueClientCertificate({ dir: mixed, name: 'x' })).rejects.toThrow(
      'is not a CA certificate',
    );
    writeFileSync(join(mixed, 'ca.key'), 'not a key');
    await expect(issueClientCertificate({ dir: mixed, name: 'x' })).rejects.toMatchObject({
      code: 'CertInvalid',
    });
    expect(readdirSync(mixed).sort()).toEqual(['ca.crt', 'ca.key']);
  });
});

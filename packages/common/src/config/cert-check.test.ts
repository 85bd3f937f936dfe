// certificateProblems on real certificates made by createPairCertificates: a matching set passes;
// a key of another certificate, a certificate of another CA and a file that is not PEM are each
// one problem that names the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEndpoint } from '../certs/endpoint';
import { createPairCertificates, type PairFiles } from '../certs/pair';
import { certificateProblems } from './cert-check';

let dir: string;
let mine: PairFiles;
let other: PairFiles;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sparesync-cert-check-'));
  const endpoints = { primary: parseEndpoint('web1,127.0.0.1'), secondary: parseEndpoint('web2,127.0.0.1') };
  [mine, other] = await Promise.all([
    createPairCertificates({ dir: join(dir, 'mine'), keyBits: 2048, ...endpoints }),
    createPairCertificates({ dir: join(dir, 'other'), keyBits: 2048, ...endpoints }),
  ]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = () => join(dir, 'sparesync.json');
const doc = (tls: { ca: string; cert: string; key: string }, control?: object) => ({ tls, control });

describe('certificateProblems', () => {
  it('finds nothing when the key, the certificate and the CA fit', () => {
    const tls = { ca: mine.caCert, cert: mine.primaryCert, key: mine.primaryKey };
    expect(certificateProblems(doc(tls), settings())).toEqual([]);
  });

  it('names the key file that belongs to another certificate', () => {
    const tls = { ca: mine.caCert, cert: mine.primaryCert, key: mine.secondaryKey };
    const problems = certificateProblems(doc(tls), settings());
    expect(problems).toEqual([expect.objectContaining({ path: '/tls/key', value: mine.secondaryKey })]);
    expect(problems[0]!.message).toContain(mine.secondaryKey);
    expect(problems[0]!.message).toContain(mine.primaryCert);
  });

  it('names the certificate the pair CA did not sign', () => {
    const tls = { ca: mine.caCert, cert: other.primaryCert, key: other.primaryKey };
    const problems = certificateProblems(doc(tls), settings());
    expect(problems).toEqual([expect.objectContaining({ path: '/tls/cert' })]);
    expect(problems[0]!.message).toContain(other.primaryCert);
    expect(problems[0]!.message).toContain('tls.ca');
  });

  it('checks control.cert against control.key, or tls.key when control.key is unset', () => {
    const tls = { ca: mine.caCert, cert: mine.primaryCert, key: mine.primaryKey };
    expect(certificateProblems(doc(tls, { cert: mine.secondaryCert }), settings())).toEqual([
      expect.objectContaining({ path: '/tls/key' }),
    ]);
    expect(
      certificateProblems(doc(tls, { cert: mine.secondaryCert, key: mine.secondaryKey }), settings()),
    ).toEqual([]);
  });

  it('says which file is not PEM, and skips files that do not exist', () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    const tls = { ca: mine.caCert, cert: junk, key: join(dir, 'missing.key') };
    const problems = certificateProblems(doc(tls), settings());
    expect(problems).toEqual([expect.objectContaining({ path: '/tls/cert', value: junk })]);
    expect(problems[0]!.message).toContain(`${junk} is not one`);
  });
});

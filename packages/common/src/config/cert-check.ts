// The certificates the settings name must fit together before the agent can use them: each key
// belongs to its certificate, and the pair CA (tls.ca) signed the agent's and the control client's
// certificate. TLS would otherwise fail later with OpenSSL's text, naming no file. Files that are
// missing or unreadable are skipped: pathSettingProblems reports missing ones, and the CLI may run
// as another user than the agent (the agent reads them itself at start).
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { stringAt } from './files-check';
import type { SettingsProblem } from './validate';

type Read<T> = { ok: true; value: T } | { ok: false; problem?: SettingsProblem };

function readAs<T>(doc: unknown, dir: string, path: string, what: string, parse: (b: Buffer) => T): Read<T> {
  const value = stringAt(doc, path);
  if (value === undefined) return { ok: false };
  const abs = resolve(dir, value);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch {
    return { ok: false };
  }
  try {
    return { ok: true, value: parse(bytes) };
  } catch {
    // OpenSSL's own text ("error:0480006C:PEM routines::no start line") helps nobody here.
    return { ok: false, problem: { path, value, message: `expected ${what}, but ${abs} is not one` } };
  }
}

/** Problems of the certificate/key pairs of tls.* and control.*; none when the files fit. */
export function certificateProblems(doc: unknown, settingsFile: string): SettingsProblem[] {
  const dir = dirname(resolve(settingsFile));
  const problems: SettingsProblem[] = [];
  const cert = (path: string) => readAs(doc, dir, path, 'a PEM certificate', (b) => new X509Certificate(b));
  const key = (path: string) =>
    readAs<KeyObject>(doc, dir, path, 'a PEM private key', (b) => createPrivateKey(b));
  const ca = cert('/tls/ca');
  if (!ca.ok && ca.problem) problems.push(ca.problem);
  const pairs: [string, string][] = [['/tls/cert', '/tls/key']];
  if (stringAt(doc, '/control/cert'))
    pairs.push(['/control/cert', stringAt(doc, '/control/key') ? '/control/key' : '/tls/key']);
  for (const [certPath, keyPath] of pairs) {
    const c = cert(certPath);
    const k = key(keyPath);
    for (const r of [c, k]) if (!r.ok && r.problem) problems.push(r.problem);
    if (!c.ok) continue;
    const certFile = resolve(dir, stringAt(doc, certPath)!);
    if (k.ok && !c.value.checkPrivateKey(k.value)) {
      const keyFile = resolve(dir, stringAt(doc, keyPath)!);
      problems.push({
        path: keyPath,
        value: stringAt(doc, keyPath),
        message: `expected the private key of ${certFile} (${certPath.slice(1).replace('/', '.')}), but ${keyFile} belongs to another certificate`,
      });
    }
    if (ca.ok && !(c.value.checkIssued(ca.value) && c.value.verify(ca.value.publicKey))) {
      problems.push({
        path: certPath,
        value: stringAt(doc, certPath),
        message: `expected a certificate signed by the pair CA ${resolve(dir, stringAt(doc, '/tls/ca')!)} (tls.ca), but ${certFile} is not (issuer: ${c.value.issuer.replace(/\n/g, ', ')})`,
      });
    }
  }
  return problems;
}

// `sparesync certs ...` as an operator runs it: the built CLI as a process, on real files.
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './harness/pair';

const fp = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;
const mode = (file: string) => statSync(file).mode & 0o777;
const files = [
  'ca.crt',
  'ca.key',
  'pair.key',
  'primary.crt',
  'primary.key',
  'secondary.crt',
  'secondary.key',
];
// 2048-bit keys keep the runs short; the 3072-bit default is covered by the unit tests.
const init = (dir: string, ...more: string[]) =>
  runCli([
    'certs',
    'init',
    '--dir',
    dir,
    '--primary',
    'web1,127.0.0.1,localhost',
    '--secondary',
    'web2,::1,web2.example.com',
    '--key-bits',
    '2048',
    ...more,
  ]);

interface InitJson {
  dir: string;
  primaryCert: string;
  fingerprints: { primary: string; secondary: string; ca: string };
  pin: { primary: { peer: { fingerprint: string } }; secondary: { peer: { fingerprint: string } } };
}

describe('sparesync certs init', () => {
  const dir = join(tempDir('cli-certs'), 'pair');

  it('writes the files, keys 0600, and prints which fingerprint each side pins', () => {
    const r = init(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(files);
    for (const f of ['ca.key', 'primary.key', 'secondary.key', 'pair.key'])
      expect(mode(join(dir, f))).toBe(0o600);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe(`Wrote the pair's certificates and keys to ${dir}:`);
    for (const f of files) expect(r.stdout).toMatch(new RegExp(`^  ${f.replace('.', '\\.')} `, 'm'));
    // The crossing: the primary's settings hold the secondary's fingerprint, and vice versa.
    const after = (heading: string) => out[out.indexOf(heading) + 1];
    expect(after("  in the primary's settings (the secondary's certificate):")).toBe(
      `    "peer": { "fingerprint": "${fp(join(dir, 'secondary.crt'))}" }`,
    );
    expect(after("  in the secondary's settings (the primary's certificate):")).toBe(
      `    "peer": { "fingerprint": "${fp(join(dir, 'primary.crt'))}" }`,
    );
    const san = new X509Certificate(readFileSync(join(dir, 'secondary.crt'))).subjectAltName;
    expect(san).toBe('DNS:web2, DNS:web2.example.com, IP Address:0:0:0:0:0:0:0:1');
  });

  it('refuses to overwrite with exit 2 and one line naming the file, and changes nothing', () => {
    const before = fp(join(dir, 'primary.crt'));
    const key = readFileSync(join(dir, 'pair.key'), 'utf8');
    const r = init(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^sparesync: ${join(dir, 'ca.crt')} already exists .*\\(InvalidArgument\\)\\. Pass --force.*\\n$`,
      ),
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(fp(join(dir, 'primary.crt'))).toBe(before);
    expect(readFileSync(join(dir, 'pair.key'), 'utf8')).toBe(key);
  });

  it('--force --json replaces everything and prints the pins as settings patches', () => {
    const before = fp(join(dir, 'primary.crt'));
    const r = init(dir, '--force', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as InitJson;
    expect(out.fingerprints.primary).not.toBe(before);
    expect(out.fingerprints).toEqual({
      primary: fp(join(dir, 'primary.crt')),
      secondary: fp(join(dir, 'secondary.crt')),
      ca: fp(join(dir, 'ca.crt')),
    });
    expect(out.pin).toEqual({
      primary: { peer: { fingerprint: out.fingerprints.secondary } },
      secondary: { peer: { fingerprint: out.fingerprints.primary } },
    });
    expect(out.primaryCert).toBe(join(dir, 'primary.crt'));
  });

  it('makes files that a settings file can name and `config validate` accepts', () => {
    const out = JSON.parse(init(dir, '--force', '--json').stdout) as InitJson;
    const settings = join(dir, '..', 'secondary.json');
    const doc = {
      role: 'secondary',
      peer: { host: '127.0.0.1', ...out.pin.secondary.peer },
      tls: { ca: 'pair/ca.crt', cert: 'pair/secondary.crt', key: 'pair/secondary.key' },
      pairKeyFile: 'pair/pair.key',
    };
    writeFileSync(settings, JSON.stringify(doc));
    expect(runCli(['config', 'validate', settings])).toMatchObject({
      code: 0,
      stdout: `${settings}: valid\n`,
    });
  });

  it('rejects a bad endpoint with exit 2 naming the option, before creating anything', () => {
    const fresh = join(tempDir('cli-certs'), 'never');
    const r = runCli(['certs', 'init', '--dir', fresh, '--primary', 'web 1', '--secondary', 'web2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sparesync: --primary: "web 1" is neither an IP address nor a host name ' +
        "(letters, digits, '-', '_', '.') (InvalidArgument). See --help.\n",
    );
    expect(existsSync(fresh)).toBe(false);
  });

  it('exits 64 on a usage error and explains itself in --help', () => {
    const usage = runCli(['certs', 'init', '--dir', dir, '--primary', 'web1']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain("required option '--secondary <name[,ip|dns...]>' not specified");
    const help = runCli(['certs', 'init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      "The primary's peer.fingerprint is the SECONDARY's certificate fingerprint",
    );
    expect(help.stdout).toContain('--primary web1,203.0.113.10,web1.example.com');
  });
});

describe('sparesync certs issue-client and fingerprint', () => {
  const dir = join(tempDir('cli-certs'), 'pair');
  beforeAll(() => expect(init(dir).code).toBe(0));

  it('issues an operator client certificate signed by the pair CA', () => {
    const r = runCli([
      'certs',
      'issue-client',
      'ops',
      '--dir',
      dir,
      '--role',
      'operator',
      '--key-bits',
      '2048',
    ]);
    expect(r.code).toBe(0);
    const crt = join(dir, 'client-ops.crt');
    expect(r.stdout.split('\n')).toEqual([
      'Wrote a client certificate for "ops" (role operator):',
      `  ${crt}`,
      `  ${join(dir, 'client-ops.key')}  (private key, mode 0600)`,
      `Fingerprint: ${fp(crt)}`,
      expect.stringMatching(/^Valid until: \d{4}-/),
      '',
    ]);
    expect(mode(join(dir, 'client-ops.key'))).toBe(0o600);
    const cert = new X509Certificate(readFileSync(crt));
    expect(cert.subject).toBe('O=SpareSync pair\nOU=client:operator\nCN=ops');
    expect(cert.checkIssued(new X509Certificate(readFileSync(join(dir, 'ca.crt'))))).toBe(true);
  });

  it('reports bad input: a name that is not a file name, an unknown role, a folder without a CA', () => {
    const badName = runCli(['certs', 'issue-client', '../ops', '--dir', dir]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^sparesync: client name "\.\.\/ops": .*\(InvalidArgument\)/);
    const badRole = runCli(['certs', 'issue-client', 'x', '--dir', dir, '--role', 'admin']);
    expect(badRole.code).toBe(64);
    expect(badRole.stderr).toContain('Allowed choices are operator, readonly');
    const noCa = tempDir('cli-certs');
    const missing = runCli(['certs', 'issue-client', 'x', '--dir', noCa]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `sparesync: cannot read the pair CA certificate (${join(noCa, 'ca.crt')}): ENOENT: no such file or directory, ` +
        `open '${join(noCa, 'ca.crt')}' (CertUnreadable). Give the folder where \`sparesync certs init\` wrote ca.crt and ca.key.\n`,
    );
  });

  it('prints a certificate fingerprint for peer.fingerprint, and refuses a key file', () => {
    const r = runCli(['certs', 'fingerprint', 'primary.crt'], dir);
    expect(r).toEqual({ code: 0, stdout: `${fp(join(dir, 'primary.crt'))}\n`, stderr: '' });
    const json = runCli(['certs', 'fingerprint', '--json', join(dir, 'secondary.crt')]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      fingerprint: fp(join(dir, 'secondary.crt')),
      kind: 'agent',
      role: 'secondary',
    });
    const key = runCli(['certs', 'fingerprint', join(dir, 'primary.key')]);
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(
      /is not an X\.509 certificate .*\(CertInvalid\)\. Give the path of a PEM certificate/,
    );
    const none = runCli(['certs', 'fingerprint', join(dir, 'nope.crt')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^sparesync: cannot read .*nope\.crt: ENOENT/);
  });
});

// `sparesync config ...` as an operator runs it: the built CLI as a process, on real files.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPairCertificates, parseEndpoint, type PairFiles } from '@sparesync/common';
import { runCli, tempDir } from './harness/pair';

// config validate checks that the key fits the certificate and the CA signed it: real files.
let certs: PairFiles;
beforeAll(async () => {
  const endpoint = parseEndpoint('web1,127.0.0.1');
  certs = await createPairCertificates({
    dir: tempDir('cli-config-certs'),
    keyBits: 2048,
    primary: endpoint,
    secondary: endpoint,
  });
}, 60_000);

const fingerprint = 'ab:'.repeat(31) + 'ab';

/** A settings folder with the certificate and key files the settings name. */
function settingsFolder(settings: object = {}, indent = 4): { dir: string; file: string } {
  const dir = tempDir('cli-config');
  mkdirSync(join(dir, 'certs'));
  const files: [string, string][] = [
    [certs.caCert, 'ca.crt'],
    [certs.primaryCert, 'web1.crt'],
    [certs.primaryKey, 'web1.key'],
    [certs.pairKey, 'pair.key'],
  ];
  for (const [from, to] of files) copyFileSync(from, join(dir, 'certs', to));
  const file = join(dir, 'sparesync.json');
  const doc = {
    role: 'primary',
    peer: { host: '198.51.100.20', fingerprint },
    tls: { ca: 'certs/ca.crt', cert: 'certs/web1.crt', key: 'certs/web1.key' },
    pairKeyFile: 'certs/pair.key',
    ...settings,
  };
  writeFileSync(file, JSON.stringify(doc, null, indent) + '\n');
  return { dir, file };
}

describe('sparesync config validate', () => {
  it('exits 0 and says valid for a good file, from any working directory', () => {
    const { file } = settingsFolder();
    const r = runCli(['config', 'validate', file], '/');
    expect(r).toMatchObject({ code: 0, stdout: `${file}: valid\n` });
  });

  it('exits 2 with one line per problem: path, value, expectation, and missing files', () => {
    const { dir, file } = settingsFolder({
      role: 'master',
      netwrk: {},
      network: { blockSizeBytes: 100 },
      pairKeyFile: 'certs/pair-key.pem',
    });
    const r = runCli(['config', 'validate', 'sparesync.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'sparesync.json: /netwrk = {}: unknown setting (did you mean "network"?)',
      'sparesync.json: /role = "master": expected one of "primary", "secondary"',
      'sparesync.json: /network/blockSizeBytes = 100: expected an integer from 1024 to 16777216',
      `sparesync.json: /pairKeyFile = "certs/pair-key.pem": expected an existing file, but ${join(dir, 'certs', 'pair-key.pem')} does not exist`,
    ]);
    const json = runCli(['config', 'validate', '--json', file]);
    expect(json.code).toBe(2);
    const out = JSON.parse(json.stdout) as { valid: boolean; problems: Array<{ path: string }> };
    expect(out.valid).toBe(false);
    expect(out.problems.map((p) => p.path)).toEqual([
      '/netwrk',
      '/role',
      '/network/blockSizeBytes',
      '/pairKeyFile',
    ]);
  });

  it('reports the cross-field check', () => {
    const { file } = settingsFolder({ network: { remoteCheckIntervalSeconds: 50 } });
    const r = runCli(['config', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      '/network/remoteCheckIntervalSeconds = 50: expected network.remoteCheckIntervalSeconds',
    );
  });

  it('runs the checks the agent runs at start: the DNS settings and the folders named', () => {
    const { dir, file } = settingsFolder();
    writeFileSync(join(dir, 'www'), 'a file, not a folder');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as object;
    const bad = {
      ...doc,
      dns: {
        enabled: true,
        zone: 'example.com',
        recordName: 'www.elsewhere.org',
        primaryAddress: '192.0.2.10',
        secondaryAddress: '192.0.2.10',
        tsig: { keyName: 'pair-key', secretFile: 'certs/pair.key' },
      },
      folders: [{ name: 'www', primaryPath: 'www', secondaryPath: '/srv/www' }],
    };
    writeFileSync(file, JSON.stringify(bad, null, 2));
    const r = runCli(['config', 'validate', 'sparesync.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      '/dns/recordName = "www.elsewhere.org": expected a name inside dns.zone (example.com)',
    );
    expect(r.stdout).toContain(
      '/dns/secondaryAddress = "192.0.2.10": expected an address different from dns.primaryAddress',
    );
    expect(r.stdout).toContain(
      `/folders/0/primaryPath = "www": expected a folder, but ${join(dir, 'www')} is not a directory`,
    );
  });

  it('exits 2 on a file that is not JSON, with the line and column', () => {
    const { file } = settingsFolder();
    writeFileSync(file, '{\n  "role": "primary",\n}\n');
    const r = runCli(['config', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^${file}: expected valid JSON \\(.*line 3, column 1\\)\\n$`));
  });

  it('exits 2 on a missing file', () => {
    const r = runCli(['config', 'validate', '/nonexistent/sparesync.json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      "/nonexistent/sparesync.json: cannot read the file (ENOENT: no such file or directory, open '/nonexistent/sparesync.json')\n",
    );
  });
});

describe('sparesync config template', () => {
  it('changes the file in place, keeps its mode, indentation and other settings, and prints each change', () => {
    const { file } = settingsFolder({ network: { compression: true }, log: { level: 'debug' } });
    chmodSync(file, 0o640);
    const r = runCli(['config', 'template', 'network:fast', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '/network/compression: true -> false',
      '/network/maxReplicaSizeKiB: 2048 (default) -> 4096',
      `${file}: 2 setting(s) changed`,
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(
      '\n    "network": {\n        "compression": false,\n        "maxReplicaSizeKiB": 4096\n    }',
    );
    expect(JSON.parse(text)).toMatchObject({
      role: 'primary',
      log: { level: 'debug' },
      peer: { fingerprint },
    });
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(runCli(['config', 'validate', file]).code).toBe(0);
    // Applying it again finds nothing to do.
    const again = runCli(['config', 'template', 'network:fast', file]);
    expect(again).toMatchObject({
      code: 0,
      stdout: `${file}: no change: every setting of network:fast already has its value\n`,
    });
  });

  it('--dry-run prints the changes and leaves the file alone', () => {
    const { file } = settingsFolder();
    const before = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;
    const r = runCli(['config', 'template', 'system:fast', file, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { written: boolean; changes: Array<{ path: string; new: unknown }> };
    expect(out.written).toBe(false);
    expect(out.changes).toContainEqual(
      expect.objectContaining({ path: '/system/allowableResponseTimeSeconds', new: 60 }),
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('refuses a template whose result would be invalid, and changes nothing', () => {
    // 10 s (slow network) × 12 misses = 120 s, not below the allowable 120 s.
    const { dir, file } = settingsFolder({ link: { heartbeatMisses: 12 } });
    const before = readFileSync(file, 'utf8');
    const r = runCli(['config', 'template', 'network:slow', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}: not changed: with template network:slow the settings would not be valid:`,
    );
    expect(r.stderr).toContain('/network/remoteCheckIntervalSeconds = 10: expected');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'sparesync.json'), 'utf8')).toBe(before);
  });

  it('lists the valid names for an unknown template', () => {
    const { file } = settingsFolder();
    const r = runCli(['config', 'template', 'network:medium', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown template "network:medium"; valid templates: network:slow, network:ordinary, network:fast, system:reduced, system:recommended, system:fast',
    );
  });
});

describe('sparesync config templates, schema, show', () => {
  it('lists the templates as a table', () => {
    const r = runCli(['config', 'templates']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^setting +network:slow +network:ordinary +network:fast$/m);
    expect(r.stdout).toMatch(/^\/system\/allowableResponseTimeSeconds +600 +120 +60$/m);
  });

  it('prints the JSON Schema and the settings with defaults', () => {
    const schema = JSON.parse(runCli(['config', 'schema']).stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['role', 'network', 'system']));
    const { file } = settingsFolder();
    const shown = JSON.parse(runCli(['config', 'show', file]).stdout) as {
      network: { blockSizeBytes: number };
    };
    expect(shown.network.blockSizeBytes).toBe(65536);
  });

  it('explains each command in --help', () => {
    const r = runCli(['config', 'template', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('network:slow, network:ordinary, network:fast');
    expect(r.stdout).toContain('--dry-run');
  });
});

// The release as an operator installs it: `pnpm release`'s tarball installed with npm into a fresh
// prefix (its third-party packages from the registry, better-sqlite3 compiled), then a pair run
// from the installed `sparesync-agent` and watched with the installed `sparesync`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeLocalPair } from '@sparesync/devkit';
import { tempDir, waitFor } from './harness/pair';

jest.setTimeout(15 * 60_000);
const root = join(__dirname, '..');
const version = (require(join(root, 'package.json')) as { version: string }).version;

describe('the release tarball', () => {
  const prefix = tempDir('release-prefix');
  const pairDir = tempDir('release-pair');
  const bin = (name: string) => join(prefix, 'bin', name);
  const run = (name: string, args: string[]) =>
    spawnSync(bin(name), args, { encoding: 'utf8', timeout: 60_000 });
  const agents: ChildProcess[] = [];
  afterAll(() => {
    for (const a of agents) a.kill('SIGKILL');
    for (const d of [prefix, pairDir]) rmSync(d, { recursive: true, force: true });
  });

  it('installs with npm into a fresh prefix and puts sparesync and sparesync-agent on PATH', () => {
    const packed = spawnSync(process.execPath, [join(root, 'scripts', 'release.js')], { encoding: 'utf8' });
    expect(packed.status).toBe(0);
    const tarball = packed.stdout.trim().split('\n').at(-1)!;
    expect(tarball).toMatch(new RegExp(`sparesync-${version}\\.tgz$`));
    const listing = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout;
    expect(listing).toContain('package/node_modules/@sparesync/agent/dist/main.js');
    expect(listing).not.toMatch(/devkit|\.test\.js/);
    // Compiled JavaScript only: no TypeScript sources beside the declarations.
    expect(listing.split('\n').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const install = spawnSync(
      'npm',
      ['install', '-g', '--allow-scripts=better-sqlite3', '--prefix', prefix, tarball],
      { encoding: 'utf8', timeout: 12 * 60_000, env: { ...process.env, npm_config_nodedir: '/usr' } },
    );
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr.slice(-3000)}`);
    expect(run('sparesync', ['--version']).stdout.trim()).toBe(version);
    expect(run('sparesync-agent', ['--version']).stdout.trim()).toBe(version);
    expect(
      existsSync(join(prefix, 'lib', 'node_modules', 'sparesync', 'node_modules', '@sparesync', 'devkit')),
    ).toBe(false);
  });

  it('runs a pair from the installed commands', async () => {
    const pair = await writeLocalPair({ dir: pairDir, sampleDatabase: true });
    for (const config of [pair.primaryConfig, pair.secondaryConfig]) {
      expect(run('sparesync', ['config', 'validate', config]).status).toBe(0);
      agents.push(spawn(bin('sparesync-agent'), ['--config', config], { stdio: 'ignore' }));
    }
    for (const config of [pair.primaryConfig, pair.secondaryConfig]) {
      await waitFor(
        `${config}: Working, linked`,
        async () => {
          const r = run('sparesync', ['status', '--config', config, '--json']);
          if (r.status !== 0) return undefined;
          const s = JSON.parse(r.stdout) as { local: { state: string }; remote: { state: string } };
          return s.local.state === 'Working' && s.remote.state === 'Working' ? true : undefined;
        },
        60_000,
      );
    }
    const unit = run('sparesync', ['install-service', '--config', pair.primaryConfig, '--dry-run']);
    expect(unit.stdout).toContain(join(prefix, 'lib', 'node_modules', 'sparesync'));
  });
});

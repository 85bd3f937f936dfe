// `sparesync install-service` as an operator runs it: the unit for a real pair's settings file,
// checked by systemd's own `systemd-analyze verify`; --dry-run prints what would be written.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pair, runCli, tempDir } from './harness/pair';

describe('sparesync install-service', () => {
  let pair: Pair;
  let units: string;
  beforeAll(async () => {
    pair = await Pair.create();
    units = tempDir('units');
  });
  afterAll(async () => {
    await pair.stop();
    rmSync(units, { recursive: true, force: true });
  });

  it('writes a unit systemd accepts, 0644, the same as --dry-run prints', () => {
    const config = pair.config('primary');
    const r = runCli(['install-service', '--config', config, '--unit-dir', units]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/systemctl enable --now sparesync-agent/);
    const file = join(units, 'sparesync-agent.service');
    const unit = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(unit).toContain(`--config ${config}`);
    const dry = runCli(['install-service', '--config', config, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(unit);
    expect(runCli(['install-service', '--config', config, '--dry-run']).stdout).toBe(dry.stdout);
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(verify.error).toBeUndefined(); // systemd-analyze is installed (.ci/run: systemd)
    expect(`${verify.stdout}${verify.stderr}`.trim()).toBe('');
    expect(verify.status).toBe(0);
  });

  it('names the folder when the unit cannot be written, and refuses invalid settings', () => {
    const r = runCli([
      'install-service',
      '--config',
      pair.config('primary'),
      '--unit-dir',
      join(units, 'nope'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope does not exist/);
    const dir = tempDir('bad-settings');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bad.json'), '{"role": "tertiary"}');
    const bad = runCli(['install-service', '--config', join(dir, 'bad.json'), '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/role/);
    rmSync(dir, { recursive: true, force: true });
  });
});

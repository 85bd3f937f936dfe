// The README's "run it" command as a newcomer runs it: `pnpm demo` (packages/devkit/dist/demo.js) sets up the pair, starts
// everything, prints a line a second; failing the primary server shows the switch and the DNS
// answer moving; Ctrl-C stops agents and apps.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir, waitFor } from './harness/pair';

jest.setTimeout(90_000);

const demoMain = join(repoRoot, 'packages', 'devkit', 'dist', 'demo.js');

test('the demo runs the pair, and a killed primary server is taken over by the secondary', async () => {
  const dir = tempDir('demo');
  let out = '';
  const demo = spawn(process.execPath, [demoMain, '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout.on('data', (b: Buffer) => (out += b.toString()));
  demo.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
  type Side = { managedSystem: { stopCommand: string; statusCommand: string } };
  const settingsOf = (side: string) => JSON.parse(readFileSync(join(dir, `${side}.json`), 'utf8')) as Side;
  try {
    await waitFor(
      'both Working and DNS at the primary',
      async () =>
        /primary: Working .*secondary: Working .*link up.*→ 127\.0\.0\.11 \(primary\)/.test(out)
          ? true
          : undefined,
      30_000,
    );
    writeFileSync(join(dir, 'primary', 'www', 'hello.txt'), 'hello from the primary\n');
    await waitFor('the folder to replicate', async () =>
      existsSync(join(dir, 'secondary', 'www', 'hello.txt')) ? true : undefined,
    );

    const pid = Number(/primary agent pid (\d+)/.exec(out)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    spawnSync('/bin/sh', ['-c', settingsOf('primary').managedSystem.stopCommand]);
    await waitFor(
      'the secondary to take over',
      async () =>
        /secondary: Switched \(epoch 1\).*→ 127\.0\.0\.12 \(secondary\)/.test(out) ? true : undefined,
      40_000,
    );
  } finally {
    demo.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect(out).toMatch(/both agents and apps stopped/);
  expect(spawnSync('/bin/sh', ['-c', settingsOf('secondary').managedSystem.statusCommand]).status).toBe(3);
  rmSync(dir, { recursive: true, force: true });
});

// The exit codes of `sparesync`, command by command, as documented in packages/cli/src/exit-codes.ts
// and the README: each row runs the CLI as a process against a real pair. With --json an error is
// JSON on stdout. `watch` reconnects when its agent restarts.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueClientCertificate } from '@sparesync/common';
import { deepMerge } from '@sparesync/devkit';
import { cliMain, Pair, repoRoot, runCli, waitFor, type Side } from './harness/pair';

jest.setTimeout(60_000);

let pair: Pair;
let readonlyConfig: string;
let mismatchedConfig: string;
beforeAll(async () => {
  pair = await Pair.create();
  await pair.startBoth();
  const certs = join(pair.files.dir, 'certs');
  const c = await issueClientCertificate({ dir: certs, name: 'cli-ro', role: 'readonly', keyBits: 2048 });
  const doc = JSON.parse(readFileSync(pair.config('primary'), 'utf8')) as object;
  readonlyConfig = join(pair.files.dir, 'readonly.json');
  writeFileSync(readonlyConfig, JSON.stringify(deepMerge(doc, { control: { cert: c.cert, key: c.key } })));
  // The primary's certificate with the secondary's key.
  type Tls = { tls: { key: string } };
  const secondaryKey = (JSON.parse(readFileSync(pair.config('secondary'), 'utf8')) as Tls).tls.key;
  mismatchedConfig = join(pair.files.dir, 'mismatched.json');
  writeFileSync(
    mismatchedConfig,
    JSON.stringify(deepMerge(doc, { tls: { key: join(pair.files.dir, secondaryKey) } })),
  );
}, 60_000);
afterAll(() => pair.stop());

type Row = [command: string, code: number, args: () => string[]];
const p = (s: Side) => ['-c', pair.config(s)];

/** Usage errors: no agent call is made. */
const usage: Row[] = [
  ['status', 64, () => ['status', '--bogus', ...p('primary')]],
  ['status', 64, () => ['status', '--timeout', 'abc', ...p('primary')]],
  ['watch', 64, () => ['watch', '--for', 'abc', ...p('primary')]],
  ['watch', 64, () => ['watch', '--until', 'Bogus', ...p('primary')]],
  ['off', 64, () => ['off', '--timeout', '0', ...p('primary')]],
  ['on', 64, () => ['on', 'extra-argument', ...p('primary')]],
  ['switch', 64, () => ['switch', ...p('secondary')]],
  ['switch', 64, () => ['switch', '--to', 'bogus', ...p('secondary')]],
  ['switch (no --yes, no terminal)', 64, () => ['switch', '--to', 'secondary', ...p('secondary')]],
  ['restart', 64, () => ['restart', '--bogus', ...p('primary')]],
  ['settings get', 64, () => ['settings', 'get', 'a', 'b', ...p('primary')]],
  ['settings set', 64, () => ['settings', 'set', '--bogus', ...p('primary')]],
  ['dns test', 64, () => ['dns', 'test', '--bogus', ...p('primary')]],
  ['notify test', 64, () => ['notify', 'test', '--text', ...p('primary')]],
  ['mark-checked', 64, () => ['mark-checked', '--bogus', ...p('primary')]],
  ['db status', 64, () => ['db', 'status', '--bogus', ...p('primary')]],
  ['db install-scripts', 64, () => ['db', 'install-scripts', '--bogus', ...p('primary')]],
  ['db reinit (no --yes)', 64, () => ['db', 'reinit', ...p('primary')]],
  ['db reinit', 64, () => ['db', 'reinit', '--yes', '--wait-seconds', 'x', ...p('primary')]],
  ['db backup-reinit (no --yes)', 64, () => ['db', 'backup-reinit', ...p('primary')]],
  ['db set-reinit-flag (no --yes)', 64, () => ['db', 'set-reinit-flag', ...p('primary')]],
  ['db fix-sync (no --yes)', 64, () => ['db', 'fix-sync', ...p('primary')]],
  ['config validate', 64, () => ['config', 'validate', 'a.json', 'b.json']],
  ['certs init', 64, () => ['certs', 'init', '--dir', pair.files.dir]],
  ['install-service', 64, () => ['install-service', '--bogus']],
  ['(no command)', 64, () => ['bogus']],
];

/** Outcomes of calls the agents answer, with both agents running and Working. */
const answered: Row[] = [
  ['status', 0, () => ['status', ...p('primary')]],
  ['status', 0, () => ['status', '--timeout', '5s', ...p('primary')]],
  ['watch', 0, () => ['watch', '--until', 'Working', '--for', '10', ...p('primary')]],
  ['settings get', 0, () => ['settings', 'get', 'system', ...p('primary')]],
  [
    'settings set',
    0,
    () => ['settings', 'set', 'system.switchAutomatically=false', '--dry-run', ...p('primary')],
  ],
  ['settings set', 2, () => ['settings', 'set', 'system.allowableResponseTimeSeconds=-5', ...p('primary')]],
  ['dns test', 2, () => ['dns', 'test', ...p('primary')]],
  ['notify test', 2, () => ['notify', 'test', ...p('primary')]],
  ['db install-scripts', 2, () => ['db', 'install-scripts', ...p('primary')]],
  ['db fix-sync', 2, () => ['db', 'fix-sync', '--yes', ...p('primary')]],
  ['status', 2, () => ['status', '-c', join(pair.files.dir, 'nonexistent.json')]],
  ['status', 2, () => ['status', '-c', mismatchedConfig]],
  ['config validate', 0, () => ['config', 'validate', pair.config('primary')]],
  ['config validate', 2, () => ['config', 'validate', mismatchedConfig]],
  ['switch (nothing to undo)', 3, () => ['switch', '--to', 'undo', '--yes', ...p('secondary')]],
  ['off', 4, () => ['off', '-c', readonlyConfig]],
  ['restart', 4, () => ['restart', '-c', readonlyConfig]],
];

describe('exit codes', () => {
  it.each(usage)('%s: bad usage exits %i', (_name, code, args) => {
    const r = runCli(args());
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: expect.any(String) });
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('nothing happened after the refused usage', async () => {
    expect((await pair.status('secondary')).local.state).toBe('Working');
    expect((await pair.status('primary')).local.state).toBe('Working');
  });

  it.each(answered)('%s exits %i (row %#)', (_name, code, args) => {
    const r = runCli(args());
    expect({ code: r.code, out: r.stdout, err: r.stderr }).toEqual({
      code,
      out: expect.any(String),
      err: expect.any(String),
    });
  });

  it('a hint says what to do, not "the settings of that server do not allow it"', () => {
    const r = runCli(['dns', 'test', ...p('primary')]);
    expect(r.stderr).toMatch(/dns\.enabled is off/);
    expect(r.stderr).not.toMatch(/do not allow it/);
  });

  it("a key that is not the certificate's is named with its file", () => {
    const r = runCli(['status', '-c', mismatchedConfig]);
    expect(r.stderr).toMatch(/tls\.key \(.*secondary.*\) is not the key of tls\.cert/);
    expect(r.stderr).not.toMatch(/x509|mismatch|error:0/i);
    const v = runCli(['config', 'validate', mismatchedConfig]);
    expect(v.stdout).toMatch(/\/tls\/key = .*belongs to another certificate/);
  });

  it('the agent, started with that key, names the files rather than listen.host/listen.port', () => {
    const agentMain = join(repoRoot, 'packages', 'agent', 'dist', 'main.js');
    const r = spawnSync(process.execPath, [agentMain, '--config', mismatchedConfig], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/\/tls\/key = .*belongs to another certificate/);
    expect(r.stderr).not.toMatch(/listen\.(host|port)/);
  });

  it('with --json an error is JSON on stdout: a usage error, an invalid request', () => {
    const bad = runCli(['status', '--json', '--timeout', 'abc', ...p('primary')]);
    expect(bad.code).toBe(64);
    expect(JSON.parse(bad.stdout)).toEqual({
      error: expect.objectContaining({
        code: 'Usage',
        exitCode: 64,
        message: expect.stringMatching(/--timeout/),
      }),
    });
    const dns = runCli(['dns', 'test', '--json', ...p('primary')]);
    expect(dns.code).toBe(2);
    expect(JSON.parse(dns.stdout)).toEqual({
      error: expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/dns\.enabled is off/) }),
    });
  });

  it('turned off: a switch is refused (3); with the peer gone: on exits 5, status of the gone agent 1 (also as JSON)', async () => {
    expect(runCli(['off', ...p('primary')]).code).toBe(0);
    await pair.waitForState('secondary', 'TurnedOff');
    const refused = runCli(['switch', '--to', 'secondary', '--yes', ...p('secondary')]);
    expect(refused.code).toBe(3); // the state machine refuses a switch while turned off
    expect(refused.stderr + refused.stdout).toMatch(/sparesync on/);
    await pair.signal('secondary', 'SIGTERM');
    const on = runCli(['on', '--timeout', '3', ...p('primary')]);
    expect(on.code).toBe(5);
    const gone = runCli(['status', '--timeout', '2', ...p('secondary')]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/cannot reach the agent|did not answer/);
    expect(gone.stderr).not.toMatch(/LB pick|name resolution/);
    const json = runCli(['status', '--json', '--timeout', '2', ...p('secondary')]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: expect.objectContaining({ exitCode: 1 }) });
  });
});

describe('watch', () => {
  it('reconnects when the agent restarts, and goes on printing', async () => {
    await pair.signal('secondary', 'SIGTERM'); // stopped already when the tests above ran
    pair.start('secondary');
    await pair.waitForStatus('secondary', 'it answers', () => true, 30_000);
    const child = spawn(process.execPath, [cliMain, 'watch', '--keepalive', '1', ...p('secondary')]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await waitFor('the first watch line', async () => (out.includes(' secondary ') ? true : undefined));
      await pair.signal('secondary', 'SIGTERM');
      await waitFor('watch says it reconnects', async () =>
        err.includes('reconnecting') ? true : undefined,
      );
      expect(child.exitCode).toBeNull();
      const before = out.length;
      pair.start('secondary');
      await waitFor(
        'watch prints again',
        async () => (err.includes('answers again') ? true : undefined),
        30_000,
      );
      await waitFor('a line after the restart', async () =>
        out.slice(before).includes('secondary') ? true : undefined,
      );
    } catch (e) {
      throw new Error(`${String(e)}\nwatch stdout: ${out}\nwatch stderr: ${err}`);
    } finally {
      child.kill('SIGINT');
    }
  });
});

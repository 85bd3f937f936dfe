// Operating the pair (issue 6) end to end: two agent processes, driven by the `sparesync` CLI as a
// process and by the Control API over the wire. The switch and the turn-off scenarios run the
// sample system (an app per side, the embedded DNS server on the secondary).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ControlClient,
  controlTargetFromSettings,
  issueClientCertificate,
  loadSettings,
  RESTART_EXIT_CODE,
  type OperatorReply,
  type SetSettingsReply,
} from '@sparesync/common';
import { deepMerge } from '@sparesync/devkit';
import { sampleSystem, type SampleSystem } from '@sparesync/devkit';
import { queryAddress } from '../packages/agent/src/dns';
import { cliMain, Pair, runCli, tempDir, waitFor, type Side } from './harness/pair';

jest.setTimeout(60_000);

/** A primary gone for 2 s is failed over; probes every 0.5 s. */
const quick = {
  system: {
    allowableResponseTimeSeconds: 2,
    availabilityCheckSeconds: 0.5,
    externalResourcesRecoverySeconds: 0,
  },
};

interface Setup {
  pair: Pair;
  sys?: SampleSystem;
  app(side: Side, verb: 'start' | 'stop' | 'status'): number;
}

const running: Setup[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) {
    for (const side of ['primary', 'secondary'] as const) await s.pair.signal(side, 'SIGKILL');
    s.app('primary', 'stop');
    s.app('secondary', 'stop');
    await s.pair.stop().catch(() => undefined);
  }
});

async function setup(withSystem: boolean): Promise<Setup> {
  const dir = tempDir('control');
  const sys = withSystem ? await sampleSystem({ dir, zone: 'control.test' }) : undefined;
  const pair = await Pair.create(
    sys
      ? {
          both: deepMerge(sys.overrides.both, quick),
          primary: sys.overrides.primary,
          secondary: sys.overrides.secondary,
        }
      : {},
    dir,
  );
  const app = (side: Side, verb: 'start' | 'stop' | 'status') =>
    sys ? (spawnSync('/bin/sh', ['-c', sys.appCommand(side, verb)], { timeout: 20_000 }).status ?? -1) : 0;
  const s = { pair, sys, app };
  running.push(s);
  if (sys) expect(app('primary', 'start')).toBe(0);
  await pair.startBoth();
  return s;
}

const cli = (s: Setup, side: Side, ...args: string[]) => runCli([...args, '-c', s.pair.config(side)]);
const json = <T>(text: string): T => JSON.parse(text) as T;

describe('authorisation', () => {
  it('a read-only client certificate may read status and settings but not turn SpareSync off; an operator one may', async () => {
    const s = await setup(false);
    const certs = join(s.pair.files.dir, 'certs');
    const settingsWith = async (role: 'readonly' | 'operator') => {
      const c = await issueClientCertificate({ dir: certs, name: `cli-${role}`, role, keyBits: 2048 });
      const file = join(s.pair.files.dir, `${role}.json`);
      const doc = json<object>(readFileSync(s.pair.config('primary'), 'utf8'));
      writeFileSync(file, JSON.stringify(deepMerge(doc, { control: { cert: c.cert, key: c.key } })));
      return file;
    };
    const ro = await settingsWith('readonly');
    expect(runCli(['status', '-c', ro]).code).toBe(0);
    const refused = runCli(['off', '-c', ro]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(
      /turn off on the primary failed: .*TurnOff needs an operator certificate.*CN=cli-readonly \(OU client:readonly/,
    );
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    // Read-only certificates may read the settings, secrets redacted (issue 12).
    const settings = runCli(['settings', 'get', 'notifications.webhook', '--json', '-c', ro]);
    expect(settings.code).toBe(0);
    expect(runCli(['settings', 'set', 'name=x', '-c', ro]).code).toBe(4);
    expect((await s.pair.status('primary')).local.state).toBe('Working');

    const op = await settingsWith('operator');
    const done = runCli(['off', '--this-server-only', '--json', '-c', op]);
    expect(done.code).toBe(0);
    expect(json<OperatorReply>(done.stdout).servers[0]).toMatchObject({
      role: 'primary',
      done: true,
      state: 'TurnedOff',
    });
  });
});

describe('turning off and on', () => {
  it('off turns both servers off; a dead primary is then not failed over; on resumes both', async () => {
    const s = await setup(true);
    const off = cli(s, 'primary', 'off', '--json');
    expect(off.code).toBe(0);
    const reply = json<OperatorReply>(off.stdout);
    expect(reply.servers.map((x) => [x.role, x.state])).toEqual([
      ['primary', 'TurnedOff'],
      ['secondary', 'TurnedOff'],
    ]);
    await s.pair.waitForState('secondary', 'TurnedOff');

    await s.pair.signal('primary', 'SIGKILL');
    expect(s.app('primary', 'stop')).toBe(0);
    // Three times the allowable response time.
    await new Promise((r) => setTimeout(r, 6000));
    const st = await s.pair.status('secondary');
    expect(st.local.state).toBe('TurnedOff');
    expect(st.local.epoch).toBe(0);
    expect(s.app('secondary', 'status')).not.toBe(0);

    // The primary comes back turned off (persisted); `on` on the secondary turns on both.
    expect(s.app('primary', 'start')).toBe(0);
    s.pair.start('primary');
    await s.pair.waitForStatus(
      'secondary',
      'link up',
      (x) => x.link.connected && x.remote.state === 'TurnedOff',
    );
    const on = cli(s, 'secondary', 'on');
    expect(on.stdout).toMatch(/turned on on both servers/);
    expect(on.code).toBe(0);
    await Promise.all([
      s.pair.waitForState('primary', 'Working'),
      s.pair.waitForState('secondary', 'Working'),
    ]);
  });

  it('watch prints a state change as it comes', async () => {
    const s = await setup(false);
    const child = spawn(process.execPath, [
      cliMain,
      'watch',
      '--until',
      'TurnedOff',
      '--for',
      '20',
      '-c',
      s.pair.config('primary'),
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await waitFor('the first watch line', async () => (out.includes('Working') ? true : undefined));
    expect(cli(s, 'primary', 'off', '--this-server-only').code).toBe(0);
    expect(await exited).toBe(0);
    expect(out.trim().split('\n').at(-1)).toMatch(/primary TurnedOff: turned off by the operator/);
  });
});

describe('switching on request', () => {
  it("the primary's agent refuses; the CLI run on the primary has the secondary run the switch step by step; DNS and the apps follow", async () => {
    const s = await setup(true);
    const primary = new ControlClient(controlTargetFromSettings(loadSettings(s.pair.config('primary'))));
    try {
      const refused = await primary.call<OperatorReply>('requestSwitch', { to: 'secondary' }, 5000);
      expect(refused.accepted).toBe(false);
      expect(refused.message).toMatch(/^refused: switching is run by the secondary's agent/);
    } finally {
      primary.close();
    }

    const dnsTest = cli(s, 'secondary', 'dns', 'test');
    expect(dnsTest.stdout).toMatch(/^ok: test record _sparesync-test\.control\.test through the DNS server /);
    expect(dnsTest.stdout).toMatch(/add +ok .*\n +query-added +ok .*\n +delete +ok .*\n +query-deleted +ok /);
    expect(dnsTest.code).toBe(0);

    const r = cli(s, 'primary', 'switch', '--yes', '--to', 'secondary');
    expect(r.stderr).toMatch(/^switches are run by the secondary's agent: asking it at 127\.0\.0\.1:\d+$/m);
    expect(r.stderr).toMatch(/switch to the secondary \(operator, sw-\d+\), running: .*persist-epoch/);
    expect(r.stdout).toMatch(/completed: .*update-dns ✓/);
    expect(r.code).toBe(0);
    const st = await s.pair.status('secondary');
    expect(st.local).toMatchObject({ state: 'Switched', epoch: 1 });
    const dns = s.sys!.dns;
    expect((await queryAddress(dns, s.sys!.recordName, 'A', { timeoutMs: 2000 })).addresses).toEqual([
      '127.0.0.12',
    ]);
    await s.pair.waitForStatus(
      'primary',
      'fenced',
      (x) => x.local.state === 'Switched' && x.local.epoch === 1,
    );
    await waitFor('the primary app stopped', async () =>
      s.app('primary', 'status') !== 0 ? true : undefined,
    );
    expect(cli(s, 'secondary', 'status').stdout).toMatch(
      /switch +switch to the secondary \(operator, sw-\d+\), completed/,
    );
  });
});

describe('settings', () => {
  it('a change on the primary reaches the secondary; invalid changes change nothing; link down changes one side; restart', async () => {
    const s = await setup(false);
    const files = () =>
      (['primary', 'secondary'] as const).map((side) => readFileSync(s.pair.config(side), 'utf8'));
    const set = cli(s, 'primary', 'settings', 'set', 'system.allowableResponseTimeSeconds=33', '--json');
    expect(set.code).toBe(0);
    const reply = json<SetSettingsReply>(set.stdout);
    expect(reply).toMatchObject({ peer: 'updated', restartRequired: false });
    expect(reply.settings).toEqual([
      expect.objectContaining({ path: '/system/allowableResponseTimeSeconds', newJson: '33' }),
    ]);
    expect(
      json<{ system: { allowableResponseTimeSeconds: number } }>(files()[1]!).system
        .allowableResponseTimeSeconds,
    ).toBe(33);
    const got = cli(s, 'secondary', 'settings', 'get', 'system.allowableResponseTimeSeconds');
    expect(got.stdout.trim()).toBe('33');

    // A local setting stays on its server and needs a restart.
    const local = cli(s, 'primary', 'settings', 'set', 'name=web-1');
    expect(local.stdout).toMatch(
      /changed name on this server; restart required for name .*peer: not sent: only local settings changed/,
    );

    const before = files();
    const bad = cli(s, 'primary', 'settings', 'set', 'system.allowableResponseTimeSeconds=0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /settings set on the primary failed: .*primary\.json: \/system\/allowableResponseTimeSeconds = 0: expected a number, at least 1/,
    );
    expect(files()).toEqual(before);

    await s.pair.signal('secondary', 'SIGKILL');
    await s.pair.waitForStatus('primary', 'link down', (x) => !x.link.connected);
    const alone = cli(s, 'primary', 'settings', 'set', 'system.switchAutomatically=false');
    expect(alone.code).toBe(5);
    expect(alone.stdout).toMatch(/the peer was not reached .*only this server changed/);
    const [p, sec] = files();
    expect(json<{ system: { switchAutomatically?: boolean } }>(p!).system.switchAutomatically).toBe(false);
    expect(sec).toEqual(before[1]);

    const notify = cli(s, 'primary', 'notify', 'test', '--text', 'hello');
    expect(notify.stderr).toMatch(
      /notify test on the primary failed: .*no notification transport is configured on this server/,
    );
    expect(notify.code).toBe(2);
    const noDns = cli(s, 'primary', 'dns', 'test');
    expect(noDns.stderr).toMatch(/dns test on the primary failed: .*dns\.enabled is off on this server/);
    expect(noDns.code).toBe(2);

    const restart = cli(s, 'primary', 'restart');
    expect(restart.code).toBe(0);
    expect(await s.pair.procs.primary!.exited).toBe(RESTART_EXIT_CODE);
  });
});

describe('last shutdown (mark checked, guide §7.3.1)', () => {
  it('kill -9 is found at the next start and shown until marked checked; a clean stop keeps its reason', async () => {
    const s = await setup(false);
    const none = cli(s, 'primary', 'mark-checked');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /mark checked on the primary failed: .*no shutdown of this agent is recorded yet/,
    );

    const killedAt = Date.now();
    await s.pair.signal('primary', 'SIGKILL');
    s.pair.start('primary');
    const st = await s.pair.waitForState('primary', 'Working');
    const down = st.local.lastShutdown!;
    expect(down).toMatchObject({
      clean: false,
      checked: false,
      reason: expect.stringMatching(/without stopping/),
    });
    // Dated by the killed run's last alive mark: before the kill, and not before that run started.
    expect(down.atMs).toBeLessThanOrEqual(killedAt);
    expect(down.atMs).toBeGreaterThan(killedAt - 60_000);
    expect(cli(s, 'primary', 'status').stdout).toMatch(
      /last stop +ended without stopping after .*NOT CHECKED: review it, then run sparesync mark-checked/,
    );

    const marked = cli(s, 'primary', 'mark-checked', '--json');
    expect(marked.code).toBe(0);
    expect(json<{ lastShutdown: { checked: boolean } }>(marked.stdout).lastShutdown.checked).toBe(true);
    expect(cli(s, 'primary', 'status').stdout).toMatch(
      /last stop +ended without stopping after .*; checked$/m,
    );
    // A clean stop replaces the record with its own, to be checked in turn.
    await s.pair.signal('primary', 'SIGTERM');
    s.pair.start('primary');
    const after = await s.pair.waitForState('primary', 'Working');
    expect(after.local.lastShutdown).toMatchObject({
      clean: true,
      checked: false,
      reason: 'the agent received SIGTERM',
    });
  });
});

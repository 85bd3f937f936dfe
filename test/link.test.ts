// Two real agent processes on loopback: the link comes up verified, a lost peer is seen within
// the heartbeat budget, a restarted peer reconnects, a stopped peer shows as Stopped, and
// misconfigured pairs end in ConfigurationError with the reason visible in `status --json`.
import { Pair, runCli, tempDir } from './harness/pair';
import { writeLocalPair } from '@sparesync/devkit';
import { ControlClient, controlTargetFromSettings, loadSettings } from '@sparesync/common';
import { join } from 'node:path';

const intervalMs = 250;

describe('a linked pair', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await Pair.create();
    await pair.startBoth();
  });
  afterAll(() => pair.stop());

  it('is connected and verified on both sides, with round trip and clock offset measured', async () => {
    const p = await pair.waitForStatus('primary', 'rtt measured', (s) => s.link.rttMs > 0);
    expect(p.local).toMatchObject({ role: 'primary', state: 'Working' });
    expect(p.remote).toMatchObject({ role: 'secondary', state: 'Working', reachable: true });
    expect(p.link.connected).toBe(true);
    expect(Math.abs(p.link.clockOffsetMs)).toBeLessThan(1000);
    const cli = runCli(['status', '--config', pair.config('secondary'), '--json']);
    expect(cli.code).toBe(0);
    const s = JSON.parse(cli.stdout);
    expect(s.local).toMatchObject({ role: 'secondary', state: 'Working', version: p.local.version });
    expect(s.remote).toMatchObject({ state: 'Working', reachable: true });
    expect(s.link).toMatchObject({ connected: true });
    expect(typeof s.link.rttMs).toBe('number');
    expect(typeof s.link.clockOffsetMs).toBe('number');
  });

  it('sees a frozen peer as lost within 3 heartbeat intervals, and reconnects when it resumes', async () => {
    await pair.signal('primary', 'SIGSTOP');
    const stoppedAt = Date.now();
    await pair.waitForStatus('secondary', 'link down', (s) => !s.link.connected, 10_000);
    const seenAfter = Date.now() - stoppedAt;
    // 3 intervals plus one check period of the watchdog and the polling step of the test.
    expect(seenAfter).toBeLessThan(4 * intervalMs + 300);
    const st = await pair.status('secondary');
    expect(st.local.state).toBe('Inactive');
    expect(st.remote.state).toBe('Unknown');
    await pair.signal('primary', 'SIGCONT');
    await pair.waitForStatus(
      'secondary',
      'link up again',
      (s) => s.link.connected && s.local.state === 'Working',
    );
  });

  it('sees kill -9 of the primary at once, and reconnects after a restart', async () => {
    await pair.signal('primary', 'SIGKILL');
    const killedAt = Date.now();
    await pair.waitForStatus('secondary', 'link down', (s) => !s.link.connected, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(3 * intervalMs + 300);
    pair.start('primary');
    const s = await pair.waitForStatus(
      'secondary',
      'reconnected',
      (x) => x.link.connected && x.remote.state === 'Working',
    );
    expect(s.local.state).toBe('Working');
    const transitions = s.history.map((t) => `${t.from}->${t.to}`);
    expect(transitions).toEqual(expect.arrayContaining(['Working->Inactive', 'Inactive->Working']));
  });

  it('shows a peer stopped with SIGTERM as Stopped, not lost', async () => {
    await pair.signal('primary', 'SIGTERM');
    expect(await pair.procs.primary?.exited).toBe(0);
    const s = await pair.waitForStatus('secondary', 'peer Stopped', (x) => x.remote.state === 'Stopped');
    expect(s.remote.reason).toMatch(/SIGTERM/);
    expect(s.local.state).toBe('Inactive');
    expect(s.local.reason).toMatch(/stopped/);
  });
});

describe('refusals', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await Pair.create();
    pair.start('primary');
    await pair.waitForState('primary', 'Inactive');
  });
  afterAll(() => pair.stop());

  it('refuses a client whose certificate comes from another CA', async () => {
    const other = await writeLocalPair({ dir: tempDir('other') });
    const target = controlTargetFromSettings(loadSettings(pair.config('primary')));
    const foreign = controlTargetFromSettings(loadSettings(other.primaryConfig));
    const client = new ControlClient({ ...target, cert: foreign.cert, key: foreign.key });
    await expect(client.getStatus(3000)).rejects.toThrow(/cannot reach|refused/);
    client.close();
    // The same agent still answers a client of its own pair.
    expect((await pair.status('primary')).local.role).toBe('primary');
  });

  it('refuses a peer whose certificate is not the pinned one, on both sides', async () => {
    // The secondary pins a fingerprint that is not the primary's certificate.
    pair.patchSettings('secondary', { peer: { fingerprint: '00'.repeat(32) } });
    pair.start('secondary');
    const s = await pair.waitForState('secondary', 'ConfigurationError');
    expect(s.local.reason).toMatch(/does not match peer\.fingerprint/);
    expect(s.link.connected).toBe(false);
    // The primary's calls are refused by the secondary's Link service in turn.
    const p = await pair.waitForState('primary', 'ConfigurationError');
    expect(p.local.reason).toMatch(/the peer refuses this agent's certificate/);
    expect(p.link.connected).toBe(false);
  });
});

describe('configuration errors of the pair (guide §8.1)', () => {
  const cases: [string, object, RegExp][] = [
    ['pair key mismatch', { pairKeyFile: 'other-pair.key' }, /pair key/],
    [
      'clock offset beyond the limit',
      { testing: { clockSkewMs: 45_000 }, link: { maxClockOffsetSeconds: 30 } },
      /clocks differ by/,
    ],
    ['different versions', { testing: { versionOverride: '9.9.9' } }, /different versions/],
    ['identical roles', { role: 'primary' }, /both servers have the role primary/],
  ];
  it.each(cases)(
    '%s ends in ConfigurationError with the reason in status --json',
    async (_name, patch, reason) => {
      const pair = await Pair.create();
      try {
        if ('pairKeyFile' in patch) {
          require('node:fs').writeFileSync(
            join(pair.files.dir, 'other-pair.key'),
            'a-completely-different-pair-key-0123456789',
            {
              mode: 0o600,
            },
          );
        }
        pair.patchSettings('secondary', patch);
        pair.start('primary');
        pair.start('secondary');
        await pair.waitForState('secondary', 'ConfigurationError');
        const cli = runCli(['status', '--config', pair.config('secondary'), '--json']);
        expect(cli.code).toBe(0);
        const s = JSON.parse(cli.stdout);
        expect(s.local.state).toBe('ConfigurationError');
        expect(s.local.reason).toMatch(reason);
      } finally {
        await pair.stop();
      }
    },
  );
});

describe('start-up failures', () => {
  it('refuses invalid settings with the same lines as config validate', async () => {
    const pair = await Pair.create();
    try {
      pair.patchSettings('primary', { network: { blockSizeBytes: 'big' }, lsten: {} });
      const p = pair.start('primary');
      expect(await p.exited).toBe(2);
      const out = pair.consoleOutput('primary');
      expect(out).toMatch(/\/network\/blockSizeBytes = "big": expected an integer/);
      expect(out).toMatch(/\/lsten = \{\}: unknown setting/);
    } finally {
      await pair.stop();
    }
  });

  it('exits 1 with a clear message when the port is in use', async () => {
    const pair = await Pair.create();
    try {
      const first = pair.start('primary');
      await pair.waitForState('primary', 'Inactive');
      const second = pair.start('primary');
      expect(await second.exited).toBe(1);
      expect(pair.consoleOutput('primary')).toMatch(/cannot listen on 127\.0\.0\.1:\d+ .*listen\.port/);
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      await pair.stop();
    }
  });
});

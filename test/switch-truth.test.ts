// Switches that tell the truth (issue 12, defects 1-6), end to end with two real agents, the
// sample app on each side and its name in BIND9: a switch is done only when the new side serves,
// the state refuses what it does not allow, every attempt has its own id, undo is an RPC with
// honest outcomes, the hand-over lease ends with the hand-over, and turning on clears a failed
// action.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ControlClient,
  controlTargetFromSettings,
  loadSettings,
  type OperatorReply,
  type SwitchLog,
} from '@sparesync/common';
import { failoverSuite, type Setup } from './harness/failover';
import { runCli, waitFor, type Side } from './harness/pair';

jest.setTimeout(180_000);

const suite = failoverSuite('truth.test');
const PRIMARY = '127.0.0.11';
const SECONDARY = '127.0.0.12';

/** The CLI as a script runs it: switches confirmed with --yes (no terminal to ask on). */
const cli = (s: Setup, side: Side, ...args: string[]) =>
  runCli([...args, ...(args[0] === 'switch' ? ['--yes'] : []), '--config', s.pair.config(side)]);
const json = <T>(out: string) => JSON.parse(out) as T;
const answers = (s: Setup, side: Side, what = `the app on the ${side}`) =>
  waitFor(what, async () => ((await s.appAnswers(side)) ? true : undefined), 30_000);

async function working(s: Setup): Promise<void> {
  await s.pair.startBoth();
  await s.pair.waitForStatus(
    'secondary',
    'working with its primary',
    (x) => x.local.state === 'Working' && x.remote.state === 'Working',
    30_000,
  );
}

/** A primary whose stop command fails: a planned switch to it halts at the hand-over. */
const stopFails = { primary: { managedSystem: { stopCommand: '/bin/false' } } };

function haltedHandOver(s: Setup): SwitchLog {
  const r = cli(s, 'secondary', 'switch', '--to', 'secondary', '--json');
  expect(r.code).toBe(1);
  const sw = json<{ lastSwitch: SwitchLog }>(r.stdout).lastSwitch;
  expect(sw).toMatchObject({ phase: 'halted', currentStep: 'hand-over' });
  return sw;
}

/** The primary server dies (kill -9, its app stopped); the secondary takes over. */
async function failedOver(s: Setup): Promise<void> {
  await s.pair.startBoth();
  await s.pair.signal('primary', 'SIGKILL');
  s.app('primary', 'stop');
  await s.pair.waitForState('secondary', 'Switched', 30_000);
  expect(await s.dig()).toEqual([SECONDARY]);
}

test('1: a switch back whose primary cannot serve does not move DNS, halts, and undo restores service', async () => {
  const s = await suite.system();
  await failedOver(s);
  // The primary comes back fenced, with a start command that fails.
  s.pair.patchSettings('primary', { managedSystem: { startCommand: '/bin/false' } });
  s.pair.start('primary');
  await s.pair.waitForStatus('primary', 'fenced at epoch 1', (x) => x.local.state === 'Switched');

  expect(cli(s, 'secondary', 'switch', '--to', 'primary', '--no-wait').code).toBe(0);
  const st = await s.pair.waitForStatus(
    'secondary',
    'the switch back waiting for the primary to serve, or finished',
    (x) =>
      x.local.lastSwitch?.currentStep === 'check-test-page' ||
      ['completed', 'halted'].includes(x.local.lastSwitch?.phase ?? ''),
    60_000,
  );
  expect(st.local.lastSwitch).toMatchObject({ kind: 'SwitchingToPrimary', currentStep: 'check-test-page' });
  expect(st.local.lastSwitch?.steps.map((x) => x.step)).not.toContain('update-dns');
  expect(await s.dig()).toEqual([SECONDARY]);

  const undo = cli(s, 'secondary', 'switch', '--to', 'undo', '--json');
  expect(undo.code).toBe(0);
  const back = json<{ lastSwitch: SwitchLog }>(undo.stdout).lastSwitch;
  expect(back).toMatchObject({ kind: 'SwitchingToSecondary', phase: 'completed' });
  await answers(s, 'secondary');
  expect(await s.dig()).toEqual([SECONDARY]);
});

test('2: a switch while SpareSync is turned off is refused with the reason (exit 3), and on resumes', async () => {
  const s = await suite.system();
  await working(s);
  expect(cli(s, 'secondary', 'off').code).toBe(0);
  await s.pair.waitForState('primary', 'TurnedOff');
  const r = cli(s, 'secondary', 'switch', '--to', 'secondary');
  expect(r.code).toBe(3);
  expect(r.stdout).toMatch(/refused: SpareSync is turned off .*turn it on \(sparesync on\) first/);
  expect((await s.pair.status('secondary')).local.state).toBe('TurnedOff');
  expect(cli(s, 'secondary', 'on').code).toBe(0);
  await s.pair.waitForState('secondary', 'Working');
  await answers(s, 'primary');
  expect(await s.dig()).toEqual([PRIMARY]);

  // The primary alone turned off: its hand-over says so, and its app is never stopped.
  expect(cli(s, 'primary', 'off', '--this-server-only').code).toBe(0);
  const halted = cli(s, 'secondary', 'switch', '--to', 'secondary', '--json');
  expect(halted.code).toBe(1);
  const sw = json<{ lastSwitch: SwitchLog }>(halted.stdout).lastSwitch;
  expect(sw).toMatchObject({ phase: 'halted', currentStep: 'hand-over' });
  expect(sw.error).toMatch(/the primary is turned off .*turn SpareSync on first/);
  expect(await s.appAnswers('primary')).toBe(true);
  expect(await s.dig()).toEqual([PRIMARY]);
});

test('3: a retry of a halted switch is a new attempt the CLI follows to its end', async () => {
  const s = await suite.system(stopFails);
  await working(s);
  const halted = haltedHandOver(s);
  // The retry halts at the same step, as fast: the CLI must see that this attempt ended.
  const retry = cli(s, 'secondary', 'switch', '--to', 'secondary', '--json', '--wait-seconds', '45');
  expect(retry.stderr).not.toMatch(/did not finish within/);
  expect(retry.code).toBe(1);
  const sw = json<{ switchId: string; lastSwitch: SwitchLog }>(retry.stdout);
  expect(sw.lastSwitch).toMatchObject({ id: sw.switchId, phase: 'halted', currentStep: 'hand-over' });
  expect(sw.lastSwitch.id).not.toBe(halted.id);
  expect(sw.lastSwitch.startedAtMs).toBeGreaterThan(halted.startedAtMs);
  expect(sw.lastSwitch.why).toMatch(new RegExp(`retried switch ${halted.id} from step hand-over`));
});

test('4: undo is an RPC; undo of a halted switch reports it cancelled; nothing to undo is refused by name', async () => {
  const s = await suite.system(stopFails);
  await working(s);
  const halted = haltedHandOver(s);
  const client = new ControlClient(controlTargetFromSettings(loadSettings(s.pair.config('secondary'))));
  try {
    const r = await client.call<OperatorReply>('requestSwitch', { to: 'undo' }, 10_000);
    expect(r.accepted).toBe(true);
    expect(r.message).toMatch(/cancelled by the operator before the epoch changed/);
  } finally {
    client.close();
  }
  const st = await s.pair.waitForState('secondary', 'Working');
  expect(st.local.lastSwitch).toMatchObject({ id: halted.id, phase: 'cancelled' });
  const text = cli(s, 'secondary', 'status');
  expect(text.stdout).toMatch(/switch to the secondary \(operator, [^)]+\), cancelled/);
  expect(text.stdout).not.toMatch(/\), completed/);

  // The primary could not stop, so it serves on, without its marker.
  await answers(s, 'primary');
  expect(existsSync(s.sys.markerFile('primary'))).toBe(false);

  const none = cli(s, 'secondary', 'switch', '--to', 'undo');
  expect(none.code).toBe(3);
  expect(none.stdout + none.stderr).toMatch(/no switch under way or halted to undo/);
  expect(none.stdout + none.stderr).not.toMatch(/switch to the undo/);
});

test('5: the hand-over lease ends with the hand-over: a switch and a switch back start nothing again', async () => {
  const s = await suite.system();
  await working(s);
  await answers(s, 'primary');
  expect(cli(s, 'secondary', 'switch', '--to', 'secondary').code).toBe(0);
  await s.pair.waitForState('primary', 'Switched');
  const back = cli(s, 'secondary', 'switch', '--to', 'primary', '--json');
  expect(back.code).toBe(0);
  await answers(s, 'primary');
  // The lease (60 s) has either ended with the hand-over or fires its false alarm.
  const seen = await waitFor(
    'the end of the hand-over lease on the primary',
    async () => {
      const log = s.pair.consoleOutput('primary');
      if (/did not take over within/.test(log)) return 'fired';
      if (/hand-over complete: the secondary took over at epoch 1/.test(log)) return 'ended';
      return undefined;
    },
    90_000,
  );
  expect(seen).toBe('ended');
});

test('6: a failed offline marker write is cleared by on, which writes the marker again', async () => {
  const s = await suite.system();
  // After a switch and a switch back (epoch 2), the secondary's marker guards its stopped app.
  for (const side of ['primary', 'secondary'] as const) {
    const data = join(s.pair.files.dir, side, 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'state.json'), JSON.stringify({ epoch: 2 }));
  }
  // Injected failure: a non-empty folder where the marker goes.
  const marker = s.sys.markerFile('secondary');
  mkdirSync(join(marker, 'in-the-way'), { recursive: true });
  // Not startBoth: it waits for Working, and the secondary is to show the failed write.
  s.pair.start('primary');
  s.pair.start('secondary');
  await s.pair.waitForStatus(
    'secondary',
    'the marker write failed',
    (x) => /WriteOfflineMarker failed/.test(x.local.reason),
    30_000,
  );
  rmSync(marker, { recursive: true });
  expect(cli(s, 'secondary', 'on', '--this-server-only').code).toBe(0);
  await s.pair.waitForState('secondary', 'Working');
  await waitFor('the marker written again', async () => (existsSync(marker) ? true : undefined));
});

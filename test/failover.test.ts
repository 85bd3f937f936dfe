// Failover end to end (issue 3): two agent processes, the sample app on each side started and
// stopped by the agents' commands, DNS switched in a real BIND9 named (and once in the embedded
// server). Each scenario is a fresh pair.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { freePort } from '@sparesync/devkit';
import { failoverSuite, quick, type Setup } from './harness/failover';
import { waitFor } from './harness/pair';

jest.setTimeout(90_000);

const suite = failoverSuite('pair.test');
const { key, queryOnly } = suite;
const setup = suite.system;

async function started(s: Setup): Promise<void> {
  await s.pair.startBoth();
  expect(await s.dig()).toEqual(['127.0.0.11']);
}

/** Waits a while and checks that the secondary did not switch. */
async function noSwitch(s: Setup, forMs = 5000): Promise<string> {
  const until = Date.now() + forMs;
  let reason = '';
  while (Date.now() < until) {
    const st = await s.pair.status('secondary');
    expect(st.local.state).not.toMatch(/Switch/);
    reason = `${st.local.reason} | ${st.local.decision ?? ''}`;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(await s.dig()).toEqual(['127.0.0.11']);
  expect(s.app('secondary', 'status')).not.toBe(0);
  return reason;
}

describe('failover with BIND9', () => {
  test('1. kill -9 of the primary agent and its app: the secondary switches, DNS and app follow', async () => {
    const s = await setup();
    await started(s);
    await s.pair.signal('primary', 'SIGKILL');
    s.app('primary', 'stop');
    const st = await s.pair.waitForState('secondary', 'Switched', 30_000);
    expect(st.local.epoch).toBe(1);
    expect(await s.dig()).toEqual(['127.0.0.12']);
    expect(await s.appAnswers('secondary')).toBe(true);
    expect(existsSync(s.sys.markerFile('secondary'))).toBe(false);
    expect(st.history.map((t) => t.to)).toEqual(expect.arrayContaining(['SwitchingToSecondary', 'Switched']));
    expect(st.remote.reachable).toBe(false);
  });

  test('2. SIGTERM of the primary agent: no switch', async () => {
    const s = await setup();
    await started(s);
    await s.pair.signal('primary', 'SIGTERM');
    await s.pair.waitForStatus('secondary', 'remote Stopped', (x) => x.remote.state === 'Stopped');
    s.app('primary', 'stop');
    expect(await noSwitch(s)).toMatch(/stopped on purpose/);
  });

  test('3a. the primary app down while the link is up: switch (default setting)', async () => {
    const s = await setup();
    await started(s);
    s.app('primary', 'stop');
    await s.pair.waitForState('secondary', 'Switched', 30_000);
    expect(await s.dig()).toEqual(['127.0.0.12']);
    // The primary hears the higher epoch over the live link and fences itself.
    const p = await s.pair.waitForStatus('primary', 'fenced', (x) => x.local.state === 'Switched');
    expect(p.local.epoch).toBe(1);
    // The fence's marker and stop run right after the decision that shows Switched.
    await waitFor('the primary marker', async () =>
      existsSync(s.sys.markerFile('primary')) ? true : undefined,
    );
  });

  test('3b. the primary app down while the link is up: no switch when the setting is off', async () => {
    const s = await setup({
      both: { system: { ...quick.system, switchWhenManagedSystemDownLinkUp: false } },
    });
    await started(s);
    s.app('primary', 'stop');
    expect(await noSwitch(s)).toMatch(/switchWhenManagedSystemDownLinkUp|managed system/);
  });

  test('4. external resources unreachable from the secondary: no switch', async () => {
    const closed = await freePort();
    const s = await setup({ secondary: { externalResources: [`127.0.0.1:${closed}`] } });
    await started(s);
    await s.pair.signal('primary', 'SIGKILL');
    s.app('primary', 'stop');
    expect(await noSwitch(s, 6000)).toMatch(/external|Inactive|unreachable/i);
  });

  test('5. inside a maintenance window: no switch', async () => {
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    // end = start: the whole day (00:00–23:59 left out the minute before midnight, when a CI run
    // once failed this test).
    const s = await setup({ both: { maintenanceWindows: [{ days, start: '00:00', end: '00:00' }] } });
    await started(s);
    await s.pair.signal('primary', 'SIGKILL');
    s.app('primary', 'stop');
    await noSwitch(s);
  });

  test('6. the old primary restarted after a switch: its app stays stopped behind the marker, also when started again later; DNS stays', async () => {
    const s = await setup();
    await started(s);
    await s.pair.signal('primary', 'SIGKILL');
    s.app('primary', 'stop');
    await s.pair.waitForState('secondary', 'Switched', 30_000);
    expect(await s.dig()).toEqual(['127.0.0.12']);
    // The old primary comes back with its app running (a reboot that started it as a service).
    expect(s.app('primary', 'start')).toBe(0);
    s.pair.start('primary');
    const p = await s.pair.waitForStatus(
      'primary',
      'fenced at epoch 1',
      (x) => x.local.state === 'Switched' && x.local.epoch === 1,
    );
    expect(p.local.reason).toMatch(/secondary runs the managed system/);
    await waitFor('the old primary app to stop', async () =>
      s.app('primary', 'status') !== 0 ? true : undefined,
    );
    expect(existsSync(s.sys.markerFile('primary'))).toBe(true);
    expect(await s.dig()).toEqual(['127.0.0.12']);
    const sec = await s.pair.status('secondary');
    expect(sec.local.state).toBe('Switched');
    // The fence is a loop: the app started again behind the agent's back (an operator, a service
    // manager) is found by the status command within managedSystem.fenceCheckSeconds (5 s) and
    // stopped again, and the status says so.
    expect(s.app('primary', 'start')).toBe(0);
    await waitFor(
      'the restarted old primary app to be stopped again',
      async () => (s.app('primary', 'status') !== 0 ? true : undefined),
      30_000,
    );
    const again = await s.pair.waitForStatus('primary', 'the fence to report it', (x) =>
      /found running and stopped again 1 time/.test(x.local.reason),
    );
    expect(again.local).toMatchObject({ state: 'Switched', epoch: 1 });
    expect(existsSync(s.sys.markerFile('primary'))).toBe(true);
    expect(s.pair.consoleOutput('primary')).toMatch(/FencedSystemRunning|found running/);
  });

  test('7a. a wrong TSIG key is found before any switch: ConfigurationError naming the TSIG error', async () => {
    const s = await setup({ tsig: { name: key.name, secret: randomBytes(32).toString('base64') } });
    s.pair.start('primary');
    s.pair.start('secondary');
    const st = await s.pair.waitForState('secondary', 'ConfigurationError');
    expect(st.local.reason).toMatch(/BADSIG/);
    await s.pair.signal('primary', 'SIGKILL');
    s.app('primary', 'stop');
    await noSwitch(s, 4000);
  });

  test('7b. a key that may not update: the DNS step fails by name and is retried; nothing is undone', async () => {
    const s = await setup({ tsig: queryOnly });
    await started(s);
    await s.pair.signal('primary', 'SIGKILL');
    s.app('primary', 'stop');
    const st = await s.pair.waitForStatus(
      'secondary',
      'the DNS step failing',
      (x) => x.local.state === 'SwitchingToSecondary' && /update-dns failed/.test(x.local.reason),
      30_000,
    );
    expect(st.local.reason).toMatch(/REFUSED/);
    expect(st.local.reason).toMatch(/retrying/);
    // Steps already done stay done: the epoch is persisted and the app runs on the secondary.
    expect(st.local.epoch).toBe(1);
    expect(await s.appAnswers('secondary')).toBe(true);
    expect(await s.dig()).toEqual(['127.0.0.11']);
  });
});

describe('failover with the embedded DNS server', () => {
  test('8. the same switch against the DNS server embedded in the secondary agent', async () => {
    const s = await setup({ embedded: true });
    await s.pair.startBoth();
    expect(await s.dig()).toEqual(['127.0.0.11']);
    await s.pair.signal('primary', 'SIGKILL');
    s.app('primary', 'stop');
    await s.pair.waitForState('secondary', 'Switched', 30_000);
    expect(await s.dig()).toEqual(['127.0.0.12']);
    expect(await s.appAnswers('secondary')).toBe(true);
    // The zone survives a restart of the secondary agent.
    await s.pair.signal('secondary', 'SIGTERM');
    s.pair.start('secondary');
    await s.pair.waitForState('secondary', 'Switched', 30_000);
    expect(await s.dig()).toEqual(['127.0.0.12']);
  });
});

// Switching on purpose (issue 6, guide §10.1.2-§10.1.4): a planned switch to the secondary drains
// replication first; after a failover the secondary keeps the returning primary caught up,
// `sparesync switch --to primary` hands the managed system back with the data written in the
// meantime, and a switch that fails at the DNS step is undone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDatabase as Database } from '@sparesync/devkit';
import { failoverSuite, quick, type Setup } from './harness/failover';
import { runCli, waitFor, type Side } from './harness/pair';

jest.setTimeout(150_000);

const suite = failoverSuite('back.test');
const { queryOnly } = suite;
const system = (sampleDatabase: boolean) => suite.system({ sampleDatabase });

const www = (s: Setup, side: Side, name: string) => join(s.pair.files.dir, side, 'www', name);
const dbFile = (s: Setup, side: Side) => join(s.pair.files.dir, side, 'app.sqlite');

function addNote(s: Setup, side: Side, text: string): void {
  const db = new Database(dbFile(s, side));
  try {
    db.prepare('INSERT INTO notes (text) VALUES (?)').run(text);
  } finally {
    db.close();
  }
}

function hasNote(s: Setup, side: Side, text: string): boolean {
  const db = new Database(dbFile(s, side), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM notes WHERE text = ?').get(text) as { n: number }).n === 1;
  } finally {
    db.close();
  }
}

const arrives = (what: string, probe: () => boolean, timeoutMs = 30_000) =>
  waitFor(what, async () => (probe() ? true : undefined), timeoutMs);

/** Kill -9 of the primary server, the secondary takes over, the old primary comes back fenced. */
async function failedOverAndBack(s: Setup): Promise<void> {
  await s.pair.startBoth();
  await s.pair.signal('primary', 'SIGKILL');
  s.app('primary', 'stop');
  await s.pair.waitForState('secondary', 'Switched', 30_000);
  expect(await s.dig()).toEqual(['127.0.0.12']);
}

async function primaryBack(s: Setup): Promise<void> {
  s.pair.start('primary');
  await s.pair.waitForStatus(
    'primary',
    'fenced at epoch 1',
    (x) => x.local.state === 'Switched' && x.local.epoch === 1,
  );
}

test('data written on the secondary reaches the primary; the switch back ends with the primary serving and replicating', async () => {
  const s = await system(true);
  await failedOverAndBack(s);
  writeFileSync(www(s, 'secondary', 'during-failover.txt'), 'written on the secondary\n');
  addNote(s, 'secondary', 'row written on the secondary');

  // The old primary returns: fenced, and kept caught up by the secondary while Switched.
  await primaryBack(s);
  await arrives('the file on the primary', () => existsSync(www(s, 'primary', 'during-failover.txt')));
  await arrives('the row on the primary', () => hasNote(s, 'primary', 'row written on the secondary'));

  const cli = runCli([
    'switch',
    '--yes',
    '--to',
    'primary',
    '--config',
    s.pair.config('secondary'),
    '--json',
  ]);
  expect(cli.stderr).not.toMatch(/failed/);
  expect(cli.code).toBe(0);
  const sw = JSON.parse(cli.stdout) as { lastSwitch: { phase: string; steps: { step: string }[] } };
  expect(sw.lastSwitch.phase).toBe('completed');
  expect(sw.lastSwitch.steps.map((x) => x.step)).toEqual([
    'check-primary-ready',
    'write-offline-marker',
    'stop-managed-system',
    'reverse-sync',
    'persist-epoch',
    'check-test-page',
    'update-dns',
  ]);

  await s.pair.waitForStatus(
    'primary',
    'serving at epoch 2, its peer seen Working (heartbeats may lag the switch by one beat)',
    (x) => x.local.state === 'Working' && x.local.epoch === 2 && x.remote.state === 'Working',
  );
  expect(await s.dig()).toEqual(['127.0.0.11']);
  await waitFor('the app on the primary', async () => ((await s.appAnswers('primary')) ? true : undefined));
  expect(s.app('secondary', 'status')).not.toBe(0);
  expect(existsSync(s.sys.markerFile('secondary'))).toBe(true);
  await waitFor('the primary marker removed', async () =>
    existsSync(s.sys.markerFile('primary')) ? undefined : true,
  );
  expect(readFileSync(www(s, 'primary', 'during-failover.txt'), 'utf8')).toBe('written on the secondary\n');

  // Replication runs primary → secondary again.
  writeFileSync(www(s, 'primary', 'after-switch-back.txt'), 'back on the primary\n');
  addNote(s, 'primary', 'row after the switch back');
  await arrives('the new file on the secondary', () =>
    existsSync(www(s, 'secondary', 'after-switch-back.txt')),
  );
  await arrives('the new row on the secondary', () => hasNote(s, 'secondary', 'row after the switch back'));
});

test('a switch back that fails at the DNS step is undone: the secondary serves again', async () => {
  const s = await system(false);
  await failedOverAndBack(s);
  await primaryBack(s);
  // Injected failure: the secondary now signs with a key that may query but not update, so the
  // DNS step of the switch back is REFUSED (the DNS checks, which only query, stay fine).
  writeFileSync(join(s.pair.files.dir, 'certs', 'dns-query-only.key'), queryOnly.secret + '\n', {
    mode: 0o600,
  });
  s.pair.patchSettings('secondary', {
    dns: { tsig: { keyName: queryOnly.name, secretFile: 'certs/dns-query-only.key' } },
  });
  await s.pair.signal('secondary', 'SIGTERM');
  s.pair.start('secondary');
  await s.pair.waitForState('secondary', 'Switched', 30_000);
  const ask = runCli([
    'switch',
    '--yes',
    '--to',
    'primary',
    '--no-wait',
    '--config',
    s.pair.config('secondary'),
  ]);
  expect(ask.code).toBe(0);
  const failing = await s.pair.waitForStatus(
    'secondary',
    'the DNS step failing',
    (x) => x.local.lastSwitch?.currentStep === 'update-dns' && x.local.lastSwitch.phase === 'waiting',
    30_000,
  );
  expect(failing.local.lastSwitch?.error).toMatch(/REFUSED/);
  // By now the even epoch has handed the managed system to the primary.
  await waitFor(
    'the app on the primary',
    async () => ((await s.appAnswers('primary')) ? true : undefined),
    30_000,
  );

  const undo = runCli([
    'switch',
    '--yes',
    '--to',
    'undo',
    '--no-wait',
    '--config',
    s.pair.config('secondary'),
  ]);
  expect(undo.stderr + undo.stdout).toMatch(/secondary/);
  expect(undo.code).toBe(0);
  // The secondary's service comes back: app started, marker removed; the primary is fenced again.
  await waitFor(
    'the app on the secondary',
    async () => ((await s.appAnswers('secondary')) ? true : undefined),
    30_000,
  );
  // The marker goes right after the start step.
  await waitFor('the marker removed', async () =>
    existsSync(s.sys.markerFile('secondary')) ? undefined : true,
  );
  const p = await s.pair.waitForStatus(
    'primary',
    'fenced again',
    (x) => x.local.state === 'Switched' && x.local.epoch === 3,
  );
  expect(p.local.epoch).toBe(3);
  await waitFor('the primary app stopped', async () => (s.app('primary', 'status') !== 0 ? true : undefined));
  // The record never left the secondary, so the undo's own DNS step has nothing to change.
  await s.pair.waitForState('secondary', 'Switched', 30_000);
  expect(await s.dig()).toEqual(['127.0.0.12']);
});

test('a planned switch to the secondary drains replication first: writes made just before it are not lost', async () => {
  // Changes wait 60 s before they are sent, longer than the drain may take (15 s): the drain's
  // full comparison must send them itself, not wait for the delay.
  const s = await suite.system({
    sampleDatabase: true,
    both: {
      network: { sendDelaySeconds: 60 },
      system: { ...quick.system, reverseSyncTimeoutSeconds: 15 },
    },
  });
  await s.pair.startBoth();
  await s.pair.waitForStatus(
    'secondary',
    'working with its primary',
    (x) => x.local.state === 'Working' && x.link.connected,
  );
  await waitFor('the app on the primary', async () => ((await s.appAnswers('primary')) ? true : undefined));
  // Written right before the switch: still in flight (coalescing delay, row batches) when it starts.
  const names = Array.from({ length: 40 }, (_, i) => `planned-${i}.txt`);
  for (const [i, name] of names.entries()) {
    writeFileSync(www(s, 'primary', name), `written on the primary ${i}\n`);
    addNote(s, 'primary', `planned row ${i}`);
  }
  const cli = runCli([
    'switch',
    '--yes',
    '--to',
    'secondary',
    '--config',
    s.pair.config('secondary'),
    '--json',
  ]);
  expect(cli.stderr).not.toMatch(/failed/);
  expect(cli.code).toBe(0);
  const sw = JSON.parse(cli.stdout) as {
    lastSwitch: { phase: string; steps: { step: string; outcome: string; detail: string }[] };
  };
  expect(sw.lastSwitch.phase).toBe('completed');
  expect(sw.lastSwitch.steps.find((x) => x.step === 'hand-over')).toMatchObject({
    outcome: 'done',
    detail: expect.stringMatching(
      /^the primary stopped its managed system and drained replication in [\d.]+ s$/,
    ),
  });
  // Checked at once: from the odd epoch on the secondary only sends, so what is missing now is lost.
  for (const [i, name] of names.entries()) {
    expect(readFileSync(www(s, 'secondary', name), 'utf8')).toBe(`written on the primary ${i}\n`);
    expect(hasNote(s, 'secondary', `planned row ${i}`)).toBe(true);
  }
  expect(await s.dig()).toEqual(['127.0.0.12']);
  expect(await s.appAnswers('secondary')).toBe(true);
  await s.pair.waitForStatus(
    'primary',
    'fenced at epoch 1',
    (x) => x.local.state === 'Switched' && x.local.epoch === 1,
  );
  expect(s.app('primary', 'status')).not.toBe(0);
  expect(existsSync(s.sys.markerFile('primary'))).toBe(true);
});

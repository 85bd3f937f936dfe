// ManagedSystem with real processes: the sample app started, checked and stopped through its
// commands; a command that runs too long; a failing command with its stderr; the offline marker.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, resolve } from 'node:path';
import { isSpareSyncError } from '@sparesync/common';
import { ManagedSystem } from '../packages/agent/src/managed';
import {
  freePort,
  managedSettings,
  recordingLogger,
  requireSampleApp,
  type LogLine,
  type ManagedPatch,
} from './harness/managed';
import { tempDir, waitFor } from './harness/pair';

const sh = (s: string) => JSON.stringify(s);
const node = sh(process.execPath);

function fetchText(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/health' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Running (a zombie waiting for init to reap it counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('ManagedSystem commands', () => {
  const dir = tempDir('managed');
  const lines: LogLine[] = [];
  const log = recordingLogger(lines);
  const make = (managed: ManagedPatch) =>
    new ManagedSystem(managedSettings(managed), (p) => resolve(dir, p), log);

  it('starts, reports and stops the sample app through its commands', async () => {
    const app = `${node} ${sh(requireSampleApp())}`;
    const port = await freePort();
    const appDir = join(dir, 'app');
    const ms = make({
      startCommand: `${app} start --port ${port} --dir ${sh(appDir)} --name demo`,
      stopCommand: `${app} stop --dir ${sh(appDir)}`,
      statusCommand: `${app} status --dir ${sh(appDir)}`,
      commandTimeoutSeconds: 20,
    });
    try {
      expect(await ms.isRunning()).toBe(false);
      await ms.start();
      expect(await ms.isRunning()).toBe(true);
      expect(await fetchText(port)).toEqual({ status: 200, body: 'sample app demo ok\n' });
      // Its output reached the log, line by line, under the setting's name.
      expect(lines).toContainEqual({
        message: expect.stringMatching(
          /^sample app demo started on http:\/\/127\.0\.0\.1:\d+\/ \(pid \d+\)$/,
        ),
        meta: { setting: 'managedSystem.startCommand', stream: 'stdout' },
      });

      // A second start is a no-op that succeeds (as systemctl start of a running unit).
      await ms.start();
      expect(lines).toContainEqual({
        message: expect.stringMatching(/^sample app already running in .* \(pid \d+\)$/),
        meta: { setting: 'managedSystem.startCommand', stream: 'stdout' },
      });
    } finally {
      await ms.stop();
    }
    expect(await ms.isRunning()).toBe(false);
    await expect(fetchText(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await ms.stop(); // idempotent
  });

  it('does nothing without commands', async () => {
    const ms = make({});
    await expect(ms.start()).resolves.toBeUndefined();
    await expect(ms.stop()).resolves.toBeUndefined();
    await expect(ms.isRunning()).resolves.toBeUndefined();
  });

  it('kills a command that runs longer than commandTimeoutSeconds, with everything it started', async () => {
    const pidFile = join(dir, 'sleep.pid');
    const ms = make({
      startCommand: `echo starting >&2; sh -c 'echo $$ > ${pidFile}; exec sleep 30'`,
      commandTimeoutSeconds: 1,
    });
    const t0 = Date.now();
    const err = await rejection(ms.start());
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err.message).toBe(
      'managedSystem.startCommand did not finish within 1 s (managedSystem.commandTimeoutSeconds) and was killed; last stderr: "starting"',
    );
    expect(isSpareSyncError(err) && err.disposition).toBe('retry');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor('the killed sleep to be gone', async () => (alive(pid) ? undefined : true), 3000);
  });

  it('reports a non-zero exit with the last stderr lines', async () => {
    const script = 'for i in 1 2 3 4 5 6 7; do echo "line $i" >&2; done; echo out; exit 7';
    const err = await rejection(make({ stopCommand: script }).stop());
    expect(err.message).toBe(
      'managedSystem.stopCommand exited with code 7; last stderr: "line 3" / "line 4" / "line 5" / "line 6" / "line 7"',
    );
    expect(lines).toContainEqual({
      message: 'out',
      meta: { setting: 'managedSystem.stopCommand', stream: 'stdout' },
    });
  });

  it('reads status from the exit code, and a status command that hangs is an error', async () => {
    expect(await make({ statusCommand: 'exit 3' }).isRunning()).toBe(false);
    expect(await make({ statusCommand: 'true' }).isRunning()).toBe(true);
    const err = await rejection(make({ statusCommand: 'sleep 30', commandTimeoutSeconds: 1 }).isRunning());
    expect(err.message).toMatch(/^managedSystem\.statusCommand did not finish within 1 s/);
  });

  it('returns when the command exits even if a background process it started keeps its output open', async () => {
    const t0 = Date.now();
    await make({ startCommand: 'sleep 20 & echo started', commandTimeoutSeconds: 10 }).start();
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('offline marker', () => {
  const dir = tempDir('marker');
  const site = join(dir, 'site');
  mkdirSync(site);
  const log = recordingLogger([]);
  const marker = (offlineMarker: ManagedPatch['offlineMarker']) =>
    new ManagedSystem(managedSettings({ offlineMarker }), (p) => resolve(dir, p), log);

  it('is written whole into the folder (relative to the settings file) and removed idempotently', async () => {
    const ms = marker({ folder: 'site' });
    const file = join(site, 'app_offline.htm');
    expect(ms.offlineMarkerPath).toBe(file);
    writeFileSync(file, 'old');
    await ms.writeOfflineMarker();
    await ms.writeOfflineMarker();
    expect(readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*temporarily offline/);
    expect(readdirSync(site)).toEqual(['app_offline.htm']); // no temp file left
    await ms.removeOfflineMarker();
    expect(existsSync(file)).toBe(false);
    await ms.removeOfflineMarker();
  });

  it('honours another name, does nothing without a folder, and names the setting when it cannot write', async () => {
    await marker({ folder: site, name: 'maintenance.flag' }).writeOfflineMarker();
    expect(existsSync(join(site, 'maintenance.flag'))).toBe(true);

    const none = marker({});
    expect(none.offlineMarkerPath).toBeUndefined();
    await none.writeOfflineMarker();
    await none.removeOfflineMarker();

    const err = await rejection(marker({ folder: 'missing' }).writeOfflineMarker());
    expect(isSpareSyncError(err) && err.code).toBe('OfflineMarkerFailed');
    expect(err.message).toMatch(
      /^cannot write the offline marker .*missing\/app_offline\.htm \(managedSystem\.offlineMarker\.folder\): ENOENT/,
    );
  });
});

// Runs one managed-system command through the shell with a timeout. Output is logged line by line;
// the command line itself is not logged, since it may carry credentials.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { SpareSyncError, type Logger } from '@sparesync/common';
import { OutputLines, stderrSuffix } from './output-lines';

export interface CommandRun {
  /** The setting that holds the command, e.g. managedSystem.startCommand: named in logs and errors. */
  setting: string;
  command: string;
  timeoutMs: number;
  /** The setting that holds the timeout, named when it expires. */
  timeoutSetting: string;
  log: Logger;
}

export interface CommandExit {
  /** null when the command was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
}

/** After the command exits, how long to wait for its output to close. A command that leaves a
 * background process holding stdout (`myserver &`) would otherwise look like it never finished. */
const OUTPUT_GRACE_MS = 500;
const KILL_GRACE_MS = 2000;

/** Resolves with the exit of the command; rejects only when it cannot be run or runs too long. */
export function runCommand(run: CommandRun): Promise<CommandExit> {
  const { setting, log } = run;
  const posix = process.platform !== 'win32';
  return new Promise((resolve, reject) => {
    const started = Date.now();
    // Own process group on POSIX, so a timeout kills the shell and everything it started.
    const child = spawn(run.command, {
      shell: true,
      detached: posix,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out = new OutputLines((line) => log.info(line, { setting, stream: 'stdout' }));
    const err = new OutputLines((line) => log.info(line, { setting, stream: 'stderr' }));
    child.stdout?.setEncoding('utf8').on('data', (c: string) => out.push(c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => err.push(c));

    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child, 'SIGKILL'), KILL_GRACE_MS);
    }, run.timeoutMs);

    child.on('error', (e) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(
        new SpareSyncError('ManagedCommandFailed', `${setting} could not be run: ${e.message}`, { cause: e }),
      );
    });
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, OUTPUT_GRACE_MS).unref();
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      out.end();
      err.end();
      const ms = Date.now() - started;
      log.info(`${setting} finished`, { setting, code, signal, ms });
      if (timedOut) {
        const secs = run.timeoutMs / 1000;
        reject(
          new SpareSyncError(
            'ManagedCommandFailed',
            `${setting} did not finish within ${secs} s (${run.timeoutSetting}) and was killed${stderrSuffix(err.tail())}`,
          ),
        );
        return;
      }
      resolve({ code, signal, stderrTail: err.tail() });
    });
  });
}

/** Throws ManagedCommandFailed naming the setting, the exit code and the last stderr lines. */
export function requireSuccess(setting: string, exit: CommandExit): void {
  if (exit.code === 0) return;
  const how =
    exit.code === null ? `was ended by ${exit.signal ?? 'a signal'}` : `exited with code ${exit.code}`;
  throw new SpareSyncError('ManagedCommandFailed', `${setting} ${how}${stderrSuffix(exit.stderrTail)}`);
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') {
      spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    } else {
      process.kill(-child.pid, signal);
    }
  } catch {
    // already gone
  }
}

// Starts a real primary/secondary pair of agent processes on loopback for end-to-end tests and
// drives them through the same Control client the CLI uses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateFingerprint,
  ControlClient,
  controlTargetFromSettings,
  issueClientCertificate,
  loadSettings,
  type Status,
} from '@sparesync/common';
import {
  deepMerge,
  startAgentProcess,
  writeLocalPair,
  type AgentProcess,
  type LocalPair,
} from '@sparesync/devkit';

export type Side = 'primary' | 'secondary';

export const repoRoot = join(__dirname, '..', '..');
export const cliMain = join(repoRoot, 'packages', 'cli', 'dist', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `sparesync` CLI as a process. */
export function runCli(args: string[], cwd?: string): CliResult {
  const r = spawnSync(process.execPath, [cliMain, ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sparesync-${prefix}-`));
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
  );
}

export class Pair {
  readonly procs: Partial<Record<Side, AgentProcess>> = {};
  private readonly clients: Partial<Record<Side, ControlClient>> = {};

  private constructor(readonly files: LocalPair) {}

  /** Writes a fresh pair into a temp folder; `overrides` are merged into the settings. */
  static async create(
    overrides?: { both?: object; primary?: object; secondary?: object },
    dir = tempDir('pair'),
    extra: { sampleDatabase?: boolean } = {},
  ): Promise<Pair> {
    const fast = {
      network: { remoteCheckIntervalSeconds: 0.25 },
      link: { reconnectInitialMs: 100, reconnectMaxMs: 500 },
    };
    const files = await writeLocalPair({
      dir,
      sampleDatabase: extra.sampleDatabase,
      overrides: { ...overrides, both: deepMerge(fast, overrides?.both) },
    });
    return new Pair(files);
  }

  config(side: Side): string {
    return side === 'primary' ? this.files.primaryConfig : this.files.secondaryConfig;
  }

  /** Changes one side's settings file (the agent reads it at its next start). */
  patchSettings(side: Side, patch: object): void {
    const file = this.config(side);
    writeFileSync(
      file,
      JSON.stringify(deepMerge(JSON.parse(readFileSync(file, 'utf8')) as object, patch), null, 2),
    );
  }

  /** Starts one side's agent; `env` adds to its environment. */
  start(side: Side, env?: Record<string, string>): AgentProcess {
    const p = startAgentProcess(this.config(side), join(this.files.dir, `${side}.console.log`), env);
    this.procs[side] = p;
    return p;
  }

  async startBoth(): Promise<void> {
    this.start('primary');
    this.start('secondary');
    await Promise.all([this.waitForState('primary', 'Working'), this.waitForState('secondary', 'Working')]);
  }

  async signal(side: Side, sig: NodeJS.Signals): Promise<void> {
    const p = this.procs[side];
    if (!p) return;
    p.child.kill(sig);
    if (sig === 'SIGKILL' || sig === 'SIGTERM') await p.exited;
  }

  status(side: Side, timeoutMs = 2000): Promise<Status> {
    let c = this.clients[side];
    if (!c) {
      c = new ControlClient(controlTargetFromSettings(loadSettings(this.config(side))));
      this.clients[side] = c;
    }
    return c.getStatus(timeoutMs);
  }

  waitForStatus(side: Side, what: string, pred: (s: Status) => boolean, timeoutMs = 15_000): Promise<Status> {
    return waitFor(
      `${side}: ${what}`,
      async () => {
        const s = await this.status(side);
        return pred(s) ? s : undefined;
      },
      timeoutMs,
    );
  }

  waitForState(side: Side, state: string, timeoutMs = 15_000): Promise<Status> {
    return this.waitForStatus(side, `state ${state}`, (s) => s.local.state === state, timeoutMs);
  }

  consoleOutput(side: Side): string {
    try {
      return readFileSync(join(this.files.dir, `${side}.console.log`), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    for (const c of Object.values(this.clients)) c?.close();
    for (const p of Object.values(this.procs)) {
      if (p && p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGCONT');
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
    if (!process.env.SPARESYNC_KEEP_TEST_DIRS) rmSync(this.files.dir, { recursive: true, force: true });
  }
}

/**
 * The arguments the integrator examples (examples/) take to reach the primary's agent with a new
 * read-only client certificate: --address, --ca, --cert, --key, --fingerprint.
 */
export async function exampleClientArgs(pair: Pair): Promise<string[]> {
  const certs = join(pair.files.dir, 'certs');
  const c = await issueClientCertificate({ dir: certs, name: 'integrator', role: 'readonly', keyBits: 2048 });
  const settings = JSON.parse(readFileSync(pair.config('primary'), 'utf8')) as { listen: { port: number } };
  return [
    ...['--address', `127.0.0.1:${settings.listen.port}`, '--ca', join(certs, 'ca.crt')],
    ...['--cert', c.cert, '--key', c.key],
    ...['--fingerprint', certificateFingerprint(readFileSync(join(certs, 'primary.crt')))],
  ];
}

// A whole failover system for benchmarks: two agent processes on loopback, the sample managed app
// on each side, DNS on the secondary's embedded server (packages/devkit/src/sample-system.ts: what
// `sparesync demo` runs and the e2e tests check). Shared by `pnpm bench failover` and
// `pnpm bench switchback`; drives the agents only through their Control API and the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyTemplate,
  ControlClient,
  controlTargetFromSettings,
  loadSettings,
  type Status,
} from '@sparesync/common';
import {
  deepMerge,
  sampleSystem,
  startAgentProcess,
  writeLocalPair,
  type AgentProcess,
  type LocalPair,
  type SampleSystem,
} from '@sparesync/devkit';

export type Side = 'primary' | 'secondary';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` every 10 ms until it returns a value; probe errors count as "not yet". */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** system:fast with the given allowable response time, heartbeat 1 s, no recovery wait. */
export function benchSettings(allowableS: number, heartbeatS = 1): object {
  return deepMerge(applyTemplate({}, 'system:fast').doc, {
    system: { allowableResponseTimeSeconds: allowableS, externalResourcesRecoverySeconds: 0 },
    network: { remoteCheckIntervalSeconds: heartbeatS },
  });
}

export interface BenchSystem {
  dir: string;
  sys: SampleSystem;
  pair: LocalPair;
  agents: Partial<Record<Side, AgentProcess>>;
  config(side: Side): string;
  /** The app's start/stop/status command by hand; returns the exit code. */
  app(side: Side, verb: 'start' | 'stop' | 'status'): number;
  /** The app's test page answers 200 within `timeoutMs`. */
  appAnswers(side: Side, timeoutMs?: number): Promise<boolean>;
  startAgent(side: Side): AgentProcess;
  /** SIGKILL (or another signal) to one agent; resolves when it has exited. */
  killAgent(side: Side, signal?: NodeJS.Signals): Promise<void>;
  status(side: Side, timeoutMs?: number): Promise<Status>;
  waitStatus(side: Side, what: string, pred: (s: Status) => boolean, timeoutMs?: number): Promise<Status>;
  /** Agents first (they could restart an app), then the apps, then the folder unless `keep`. */
  close(keep?: boolean): Promise<void>;
}

export interface BenchSystemOptions {
  /** Temp folder prefix. */
  name: string;
  /** Deep-merged into both sides' settings after the sample system's. */
  both?: object;
  /** Deep-merged into one side's settings; may use the sample system (its app folders). */
  side?: (sys: SampleSystem, side: Side) => object | undefined;
  /** The demo's SQLite database on both sides (primary/app.sqlite → secondary/app.sqlite). */
  sampleDatabase?: boolean;
}

export async function benchSystem(o: BenchSystemOptions): Promise<BenchSystem> {
  const dir = mkdtempSync(join(tmpdir(), `sparesync-bench-${o.name}-`));
  const sys = await sampleSystem({ dir });
  const pair = await writeLocalPair({
    dir,
    sampleDatabase: o.sampleDatabase,
    overrides: {
      both: deepMerge(sys.overrides.both, o.both),
      primary: deepMerge(sys.overrides.primary, o.side?.(sys, 'primary')),
      secondary: deepMerge(sys.overrides.secondary, o.side?.(sys, 'secondary')),
    },
  });
  const agents: Partial<Record<Side, AgentProcess>> = {};
  const clients: Partial<Record<Side, ControlClient>> = {};
  const config = (side: Side) => (side === 'primary' ? pair.primaryConfig : pair.secondaryConfig);
  const client = (side: Side) =>
    (clients[side] ??= new ControlClient(controlTargetFromSettings(loadSettings(config(side)))));
  const app = (side: Side, verb: 'start' | 'stop' | 'status') =>
    spawnSync('/bin/sh', ['-c', sys.appCommand(side, verb)], { encoding: 'utf8', timeout: 20_000 }).status ??
    -1;
  const status = (side: Side, timeoutMs = 2000) => client(side).getStatus(timeoutMs);
  const s: BenchSystem = {
    dir,
    sys,
    pair,
    agents,
    config,
    app,
    appAnswers: async (side, timeoutMs = 200) => {
      try {
        const r = await fetch(`http://127.0.0.1:${sys.appPorts[side]}/health`, {
          signal: AbortSignal.timeout(timeoutMs),
        });
        return r.ok;
      } catch {
        return false;
      }
    },
    startAgent: (side) => {
      const p = startAgentProcess(config(side), join(dir, `${side}.console.log`));
      agents[side] = p;
      return p;
    },
    killAgent: async (side, signal = 'SIGKILL') => {
      const p = agents[side];
      if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
      p.child.kill(signal);
      await p.exited;
    },
    status,
    waitStatus: (side, what, pred, timeoutMs = 60_000) =>
      until(
        `${side}: ${what}`,
        async () => {
          const st = await status(side, 1000);
          return pred(st) ? st : undefined;
        },
        timeoutMs,
      ),
    close: async (keep = false) => {
      for (const c of Object.values(clients)) c?.close();
      for (const side of ['primary', 'secondary'] as const) await s.killAgent(side);
      app('secondary', 'stop');
      app('primary', 'stop');
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  return s;
}

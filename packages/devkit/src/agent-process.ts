// Runs sparesync-agent as a child process (the demo and the end-to-end tests do this).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { agentNodeOptions } from '@sparesync/common';

export function agentMainPath(): string {
  return join(dirname(require.resolve('@sparesync/agent/package.json')), 'dist', 'main.js');
}

/** The built `sparesync` CLI, for instructions the demo prints. */
export function cliMainPath(): string {
  return join(dirname(require.resolve('@sparesync/cli/package.json')), 'dist', 'main.js');
}

export interface AgentProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/**
 * Starts an agent; its console output goes to `outputFile` when given, else is discarded. `env`
 * adds to this process's environment (the fault suite preloads libfaketime with it).
 * SPARESYNC_AGENT_NODE_ARGS (space-separated) adds node options that NODE_OPTIONS refuses, such
 * as `--cpu-prof --cpu-prof-dir=DIR` (a CPU profile of each agent, written when it exits).
 */
export function startAgentProcess(
  configFile: string,
  outputFile?: string,
  env: Record<string, string> = {},
): AgentProcess {
  const out = outputFile ? openSync(outputFile, 'a') : 'ignore';
  const extra = (process.env.SPARESYNC_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...agentNodeOptions, ...extra, agentMainPath(), '--config', configFile];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return { child, exited };
}

#!/usr/bin/env -S node --max-semi-space-size=16
// `sparesync-agent --config FILE`: runs one agent in the foreground until SIGTERM/SIGINT.
// The first line starts node with agentNodeOptions (@sparesync/common) when the bin runs by itself;
// main-shebang.test.ts keeps the two the same.
import type { Agent } from './agent';
import { askHostZoneName } from './link/handshake';
import { keepYoungGenerationSmall } from './memory';

// The agent's modules (and @sparesync/common's) load once the zone's child node has started.
const common = () => require('@sparesync/common') as typeof import('@sparesync/common');

const usage = `Usage: sparesync-agent --config FILE

Runs one SpareSync agent (primary or secondary, as the settings file says) in the foreground.
Logs go to the console and to the file named by log.file in the settings.
SIGTERM or SIGINT stops it cleanly and tells the peer agent, which then shows it as Stopped.

Options:
  -c, --config FILE   the settings file (sparesync.json); check it with \`sparesync config validate FILE\`
  -V, --version       print the version
  -h, --help          print this help

Exit codes: 0 stopped cleanly, 1 failed at run time, 2 invalid settings or certificates, 64 bad usage,
75 restart requested (Control Restart, \`sparesync restart\`): let the service manager start it again
(systemd: Restart=on-failure, or RestartForceExitStatus=75).`;

function parseArgs(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(usage + '\n');
      process.exit(0);
    }
    if (a === '-V' || a === '--version') {
      process.stdout.write(common().sparesyncVersion() + '\n');
      process.exit(0);
    }
    if (a === '-c' || a === '--config') return argv[i + 1];
    if (a?.startsWith('--config=')) return a.slice('--config='.length);
  }
  return undefined;
}

/**
 * Every stream and task has an owner that handles its failure (DESIGN.md "Every promise has an
 * owner"), so a rejection that reaches here is a bug. Node 20 would end the process on it, and
 * with it replication and the fence; instead it is logged with its stack, and the agent goes on:
 * the part whose promise it was retries or reports as it does for any failure it sees.
 */
function keepRunningOnUnhandledRejection(log: () => Agent['log'] | undefined): void {
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    const line = `internal error, please report it: a failure nobody handled (the agent keeps running): ${text}`;
    const logger = log();
    if (logger) logger.error(line);
    else process.stderr.write(`sparesync-agent: ${line}\n`);
  });
}

async function main(): Promise<void> {
  const running: { agent?: Agent } = {};
  keepRunningOnUnhandledRejection(() => running.agent?.log);
  const configFile = parseArgs(process.argv.slice(2));
  if (!configFile) {
    process.stderr.write(`sparesync-agent: --config FILE is required\n\n${usage}\n`);
    process.exit(64);
  }
  // The handshake's zone name comes from a child node: it runs while the agent's modules load.
  void askHostZoneName();
  let agent: Agent;
  try {
    const { Agent } = require('./agent') as typeof import('./agent');
    agent = await Agent.start(configFile);
  } catch (e) {
    if (common().isSpareSyncError(e)) {
      process.stderr.write(`sparesync-agent: ${e.toLine()}\n`);
      process.exit(e.disposition === 'config' ? 2 : 1);
    }
    process.stderr.write(`sparesync-agent: failed to start: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  }
  running.agent = agent;
  // Bursts grow the young generation to its 16 MB semi-spaces (agentNodeOptions), starting too.
  keepYoungGenerationSmall();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    agent
      .stop(`the agent received ${signal}`)
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        process.stderr.write(`sparesync-agent: error while stopping: ${String(e)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();

#!/usr/bin/env node
// `sparesync-demo` (`pnpm demo`): a whole local failover system — two agents, a sample app per side, the
// embedded DNS server on the secondary, a replicated folder — and a one-line view of it every
// second, so a newcomer can kill the primary and watch the switch.
import { Command, CommanderError } from 'commander';
import { agentNodeOptions, isSpareSyncError, loadSettings } from '@sparesync/common';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { agentMainPath } from './agent-process';
import { writeLocalPair } from './local-pair';
import { sampleSystem } from './sample-system';
import { runDemo } from './demo-run';

interface DemoOptions {
  dir: string;
  setupOnly?: boolean;
  force?: boolean;
}

export function buildDemoProgram(): Command {
  return new Command('sparesync-demo')
    .description(
      'Set up and run a complete local failover pair: two agents, a sample app on each side, DNS, a replicated folder.',
    )
    .option('--dir <dir>', 'folder for the demo pair', 'sparesync-demo')
    .option(
      '--setup-only',
      'write the files and stop; start the agents yourself with sparesync-agent --config',
    )
    .option('--force', 'replace an existing demo pair in the folder')
    .addHelpText(
      'after',
      `
What it makes in DIR: certs/ (pair CA, agent certificates, pair key, DNS TSIG key), primary.json and
secondary.json on loopback ports, primary/ and secondary/ (data, logs, the sample app, www/).
An existing pair in the folder is reused unless --force is given.

While it runs, each second shows both agents' states, the link and what the DNS name answers.
Press k to kill the primary server (its agent with kill -9 and its app), and watch the secondary
take over: DNS moves to the secondary's address and its app starts. Edit files in
DIR/primary/www and they appear in DIR/secondary/www. Ctrl-C (or q) stops everything.`,
    )
    .action(async (opts: DemoOptions) => {
      const dir = resolve(opts.dir);
      const primaryConfig = join(dir, 'primary.json');
      const secondaryConfig = join(dir, 'secondary.json');
      if (opts.force || !existsSync(primaryConfig) || !existsSync(secondaryConfig)) {
        const sys = await sampleSystem({ dir });
        await writeLocalPair({ dir, force: opts.force, overrides: sys.overrides, sampleDatabase: true });
        process.stdout.write(`wrote a local pair to ${dir}: primary.json, secondary.json, certs/\n`);
      } else {
        process.stdout.write(`using the pair already in ${dir} (--force makes a new one)\n`);
      }
      if (opts.setupOnly) {
        process.stdout.write(
          `start the primary's app and the agents with:\n  ${loadSettings(primaryConfig).settings.managedSystem.startCommand}\n` +
            `  node ${agentNodeOptions.join(' ')} ${agentMainPath()} --config ${primaryConfig}\n  node ${agentNodeOptions.join(' ')} ${agentMainPath()} --config ${secondaryConfig}\n`,
        );
        return;
      }
      await runDemo(dir, primaryConfig, secondaryConfig);
    });
}

async function main(): Promise<void> {
  try {
    await buildDemoProgram().exitOverride().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 64;
      return;
    }
    const line = isSpareSyncError(e) ? e.toLine() : e instanceof Error ? e.message : String(e);
    process.stderr.write(`sparesync-demo: ${line}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main();

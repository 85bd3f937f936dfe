#!/usr/bin/env node
// `sparesync`: the operator's command. Each command group lives in its own file under commands/.
import { Command, CommanderError } from 'commander';
import { isSpareSyncError, sparesyncVersion } from '@sparesync/common';
import { registerAdminCommands } from './commands/admin';
import { registerCertsCommands } from './commands/certs';
import { registerConfigCommands } from './commands/config';
import { registerDbCommands } from './commands/db';
import { registerDiagnosticsCommands } from './commands/diagnostics';
import { registerInstallServiceCommand } from './commands/install-service';
import { registerOperatorCommands } from './commands/operate';
import { registerSettingsCommands } from './commands/settings';
import { registerStatusCommand } from './commands/status';
import { registerWatchCommand } from './commands/watch';
import { ExitCode, exitCodeOf } from './exit-codes';

export function buildProgram(): Command {
  const program = new Command('sparesync')
    .description(
      'Operate a SpareSync failover pair: see and watch its state, turn it off and on, switch, change its settings, test DNS, make its certificates, check its settings, install the agent as a systemd service.',
    )
    .version(sparesyncVersion())
    .showHelpAfterError('(run with --help for usage)');
  registerStatusCommand(program);
  registerWatchCommand(program);
  registerOperatorCommands(program);
  registerSettingsCommands(program);
  registerDiagnosticsCommands(program);
  registerConfigCommands(program);
  registerCertsCommands(program);
  registerDbCommands(program);
  registerInstallServiceCommand(program);
  registerAdminCommands(program);
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
      return;
    }
    if (isSpareSyncError(e)) {
      process.stderr.write(`sparesync: ${e.toLine()}\n`);
      process.exitCode = exitCodeOf(e);
      return;
    }
    process.stderr.write(`sparesync: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = ExitCode.Failure;
  }
}

/**
 * A command that failed is over: exit at once with its code. A call that met its deadline (a
 * frozen agent) leaves its gRPC channel connecting, which would keep Node alive for ever.
 */
async function run(): Promise<void> {
  await main();
  if (process.exitCode !== undefined && process.exitCode !== ExitCode.Ok) process.exit();
}

if (require.main === module) void run();

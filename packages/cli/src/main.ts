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
import { errorJson, ExitCode, exitCodeOf } from './exit-codes';

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

/** Commander's settings apply to subcommands made after them only: set them on every command. */
function forEveryCommand(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) forEveryCommand(sub, fn);
}

async function main(argv = process.argv): Promise<void> {
  // With --json every outcome is JSON on stdout, errors too ({"error": ...}); the one-line
  // message also goes to stderr for the person watching.
  const json = argv.slice(2, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json');
  const program = buildProgram();
  forEveryCommand(program, (c) => {
    c.exitOverride();
    if (json) c.configureOutput({ outputError: () => undefined });
  });
  const fail = (e: unknown, code: number, line: string) => {
    process.exitCode = code;
    if (json) process.stdout.write(errorJson(e, code) + '\n');
    if (line) process.stderr.write(`sparesync: ${line}\n`);
  };
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander printed the message already (not with --json); help and --version end with 0.
      if (e.exitCode === 0) process.exitCode = ExitCode.Ok;
      else fail(e, ExitCode.Usage, json ? e.message.replace(/^error: /, '') : '');
      return;
    }
    if (isSpareSyncError(e)) return fail(e, exitCodeOf(e), e.toLine());
    fail(e, exitCodeOf(e), e instanceof Error ? e.message : String(e));
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

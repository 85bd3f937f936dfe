// What the commands that talk to the local agent share: the options, the client, one-line errors
// that name the operation and the agent, and output as text or --json.
import type { Command } from 'commander';
import {
  ControlClient,
  controlTargetFromSettings,
  isSpareSyncError,
  loadSettings,
  SpareSyncError,
} from '@sparesync/common';
import { controlExitHelp } from '../exit-codes';

export interface ControlOpts {
  config: string;
  json?: boolean;
  timeout: string;
}

export function controlOptions(cmd: Command, examples: string[]): Command {
  return cmd
    .requiredOption('-c, --config <file>', 'settings file of the local agent (sparesync.json)')
    .option('--json', 'print the reply as JSON (for scripts)')
    .option('--timeout <ms>', 'how long to wait for the agent', '10000')
    .addHelpText(
      'after',
      '\nThe CLI reaches the local agent through its Control service (mutual TLS) with control.cert/control.key\n' +
        'from the settings, or the agent certificate when those are not set.\n' +
        `${controlExitHelp}\n\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`,
    );
}

/** Runs `fn` with a client of the agent; errors say what failed, on which agent, and what to do. */
export async function withControl<T>(
  opts: ControlOpts,
  what: string,
  fn: (c: ControlClient) => Promise<T>,
): Promise<T> {
  const loaded = loadSettings(opts.config);
  const client = new ControlClient(controlTargetFromSettings(loaded));
  try {
    return await fn(client);
  } catch (e) {
    if (!isSpareSyncError(e)) throw e;
    throw new SpareSyncError(e.code, `${what} on the ${loaded.settings.role} failed: ${e.message}`, {
      hint: e.hint,
    });
  } finally {
    client.close();
  }
}

export function print(opts: { json?: boolean }, value: unknown, text: string): void {
  process.stdout.write((opts.json ? JSON.stringify(value, null, 2) : text) + '\n');
}

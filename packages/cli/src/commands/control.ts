// What the commands that talk to the local agent share: the options, the client, one-line errors
// that name the operation and the agent, and output as text or --json.
import type { Command } from 'commander';
import {
  ControlClient,
  controlTargetFromSettings,
  isSpareSyncError,
  loadSettings,
  peerControlTargetFromSettings,
  SpareSyncError,
  type ControlTarget,
  type LoadedSettings,
} from '@sparesync/common';
import { controlExitHelp } from '../exit-codes';
import { configOption, secondsOption } from '../options';

export interface ControlOpts {
  config: string;
  json?: boolean;
  /** Milliseconds (given in seconds: --timeout 5). */
  timeout: number;
}

export function controlOptions(cmd: Command, examples: string[], timeoutSeconds = 10): Command {
  return configOption(cmd)
    .option('--json', 'print the reply as JSON (for scripts); errors too, as {"error": {...}}')
    .addOption(
      secondsOption(
        '--timeout <seconds>',
        'how long to wait for each answer of the agent (seconds; 500ms also works)',
        timeoutSeconds,
      ),
    )
    .addHelpText(
      'after',
      '\nThe CLI reaches the local agent through its Control service (mutual TLS) with control.cert/control.key\n' +
        'from the settings, or the agent certificate when those are not set.\n' +
        `${controlExitHelp}\n\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`,
    );
}

/** Runs `fn` with a client of the agent; errors say what failed, on which agent, and what to do. */
export function withControl<T>(
  opts: ControlOpts,
  what: string,
  fn: (c: ControlClient) => Promise<T>,
): Promise<T> {
  const loaded = loadSettings(opts.config);
  return withClient(controlTargetFromSettings(loaded), loaded.settings.role, what, fn);
}

/**
 * Like withControl, but with the agent that runs switches: the secondary's. Run on the primary,
 * the command reaches the secondary's Control service at peer.host:peer.port (its certificate is
 * the pinned peer.fingerprint) with the same client certificate, and says so on stderr.
 */
export function withSwitchRunner<T>(
  opts: ControlOpts,
  what: string,
  fn: (c: ControlClient) => Promise<T>,
): Promise<T> {
  const loaded: LoadedSettings = loadSettings(opts.config);
  if (loaded.settings.role === 'secondary')
    return withClient(controlTargetFromSettings(loaded), 'secondary', what, fn);
  const target = peerControlTargetFromSettings(loaded);
  if (!opts.json)
    process.stderr.write(`switches are run by the secondary's agent: asking it at ${target.address}\n`);
  return withClient(target, 'secondary', what, fn);
}

async function withClient<T>(
  target: ControlTarget,
  role: string,
  what: string,
  fn: (c: ControlClient) => Promise<T>,
): Promise<T> {
  const client = new ControlClient(target);
  try {
    return await fn(client);
  } catch (e) {
    if (!isSpareSyncError(e)) throw e;
    throw new SpareSyncError(e.code, `${what} on the ${role} failed: ${e.message}`, { hint: e.hint });
  } finally {
    client.close();
  }
}

export function print(opts: { json?: boolean }, value: unknown, text: string): void {
  process.stdout.write((opts.json ? JSON.stringify(value, null, 2) : text) + '\n');
}

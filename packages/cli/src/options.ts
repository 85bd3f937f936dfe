// Option values every command parses the same way: the settings file, durations, and the
// confirmation that operations changing the pair ask for unless --yes.
import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from './exit-codes';

/** The settings file when -c is not given: $SPARESYNC_CONFIG, else the installed place. */
export const DEFAULT_CONFIG = '/etc/sparesync/sparesync.json';

export function defaultConfig(): string {
  return process.env['SPARESYNC_CONFIG'] || DEFAULT_CONFIG;
}

/** Adds -c/--config with the default above (read when the command is built, so tests can set the variable). */
export function configOption(
  cmd: Command,
  what = 'settings file of the local agent (sparesync.json)',
): Command {
  return cmd.option(
    '-c, --config <file>',
    `${what}; default $SPARESYNC_CONFIG, else ${DEFAULT_CONFIG}`,
    defaultConfig(),
  );
}

/**
 * A duration in seconds, the one unit of every duration option: "5" and "5s" are 5 s, "1.5" is
 * 1.5 s, "500ms" is half a second. Returns milliseconds; anything else is a usage error (exit 64).
 */
export function parseSeconds(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected seconds, e.g. 5, 2.5, 5s or 500ms.');
  const ms = m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
  if (ms <= 0) throw new InvalidArgumentError('expected more than 0 seconds.');
  return Math.round(ms);
}

/** An option whose value is seconds (parsed to milliseconds); --help shows the default in seconds. */
export function secondsOption(flags: string, description: string, defaultSeconds?: number): Option {
  const option = new Option(flags, description).argParser(parseSeconds);
  return defaultSeconds === undefined ? option : option.default(defaultSeconds * 1000, `${defaultSeconds}`);
}

/** Seconds as text for messages: 10000 ms → "10 s". */
export const secondsText = (ms: number): string => `${ms / 1000} s`;

/**
 * Asks "QUESTION [y/N]" on the terminal unless --yes was given. Without a terminal (a script, a
 * pipe) and without --yes it refuses: an unattended switch or data operation must be explicit.
 */
export async function confirm(opts: { yes?: boolean }, question: string): Promise<void> {
  if (opts.yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`${question} — not confirmed: no terminal to ask on; add --yes to confirm it`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new Error('not confirmed: nothing was done');
  } finally {
    rl.close();
  }
}

/** Adds --yes to a command that asks for confirmation. */
export function yesOption(cmd: Command): Command {
  return cmd.option('-y, --yes', 'do it without asking (needed when there is no terminal, e.g. in scripts)');
}

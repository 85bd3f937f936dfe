// Exit codes scripts can rely on (also listed in README.md, "Exit codes of sparesync").
import { isSpareSyncError } from '@sparesync/common';

export const ExitCode = {
  Ok: 0,
  /** The command failed (agent unreachable, I/O error, a switch that stopped on a failed step, ...). */
  Failure: 1,
  /** Input is invalid: settings, certificates, arguments' values, a settings change that does not validate. */
  Invalid: 2,
  /** The agent understood and declined: its state machine refused (e.g. a switch asked of the primary). */
  Refused: 3,
  /** The client certificate may not do this (a read-only certificate asked to change something). */
  PermissionDenied: 4,
  /** Done on this server only: the peer was not reached (turn on/off, settings set). */
  PeerNotReached: 5,
  /** The command line could not be parsed, or an operation needing confirmation was not confirmed (no terminal, no --yes). */
  Usage: 64,
} as const;

/** A command line the CLI cannot act on, found after parsing (e.g. no --yes without a terminal): exit 64. */
export class UsageError extends Error {}

/** The exit code for an error that ended a command. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return ExitCode.Usage;
  if (!isSpareSyncError(e)) return ExitCode.Failure;
  if (e.code === 'PermissionDenied') return ExitCode.PermissionDenied;
  return e.disposition === 'config' ? ExitCode.Invalid : ExitCode.Failure;
}

/** An error as `--json` prints it on stdout: `{"error": {code, message, hint, exitCode}}`. */
export function errorJson(e: unknown, exitCode: number): string {
  const code = isSpareSyncError(e) ? e.code : exitCode === ExitCode.Usage ? 'Usage' : 'Failed';
  const message = (e instanceof Error ? e.message : String(e)).replace(/^error: /, '');
  const hint = isSpareSyncError(e) ? e.hint : exitCode === ExitCode.Usage ? 'See --help.' : '';
  return JSON.stringify({ error: { code, message, hint, exitCode } }, null, 2);
}

/** For --help of the commands that talk to an agent. */
export const controlExitHelp =
  'Exit codes: 0 done, 1 failed (agent unreachable, operation failed), 2 invalid input or settings,\n' +
  '3 refused by the agent (the reason is printed), 4 the client certificate may not do this (read-only),\n' +
  '5 done on this server only (the peer was not reached), 64 bad usage (or not confirmed: no terminal and no --yes).';

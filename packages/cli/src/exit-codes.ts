// Exit codes scripts can rely on.
export const ExitCode = {
  Ok: 0,
  /** The command failed (agent unreachable, I/O error, ...). */
  Failure: 1,
  /** Input is invalid: settings, certificates, arguments' values. */
  Invalid: 2,
  /** Command line could not be parsed. */
  Usage: 64,
} as const;

// One error type for SpareSync. Every error carries a code from one table, a disposition that
// tells the caller what to do with it, and a hint for the operator.

export type Disposition = 'retry' | 'fatal' | 'config';

export const errorCodes = {
  ConfigInvalid: {
    disposition: 'config',
    hint: 'Fix the settings file; `sparesync config validate FILE` lists every problem.',
  },
  ConfigUnreadable: { disposition: 'config', hint: 'Check the path and permissions of the settings file.' },
  CertUnreadable: {
    disposition: 'config',
    hint: 'Check the tls.* and pairKeyFile paths; `sparesync certs init` creates them.',
  },
  CertInvalid: { disposition: 'config', hint: 'Re-create the certificates with `sparesync certs init`.' },
  PortInUse: {
    disposition: 'fatal',
    hint: 'Another process listens on that port: stop it or change listen.port.',
  },
  ListenFailed: { disposition: 'fatal', hint: 'Check listen.host and listen.port.' },
  PeerUnreachable: {
    disposition: 'retry',
    hint: 'Check that the peer agent runs and that peer.host/peer.port are right.',
  },
  PeerRejected: {
    disposition: 'config',
    hint: "Check peer.fingerprint against the peer certificate's fingerprint.",
  },
  HandshakeFailed: {
    disposition: 'config',
    hint: 'Both servers need the same version, time zone and pair key, and different roles.',
  },
  AgentUnreachable: {
    disposition: 'retry',
    hint: 'Is sparesync-agent running? Check listen.port and control.* in the settings.',
  },
  PermissionDenied: {
    disposition: 'config',
    hint: 'Use a client certificate issued by `sparesync certs issue-client` for this pair.',
  },
  InvalidArgument: { disposition: 'config', hint: 'See --help.' },
  DbSetupInvalid: {
    disposition: 'config',
    hint: 'Fix the database settings or schema (every replicated table needs a primary key), then run `sparesync db install-scripts`.',
  },
  DbUnavailable: {
    disposition: 'retry',
    hint: 'Check that the database server runs and database.connectionString/file are right.',
  },
  DbReinitRequired: {
    disposition: 'fatal',
    hint: 'The replication position is lost or does not match: reinitialise (`sparesync db reinit`).',
  },
  EpochFenced: {
    disposition: 'fatal',
    hint: 'The other server has a higher switch epoch (it took over since): this server must not send data to it. Switch back with the operator procedure.',
  },
  DbBatchInvalid: {
    disposition: 'fatal',
    hint: 'A row batch was malformed or too large; check network.maxReplicaSizeKiB on both servers.',
  },
  PathRejected: {
    disposition: 'config',
    hint: "The path would land outside its folder (absolute, '..', NUL, backslash, or through a symlink pointing out); it was skipped. Remove such symlinks from the receiving folder.",
  },
  FileVerifyFailed: {
    disposition: 'retry',
    hint: "The received file did not match the sender's SHA-256 (the old copy changed during the transfer, or data was damaged); it was discarded and will be sent again.",
  },
  DnsUnavailable: {
    disposition: 'retry',
    hint: 'No usable answer from the DNS server (timeout, SERVFAIL, nothing listening); check dns.server and the firewall (UDP and TCP).',
  },
  DnsRejected: {
    disposition: 'config',
    hint: 'The DNS server refused the request; check dns.tsig (key name, algorithm, secret), dns.zone and the server’s allow-update.',
  },
  DnsRecordConflict: {
    disposition: 'config',
    hint: 'The DNS record no longer holds the expected address (someone else changed it); check the record and dns.primaryAddress/secondaryAddress.',
  },
  DnsResponseInvalid: {
    disposition: 'retry',
    hint: 'The DNS answer was malformed, unsigned or failed TSIG verification; it was ignored.',
  },
  ManagedCommandFailed: {
    disposition: 'retry',
    hint: "Run the command by hand as the agent's user to see why (its output is in the agent log), then fix it or the managedSystem command setting.",
  },
  OfflineMarkerFailed: {
    disposition: 'config',
    hint: "Check that managedSystem.offlineMarker.folder exists and that the agent's user may write to it.",
  },
  Internal: { disposition: 'fatal', hint: 'This is a bug; the log has the details.' },
} as const satisfies Record<string, { disposition: Disposition; hint: string }>;

export type ErrorCode = keyof typeof errorCodes;

export class SpareSyncError extends Error {
  readonly code: ErrorCode;
  readonly disposition: Disposition;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SpareSyncError';
    this.code = code;
    this.disposition = errorCodes[code].disposition;
    this.hint = options?.hint ?? errorCodes[code].hint;
  }

  /** One line for an operator: what failed and what to do. */
  toLine(): string {
    return `${this.message} (${this.code}). ${this.hint}`;
  }
}

export function isSpareSyncError(e: unknown): e is SpareSyncError {
  return e instanceof SpareSyncError;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// DNS failures by name. Every failure of the DNS client is a DnsError: a SpareSyncError whose
// `dnsError` is the DNS name of what went wrong (the server's RCODE, its TSIG error, or one of
// ours such as TIMEOUT), with an operator hint per name and `retryable` for the caller's backoff.
import { SpareSyncError, type ErrorCode } from '@sparesync/common';

/** RCODEs 0–10 (RFC 1035 §4.1.1, RFC 2136 §2.2), indexed by value. */
const rcodes = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
] as const;

/** TSIG error field values (RFC 8945 §4.3). */
const tsigErrors: Record<number, TsigErrorName> = {
  16: 'BADSIG',
  17: 'BADKEY',
  18: 'BADTIME',
  22: 'BADTRUNC',
};
export type TsigErrorName = 'BADSIG' | 'BADKEY' | 'BADTIME' | 'BADTRUNC';
export const TsigError = { NOERROR: 0, BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;

export type RcodeName = (typeof rcodes)[number];

export function rcodeName(rcode: number): string {
  return rcodes[rcode] ?? `RCODE${rcode}`;
}

export function rcodeValue(name: RcodeName): number {
  return rcodes.indexOf(name);
}

export function tsigErrorName(error: number): string {
  return tsigErrors[error] ?? `TSIGERR${error}`;
}

/** Failures that are ours, not the server's. */
type LocalName = 'TIMEOUT' | 'UNREACHABLE' | 'BADRESPONSE' | 'UNSIGNED' | 'BADNAME' | 'BADADDRESS';
export type DnsErrorName = Exclude<RcodeName, 'NOERROR'> | TsigErrorName | LocalName;

const keyHint =
  'check dns.tsig key name, algorithm and secret (dns.tsig.secretFile) against the DNS server’s key';

const table: Record<DnsErrorName, { code: ErrorCode; hint: string }> = {
  TIMEOUT: {
    code: 'DnsUnavailable',
    hint: 'No answer in time: check dns.server (host and port), that the DNS server runs, and the firewall (UDP and TCP).',
  },
  UNREACHABLE: {
    code: 'DnsUnavailable',
    hint: 'Nothing answers at dns.server (connection refused or no route): check its host and port.',
  },
  SERVFAIL: {
    code: 'DnsUnavailable',
    hint: 'The DNS server failed internally; its log says why. Retrying may help.',
  },
  BADRESPONSE: {
    code: 'DnsResponseInvalid',
    hint: 'The answer was malformed or did not match the request; it was ignored.',
  },
  UNSIGNED: {
    code: 'DnsResponseInvalid',
    hint: 'The DNS server answered a signed request without a TSIG signature, so the answer cannot be trusted.',
  },
  BADSIG: { code: 'DnsRejected', hint: `The signature did not verify: ${keyHint}.` },
  BADKEY: { code: 'DnsRejected', hint: `The DNS server does not know this key: ${keyHint}.` },
  NOTAUTH: {
    code: 'DnsRejected',
    hint: `The server is not authoritative for the zone or rejected the key: check dns.zone and dns.server, and ${keyHint}.`,
  },
  BADTIME: {
    code: 'DnsRejected',
    hint: 'The clocks of this server and the DNS server differ by more than the TSIG fudge (300 s): fix the time (NTP).',
  },
  BADTRUNC: { code: 'DnsRejected', hint: `The TSIG MAC was truncated: ${keyHint}.` },
  REFUSED: {
    code: 'DnsRejected',
    hint: 'The DNS server refused: allow updates for the key in dns.tsig.keyName (allow-update/update-policy) and check dns.zone.',
  },
  NOTZONE: {
    code: 'DnsRejected',
    hint: 'The record name is not inside the zone: check dns.recordName and dns.zone.',
  },
  NXDOMAIN: { code: 'DnsRejected', hint: 'The name does not exist: check dns.recordName and dns.zone.' },
  FORMERR: {
    code: 'DnsRejected',
    hint: 'The DNS server could not parse the request; does it support RFC 2136 updates?',
  },
  NOTIMP: {
    code: 'DnsRejected',
    hint: 'The DNS server does not implement this request; does it support RFC 2136 updates?',
  },
  YXDOMAIN: { code: 'DnsRecordConflict', hint: 'A name that should not exist exists.' },
  YXRRSET: { code: 'DnsRecordConflict', hint: 'A record set that should not exist exists.' },
  NXRRSET: {
    code: 'DnsRecordConflict',
    hint: 'The record no longer holds the expected address (another agent or an operator changed it); it was not changed. Check dns.primaryAddress and dns.secondaryAddress.',
  },
  BADNAME: { code: 'InvalidArgument', hint: 'Check dns.zone and dns.recordName.' },
  BADADDRESS: {
    code: 'InvalidArgument',
    hint: 'Check dns.primaryAddress and dns.secondaryAddress (IPv4 or IPv6 addresses).',
  },
};

export class DnsError extends SpareSyncError {
  /** The DNS name of the failure: the server's RCODE or TSIG error, or TIMEOUT, UNREACHABLE, … */
  readonly dnsError: DnsErrorName;
  /** Whether the same request may succeed later without anyone changing anything. */
  readonly retryable: boolean;
  /** For NXRRSET: what the record holds now, read back after the failed compare-and-swap. */
  readonly current?: string[];

  constructor(dnsError: DnsErrorName, message: string, options?: { current?: string[]; cause?: unknown }) {
    const { code, hint } = table[dnsError];
    super(code, message, { hint, cause: options?.cause });
    this.name = 'DnsError';
    this.dnsError = dnsError;
    this.retryable = this.disposition === 'retry';
    if (options?.current) this.current = options.current;
  }
}

export function dnsFailure(
  name: DnsErrorName,
  message: string,
  options?: { current?: string[]; cause?: unknown },
) {
  return new DnsError(name, message, options);
}

export function isDnsErrorName(name: string): name is DnsErrorName {
  return name in table;
}

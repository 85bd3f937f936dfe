// The DNS client: queries and RFC 2136 updates, TSIG-signed when a key is given, with the
// server's signed answer verified before it is believed. Every failure is a DnsError naming the
// DNS error (REFUSED, NOTAUTH/BADSIG, NXRRSET, TIMEOUT…); retrying is the caller's business.
import { randomInt } from 'node:crypto';
import { dnsFailure, isDnsErrorName, rcodeName, tsigErrorName, type DnsError } from './errors';
import { buildQuery, buildUpdate, type Prerequisite, type Update } from './messages';
import { addressType, canonicalAddress, decodeRdata, type AddressType, type RecordData } from './rdata';
import { exchange, serverText, type DnsServerAddress } from './transport';
import { findTsig, signMessage, verifyMessage, type TsigKey } from './tsig';
import { canonicalName, decodeMessage, RRType, type DecodedMessage } from './wire';

export interface DnsRequestOptions {
  server: DnsServerAddress;
  /** Signs requests and requires signed answers; without it requests go unsigned. */
  key?: TsigKey;
  timeoutMs: number;
  /** Clock for TSIG (ms since the epoch); Date.now by default. */
  now?: () => number;
}

/** Sends one request and returns the verified, decoded answer, whatever its RCODE. */
export async function transact(
  options: DnsRequestOptions,
  build: (id: number) => Buffer,
  what: string,
): Promise<DecodedMessage> {
  const now = options.now ?? Date.now;
  let request = build(randomInt(0x10000));
  let requestMac: Buffer | undefined;
  if (options.key)
    ({ message: request, mac: requestMac } = signMessage(request, options.key, { now: now() }));
  const reply = decodeMessage(await exchange(options.server, request, { timeoutMs: options.timeoutMs }));
  const tsig = findTsig(reply);
  if (!options.key) return reply;
  const at = `${what} at ${serverText(options.server)}`;
  if (!tsig) {
    // An unsigned error answer can only make us fail, so its RCODE is reported; an unsigned
    // success is never believed.
    if (reply.rcode !== 0) return reply;
    throw dnsFailure('UNSIGNED', `${at}: the answer carries no TSIG signature`);
  }
  // BADSIG/BADKEY answers have no MAC to check (RFC 8945 §5.3.2); they are failures either way.
  if (tsig.record.error !== 0 && tsig.record.mac.length === 0) return reply;
  const verified = verifyMessage(reply, tsig, options.key, { now: now(), requestMac });
  if (!verified.ok && !(verified.error === 'BADTIME' && tsig.record.error !== 0)) {
    throw dnsFailure(
      'BADRESPONSE',
      `${at}: the answer's TSIG signature does not verify (${verified.error}: ${verified.detail})`,
    );
  }
  return reply;
}

/** The DnsError for an answer whose RCODE (or TSIG error) is not NOERROR. */
export function answerError(
  reply: DecodedMessage,
  server: DnsServerAddress,
  what: string,
  current?: string[],
): DnsError {
  const tsigError = findTsig(reply)?.record.error ?? 0;
  const rcode = rcodeName(reply.rcode);
  const name = tsigError !== 0 ? tsigErrorName(tsigError) : rcode;
  const answered = tsigError !== 0 ? `${rcode} (TSIG error ${name})` : rcode;
  const text = `${what} at ${serverText(server)}: the server answered ${answered}`;
  if (isDnsErrorName(name)) return dnsFailure(name, text, { current });
  return dnsFailure('BADRESPONSE', `${text}, which SpareSync does not know`);
}

export interface QueryResult {
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** Records of the asked type in the answer section (a CNAME chain's end included). */
  records: RecordData[];
  /** Smallest TTL among them. */
  ttl?: number;
  authoritative: boolean;
}

export async function queryRecords(
  options: DnsRequestOptions,
  name: string,
  type: RecordData['type'],
): Promise<QueryResult> {
  const what = `DNS query for ${name} ${type}`;
  const reply = await transact(options, (id) => buildQuery(id, name, type), what);
  if (reply.rcode !== 0 && reply.rcode !== 3) throw answerError(reply, options.server, what);
  const matching = reply.answers.filter((rr) => rr.type === RRType[type]);
  const records = matching.flatMap(
    (rr) => decodeRdata(reply.bytes, rr.rdataOffset, rr.rdata.length, rr.type) ?? [],
  );
  return {
    rcode: reply.rcode === 3 ? 'NXDOMAIN' : 'NOERROR',
    records,
    ttl: matching.length ? Math.min(...matching.map((rr) => rr.ttl)) : undefined,
    authoritative: reply.aa,
  };
}

export interface AddressAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** Canonical text, sorted. */
  addresses: string[];
  ttl?: number;
  authoritative: boolean;
}

/** What `name` resolves to at `server` (for the check that it points at the primary or secondary). */
export async function queryAddress(
  server: DnsServerAddress,
  name: string,
  type: AddressType,
  options: Partial<Omit<DnsRequestOptions, 'server'>> = {},
): Promise<AddressAnswer> {
  const r = await queryRecords({ timeoutMs: 5000, ...options, server }, name, type);
  const addresses = r.records.flatMap((d) => ('address' in d ? [canonicalAddress(d.address)] : [])).sort();
  return { rcode: r.rcode, addresses, ttl: r.ttl, authoritative: r.authoritative };
}

export interface UpdateAddressRequest extends DnsRequestOptions {
  zone: string;
  /** The full name whose A or AAAA record is switched (inside `zone`). */
  name: string;
  ttl: number;
  /** What the record must hold for the update to apply: exactly these addresses ([] = no record), or 'any'. */
  expected: string[] | 'any';
  newAddress: string;
}

export interface UpdateAddressResult {
  name: string;
  type: AddressType;
  address: string;
  /** False when the record already held exactly the new address (e.g. a retry after a lost answer). */
  changed: boolean;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

/**
 * Compare-and-swap of an address record: applies only while the record holds `expected`
 * (RFC 2136 §2.4.2 value-dependent prerequisite), so two agents can never flip it back and forth.
 * On NXRRSET the record is read back: if it already holds the new address the call succeeds with
 * changed=false, otherwise the DnsError carries what it holds now in `current`.
 */
export async function updateAddress(req: UpdateAddressRequest): Promise<UpdateAddressResult> {
  const type = addressType(req.newAddress);
  const address = canonicalAddress(req.newAddress);
  const expected = req.expected === 'any' ? 'any' : req.expected.map(canonicalAddress);
  for (const e of expected === 'any' ? [] : expected) {
    if (addressType(e) !== type) {
      throw dnsFailure(
        'BADADDRESS',
        `expected address ${e} and new address ${address} are of different families`,
      );
    }
  }
  const name = canonicalName(req.name);
  const prerequisites: Prerequisite[] =
    expected === 'any'
      ? []
      : expected.length === 0
        ? [{ kind: 'rrsetAbsent', name, type }]
        : [{ kind: 'rrsetEquals', name, records: expected.map((a) => ({ type, address: a })) }];
  const updates: Update[] = [
    { kind: 'deleteRRset', name, type },
    { kind: 'add', name, ttl: req.ttl, data: { type, address } },
  ];
  const what = `DNS update of ${name} ${type} to ${address}`;
  const reply = await transact(req, (id) => buildUpdate(id, req.zone, prerequisites, updates), what);
  if (reply.rcode === 0) return { name, type, address, changed: true };
  const rcode = rcodeName(reply.rcode);
  if (rcode !== 'NXRRSET' && rcode !== 'YXRRSET') throw answerError(reply, req.server, what);

  // The prerequisite failed: say what the record holds instead of the expected value.
  let current: string[];
  try {
    current = (
      await queryAddress(req.server, name, type, { key: req.key, timeoutMs: req.timeoutMs, now: req.now })
    ).addresses;
  } catch (e) {
    const err = answerError(reply, req.server, what);
    err.message += `; reading the record back failed: ${(e as Error).message}`;
    throw err;
  }
  if (sameSet(current, [address])) return { name, type, address, changed: false };
  const holds = current.length ? current.join(', ') : 'no address';
  const wanted = expected === 'any' ? '' : expected.length ? expected.join(', ') : 'no address';
  const err = answerError(reply, req.server, what, current);
  err.message += `: the record holds ${holds}, not ${wanted}; nothing was changed`;
  throw err;
}

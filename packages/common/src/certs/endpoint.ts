// Who an agent certificate names: the agent's name (its CN) and the host names and addresses its
// peer may dial it by (its subjectAltName). The peer is pinned by fingerprint, so the SAN is for
// other TLS clients (curl, a browser on the admin page) and for operators reading the certificate.
import { isIP } from 'node:net';
import { SpareSyncError } from '../errors';

export interface Endpoint {
  /** Certificate subject CN; also put in the SAN (as an IP entry when it is an address). */
  name: string;
  ips: string[];
  dnsNames: string[];
}

// RFC 1123 labels, plus '_' (seen in internal names) and a leading '*.' wildcard label.
const hostLabel = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const hostPattern = new RegExp(`^(?:\\*\\.)?${hostLabel}(?:\\.${hostLabel})*\\.?$`);

/**
 * The canonical text of an IP literal (IPv6 compressed, lower case, embedded IPv4 in hex, as
 * the URL parser writes it), or undefined when `s` is not one. Brackets around IPv6 are allowed.
 */
export function canonicalIp(s: string): string | undefined {
  const bare = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  const family = isIP(bare);
  // Zone ids (fe80::1%eth0) name an interface of one machine: meaningless in a certificate.
  if (family === 0 || bare.includes('%')) return undefined;
  if (family === 4) return bare.split('.').map(Number).join('.');
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

function checkedHost(item: string, what: string): string {
  // An all-digit last label is a mistyped address (10.0.0.300), never a host name (RFC 3696 §2).
  if (item.length > 253 || !hostPattern.test(item) || /(^|\.)\d+\.?$/.test(item)) {
    throw new SpareSyncError(
      'InvalidArgument',
      `${what}: "${item}" is neither an IP address nor a host name (letters, digits, '-', '_', '.')`,
    );
  }
  return item.replace(/\.$/, '').toLowerCase();
}

/** "host1,10.0.0.5,host1.example.com" → { name: 'host1', ips: ['10.0.0.5'], dnsNames: ['host1.example.com'] } */
export function parseEndpoint(spec: string, what = 'endpoint'): Endpoint {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const [name, ...rest] = items;
  if (name === undefined) {
    throw new SpareSyncError('InvalidArgument', `${what}: expected NAME[,IP|DNS...], got "${spec}"`);
  }
  const endpoint: Endpoint = { name: canonicalIp(name) ?? checkedHost(name, what), ips: [], dnsNames: [] };
  for (const item of rest) {
    const ip = canonicalIp(item);
    if (ip !== undefined) endpoint.ips.push(ip);
    else endpoint.dnsNames.push(checkedHost(item, what));
  }
  return endpoint;
}

export type SanEntry = { type: 'dns'; value: string } | { type: 'ip'; value: string };

/** The SAN of an endpoint: its name, then its DNS names and addresses, each once, all checked. */
export function sanEntries(e: Endpoint, what: string): SanEntry[] {
  // X.520 caps a CN at 64 characters.
  if (e.name === '' || e.name.length > 64) {
    throw new SpareSyncError('InvalidArgument', `${what}: the name must have 1 to 64 characters`);
  }
  const seen = new Set<string>();
  const out: SanEntry[] = [];
  const add = (item: string, mustBeIp = false) => {
    const ip = canonicalIp(item);
    if (mustBeIp && ip === undefined) {
      throw new SpareSyncError('InvalidArgument', `${what}: "${item}" is not an IP address`);
    }
    const entry: SanEntry =
      ip !== undefined ? { type: 'ip', value: ip } : { type: 'dns', value: checkedHost(item, what) };
    const key = `${entry.type}:${entry.value}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(entry);
    }
  };
  add(e.name);
  for (const d of e.dnsNames) add(d);
  for (const ip of e.ips) add(ip, true);
  return out;
}

// From the `dns` settings to what the DNS client needs. The checks JSON Schema cannot express
// (addresses, names inside the zone, the secret file) are here, as Problems naming the setting,
// so `config validate` and the agent report them the same way. The TSIG secret is read from its
// own file and never stored in the settings or logged.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { formatProblem, SpareSyncError, type SettingsProblem, type Settings } from '@sparesync/common';
import { inZone } from './messages';
import { canonicalAddress } from './rdata';
import type { EmbeddedDnsOptions } from './embedded-server';
import type { DnsServerAddress } from './transport';
import { secretBytes, type TsigKey } from './tsig';
import { canonicalName } from './wire';

export type DnsSettings = Settings['dns'];

export interface DnsTarget {
  server: DnsServerAddress;
  zone: string;
  /** The managed system's name. */
  name: string;
  ttl: number;
  timeoutMs: number;
  key: TsigKey;
  primaryAddress: string;
  secondaryAddress: string;
}

const NAME =
  /^(?=.{1,253}\.?$)([A-Za-z0-9_*]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

/** Problems with `dns` settings that the schema accepts; empty when neither DNS part is enabled. */
export function dnsSettingsProblems(dns: DnsSettings): SettingsProblem[] {
  if (!dns.enabled && !dns.embedded.enabled) return [];
  const problems: SettingsProblem[] = [];
  const add = (path: string, value: unknown, message: string) =>
    problems.push({ path: `/dns/${path}`, value, message });
  if (!NAME.test(dns.zone)) add('zone', dns.zone, 'expected a DNS zone name such as example.com');
  if (!NAME.test(dns.recordName))
    add('recordName', dns.recordName, 'expected a full DNS name such as www.example.com');
  else if (NAME.test(dns.zone) && !inZone(dns.recordName, dns.zone)) {
    add('recordName', dns.recordName, `expected a name inside dns.zone (${dns.zone})`);
  }
  const families = (['primaryAddress', 'secondaryAddress'] as const).map((key) => {
    const family = isIP(dns[key]);
    if (!family) add(key, dns[key], 'expected an IPv4 or IPv6 address');
    return family;
  });
  if (families[0] && families[1] && families[0] !== families[1]) {
    add('secondaryAddress', dns.secondaryAddress, 'expected the same address family as dns.primaryAddress');
  } else if (families[0] && canonicalAddress(dns.primaryAddress) === canonicalAddress(dns.secondaryAddress)) {
    add('secondaryAddress', dns.secondaryAddress, 'expected an address different from dns.primaryAddress');
  }
  if (!NAME.test(dns.tsig.keyName)) {
    add(
      'tsig/keyName',
      dns.tsig.keyName,
      'expected the name of the TSIG key that the DNS server allows to update',
    );
  }
  if (dns.embedded.nameServerAddress !== '' && !isIP(dns.embedded.nameServerAddress)) {
    add(
      'embedded/nameServerAddress',
      dns.embedded.nameServerAddress,
      'expected an IPv4 or IPv6 address, or ""',
    );
  }
  if (dns.tsig.secretFile === '')
    add('tsig/secretFile', dns.tsig.secretFile, 'expected the file holding the TSIG secret');
  return problems;
}

/**
 * Reads a TSIG secret file: base64 only, surrounding white space ignored. Refuses a file that
 * others may read, as ssh does for private keys.
 */
export function readTsigSecret(file: string): string {
  let text: string;
  try {
    const mode = statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new SpareSyncError(
        'ConfigInvalid',
        `TSIG secret file ${file} (dns.tsig.secretFile) may be read by other users (mode ${mode.toString(8)})`,
        { hint: `Run: chmod 600 ${file}` },
      );
    }
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if (e instanceof SpareSyncError) throw e;
    throw new SpareSyncError(
      'ConfigUnreadable',
      `cannot read TSIG secret file ${file} (dns.tsig.secretFile): ${(e as Error).message}`,
      {
        hint: 'Check dns.tsig.secretFile and its permissions (the agent must read it; mode 0600).',
      },
    );
  }
  try {
    secretBytes({ name: 'dns.tsig', algorithm: 'hmac-sha256', secret: text });
  } catch {
    throw new SpareSyncError(
      'ConfigInvalid',
      `TSIG secret file ${file} (dns.tsig.secretFile) does not hold a base64 secret`,
      {
        hint: 'Put only the base64 secret in it, as in the DNS server’s key statement (e.g. from `tsig-keygen`).',
      },
    );
  }
  return text;
}

/** The DNS client's view of the settings; throws ConfigInvalid listing every problem. */
export function dnsTargetFromSettings(dns: DnsSettings, resolvePath: (p: string) => string): DnsTarget {
  const problems = dnsSettingsProblems({ ...dns, enabled: true });
  if (problems.length) {
    throw new SpareSyncError(
      'ConfigInvalid',
      `DNS settings are not usable:\n${problems.map((p) => '  ' + formatProblem(p)).join('\n')}`,
    );
  }
  return {
    server: { host: dns.server.host, port: dns.server.port },
    zone: canonicalName(dns.zone),
    name: canonicalName(dns.recordName),
    ttl: dns.ttl,
    timeoutMs: Math.round(dns.timeoutSeconds * 1000),
    key: {
      name: dns.tsig.keyName,
      algorithm: dns.tsig.algorithm,
      secret: readTsigSecret(resolvePath(dns.tsig.secretFile)),
    },
    primaryAddress: canonicalAddress(dns.primaryAddress),
    secondaryAddress: canonicalAddress(dns.secondaryAddress),
  };
}

/**
 * The embedded server's options: dns.zone with the record pointing at the primary when the zone
 * is created, the zone file under dataDir, and the dns.tsig key as the one key allowed to update.
 */
export function embeddedDnsFromSettings(
  dns: DnsSettings,
  resolvePath: (p: string) => string,
  dataDir: string,
): Omit<EmbeddedDnsOptions, 'logger' | 'now'> {
  const target = dnsTargetFromSettings(dns, resolvePath);
  const type = isIP(target.primaryAddress) === 6 ? 'AAAA' : 'A';
  return {
    zone: {
      origin: target.zone,
      nameServers: dns.embedded.nameServers,
      nameServerAddress: dns.embedded.nameServerAddress || undefined,
      records: [{ name: target.name, ttl: target.ttl, data: { type, address: target.primaryAddress } }],
    },
    zoneFile: resolve(resolvePath(dataDir), dns.embedded.zoneFile),
    listen: { host: dns.embedded.listen.host, port: dns.embedded.listen.port },
    keys: [target.key],
  };
}

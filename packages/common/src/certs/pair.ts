// `sparesync certs init` and `sparesync certs issue-client`: a pair's own CA, one certificate per
// agent (server and client of the link), the pair key, and client certificates for the Control API.
import { join } from 'node:path';
import { SpareSyncError } from '../errors';
import { sanEntries, type Endpoint } from './endpoint';
import { certificateFingerprint, generatePairKey } from './fingerprint';
import { CERT_MODE, checkNotExisting, ensureDir, KEY_MODE, writeNewFiles } from './files';
import {
  allowedKeyBits,
  buildCaCertificate,
  buildLeafCertificate,
  defaultKeyBits,
  newKeyPair,
  validityFor,
  type KeyBits,
} from './x509';

export const DEFAULT_CA_DAYS = 3652;
export const DEFAULT_LEAF_DAYS = 1826;

export interface PairOptions {
  dir: string;
  primary: Endpoint;
  secondary: Endpoint;
  /** Replace existing files (and so every fingerprint the peers pin). */
  force?: boolean;
  /** Validity of the agent certificates; the CA lives at least 10 years and never less than them. */
  validDays?: number;
  /** RSA modulus of every key; 3072 by default. */
  keyBits?: KeyBits;
}

export interface PairFiles {
  /** Absolute paths. */
  dir: string;
  caCert: string;
  caKey: string;
  primaryCert: string;
  primaryKey: string;
  secondaryCert: string;
  secondaryKey: string;
  pairKey: string;
  /** SHA-256 of each certificate, upper-case colon hex (what peer.fingerprint holds). */
  fingerprints: { primary: string; secondary: string; ca: string };
  /** ISO 8601 end of validity. */
  notAfter: { ca: string; agents: string };
}

export function checkDays(days: number, what: string): number {
  if (!Number.isInteger(days) || days < 1 || days > 36_500) {
    throw new SpareSyncError(
      'InvalidArgument',
      `${what}: expected a whole number of days from 1 to 36500, got ${days}`,
    );
  }
  return days;
}

export function checkBits(bits: number): KeyBits {
  if (!(allowedKeyBits as readonly number[]).includes(bits)) {
    throw new SpareSyncError(
      'InvalidArgument',
      `key size ${bits}: expected one of ${allowedKeyBits.join(', ')}`,
    );
  }
  return bits as KeyBits;
}

export async function createPairCertificates(opts: PairOptions): Promise<PairFiles> {
  const leafDays = checkDays(opts.validDays ?? DEFAULT_LEAF_DAYS, 'validDays');
  const bits = checkBits(opts.keyBits ?? defaultKeyBits);
  const sans = {
    primary: sanEntries(opts.primary, 'primary'),
    secondary: sanEntries(opts.secondary, 'secondary'),
  };
  const dir = await ensureDir(opts.dir);
  const p = (f: string) => join(dir, f);
  const paths = {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    primaryCert: p('primary.crt'),
    primaryKey: p('primary.key'),
    secondaryCert: p('secondary.crt'),
    secondaryKey: p('secondary.key'),
    pairKey: p('pair.key'),
  };
  const force = opts.force ?? false;
  // Refuse before spending seconds on keys; writeNewFiles checks again when it writes.
  await checkNotExisting(Object.values(paths).slice(1), force);

  // The three keys are generated in parallel on libuv's thread pool.
  const [caKeys, primaryKeys, secondaryKeys] = await Promise.all([
    newKeyPair(bits),
    newKeyPair(bits),
    newKeyPair(bits),
  ]);
  const now = Date.now();
  const caValidity = validityFor(Math.max(DEFAULT_CA_DAYS, leafDays), now);
  const leafValidity = validityFor(leafDays, now);
  // A CN holds at most 64 characters; '/' needs no escaping in RFC 4514 names.
  const caName = `SpareSync CA ${opts.primary.name}/${opts.secondary.name}`.slice(0, 64);
  const caCert = buildCaCertificate(caKeys, caName, caValidity);
  const ca = { certPem: caCert, keys: caKeys };
  const agent = (role: 'primary' | 'secondary', keys: typeof caKeys) =>
    buildLeafCertificate(
      keys,
      {
        name: opts[role].name,
        ou: `agent:${role}`,
        san: sans[role],
        serverAuth: true,
        validity: leafValidity,
      },
      ca,
    );
  const primaryCert = agent('primary', primaryKeys);
  const secondaryCert = agent('secondary', secondaryKeys);

  await writeNewFiles(
    [
      { path: paths.caKey, data: caKeys.privatePem, mode: KEY_MODE },
      { path: paths.primaryKey, data: primaryKeys.privatePem, mode: KEY_MODE },
      { path: paths.secondaryKey, data: secondaryKeys.privatePem, mode: KEY_MODE },
      { path: paths.pairKey, data: generatePairKey() + '\n', mode: KEY_MODE },
      { path: paths.caCert, data: caCert, mode: CERT_MODE },
      { path: paths.primaryCert, data: primaryCert, mode: CERT_MODE },
      { path: paths.secondaryCert, data: secondaryCert, mode: CERT_MODE },
    ],
    force,
  );
  return {
    ...paths,
    fingerprints: {
      primary: certificateFingerprint(primaryCert),
      secondary: certificateFingerprint(secondaryCert),
      ca: certificateFingerprint(caCert),
    },
    notAfter: { ca: caValidity.notAfter.toISOString(), agents: leafValidity.notAfter.toISOString() },
  };
}

// `sparesync certs issue-client`: a certificate for a Control API client (an operator's CLI on
// another machine, a monitoring script), signed by the pair CA made by `certs init`. Its EKU is
// clientAuth only, so it can never serve as an agent, and its OU carries the role the agent grants.
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { join, resolve } from 'node:path';
import { SpareSyncError } from '../errors';
import {
  CERT_MODE,
  checkNotExisting,
  KEY_MODE,
  readCertificate,
  readPrivateKey,
  writeNewFiles,
} from './files';
import { certificateFingerprint } from './fingerprint';
import { checkBits, checkDays, DEFAULT_LEAF_DAYS } from './pair';
import {
  buildLeafCertificate,
  defaultKeyBits,
  fromKeyObjects,
  newKeyPair,
  validityFor,
  type KeyBits,
} from './x509';

export const clientRoles = ['operator', 'readonly'] as const;
export type ClientRole = (typeof clientRoles)[number];

export interface ClientOptions {
  /** The folder of `certs init`: ca.crt and ca.key are read from it, the client files written to it. */
  dir: string;
  /** Becomes the CN and the file names client-<name>.crt/.key. */
  name: string;
  /** 'readonly' (the default) may read status; 'operator' may also switch and turn the pair on/off. */
  role?: ClientRole;
  force?: boolean;
  validDays?: number;
  keyBits?: KeyBits;
}

export interface ClientFiles {
  /** Absolute paths. */
  cert: string;
  key: string;
  fingerprint: string;
  role: ClientRole;
  notAfter: string;
}

/** The CA of `dir`, checked: readable, a CA, its key belongs to it, still valid. */
function loadCa(dir: string) {
  let cert, key;
  try {
    cert = readCertificate(join(dir, 'ca.crt'), 'the pair CA certificate');
    key = readPrivateKey(join(dir, 'ca.key'), 'the pair CA key');
  } catch (e) {
    if (!(e instanceof SpareSyncError)) throw e;
    throw new SpareSyncError(e.code, e.message, {
      hint: 'Give the folder where `sparesync certs init` wrote ca.crt and ca.key.',
    });
  }
  const x509 = new X509Certificate(cert.text);
  if (!x509.ca) throw new SpareSyncError('CertInvalid', `${cert.path} is not a CA certificate`);
  const publicKey = createPublicKey(key.key);
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!spki(publicKey).equals(spki(x509.publicKey))) {
    throw new SpareSyncError('CertInvalid', `${key.path} is not the key of ${cert.path}`);
  }
  const notAfter = new Date(x509.validTo);
  if (notAfter.getTime() <= Date.now()) {
    throw new SpareSyncError('CertInvalid', `${cert.path} expired on ${notAfter.toISOString()}`);
  }
  return { certPem: cert.text, keys: fromKeyObjects(key.key, publicKey), notAfter };
}

export async function issueClientCertificate(opts: ClientOptions): Promise<ClientFiles> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(opts.name) || /^\.+$/.test(opts.name)) {
    throw new SpareSyncError(
      'InvalidArgument',
      `client name "${opts.name}": use 1 to 64 letters, digits, '.', '_' or '-' (it becomes a file name)`,
    );
  }
  const role = opts.role ?? 'readonly';
  if (!clientRoles.includes(role)) {
    throw new SpareSyncError('InvalidArgument', `role "${role}": expected one of ${clientRoles.join(', ')}`);
  }
  const days = checkDays(opts.validDays ?? DEFAULT_LEAF_DAYS, 'validDays');
  const bits = checkBits(opts.keyBits ?? defaultKeyBits);
  const dir = resolve(opts.dir);
  const ca = loadCa(dir);
  const paths = { cert: join(dir, `client-${opts.name}.crt`), key: join(dir, `client-${opts.name}.key`) };
  const force = opts.force ?? false;
  await checkNotExisting([paths.cert, paths.key], force);

  const keys = await newKeyPair(bits);
  const validity = validityFor(days);
  // A certificate must not outlive its issuer: clients would reject it once the CA expires anyway.
  if (validity.notAfter > ca.notAfter) validity.notAfter = ca.notAfter;
  const cert = buildLeafCertificate(
    keys,
    { name: opts.name, ou: `client:${role}`, san: [], serverAuth: false, validity },
    ca,
  );
  await writeNewFiles(
    [
      { path: paths.key, data: keys.privatePem, mode: KEY_MODE },
      { path: paths.cert, data: cert, mode: CERT_MODE },
    ],
    force,
  );
  return {
    ...paths,
    fingerprint: certificateFingerprint(cert),
    role,
    notAfter: validity.notAfter.toISOString(),
  };
}

// Key generation (node:crypto, off the main thread) and certificate building (node-forge, which
// only does RSA). Every certificate of a pair says who it is in its subject:
//   CN = name, O = "SpareSync pair", OU = "ca" | "agent:<role>" | "client:<role>".
import { generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type forge from 'node-forge';
import type { SanEntry } from './endpoint';

/** node-forge (~10 MB resident) is loaded by what builds certificates, never by a running agent. */
const forgeLib = (): typeof forge => require('node-forge') as typeof forge;

export const organization = 'SpareSync pair';
/** 3072-bit RSA: NIST SP 800-57 accepts 2048 only until 2030, and the CA lives 10 years. */
export const defaultKeyBits = 3072;
export const allowedKeyBits = [2048, 3072, 4096] as const;
export type KeyBits = (typeof allowedKeyBits)[number];

const DAY_MS = 86_400_000;
/**
 * notBefore is set this far back so a certificate made on a machine whose clock runs ahead is
 * already valid on the servers.
 */
const BACKDATE_MS = 3_600_000;

export interface KeyPair {
  /** PKCS#8 PEM, what the files hold. */
  privatePem: string;
  forgePrivate: forge.pki.rsa.PrivateKey;
  forgePublic: forge.pki.rsa.PublicKey;
}

const generateRsa = promisify(generateKeyPair);

export async function newKeyPair(bits: KeyBits): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateRsa('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
  });
  return fromKeyObjects(privateKey, publicKey);
}

export function fromKeyObjects(privateKey: KeyObject, publicKey: KeyObject): KeyPair {
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return {
    privatePem,
    forgePrivate: forgeLib().pki.privateKeyFromPem(privatePem),
    forgePublic: forgeLib().pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string),
  };
}

/**
 * 16 random bytes, high bit clear so the DER INTEGER is positive and second-highest bit set so it
 * is always 16 bytes long (no leading zero byte, which would not be minimal DER): 126 random bits.
 */
function serialHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b.toString('hex');
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export function validityFor(days: number, now = Date.now()): Validity {
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

function subject(name: string, ou: string): forge.pki.CertificateField[] {
  return [
    { name: 'organizationName', value: organization },
    { name: 'organizationalUnitName', value: ou },
    { name: 'commonName', value: name },
  ];
}

function newCertificate(keys: KeyPair, name: string, ou: string, validity: Validity): forge.pki.Certificate {
  const cert = forgeLib().pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = serialHex();
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  cert.setSubject(subject(name, ou));
  return cert;
}

export function buildCaCertificate(keys: KeyPair, name: string, validity: Validity): string {
  const cert = newCertificate(keys, name, 'ca', validity);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    // pathLen 0: the pair CA signs only end-entity certificates, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.forgePrivate, forgeLib().md.sha256.create());
  return forgeLib().pki.certificateToPem(cert);
}

export interface LeafRequest {
  name: string;
  /** "agent:primary", "client:operator", ... */
  ou: string;
  san: SanEntry[];
  /** Agents are both TLS server and client of the link; CLI clients only clients. */
  serverAuth: boolean;
  validity: Validity;
}

export function buildLeafCertificate(
  keys: KeyPair,
  req: LeafRequest,
  ca: { certPem: string; keys: Pick<KeyPair, 'forgePrivate'> },
): string {
  const caCert = forgeLib().pki.certificateFromPem(ca.certPem);
  const cert = newCertificate(keys, req.name, req.ou, req.validity);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = req.san.map((e) =>
    e.type === 'ip' ? { type: 7, ip: e.value } : { type: 2, value: e.value },
  );
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: req.serverAuth, clientAuth: true },
    ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
    { name: 'subjectKeyIdentifier' },
    // forge's `keyIdentifier: true` would take the subject's own key, so pass the CA's explicitly.
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.keys.forgePrivate, forgeLib().md.sha256.create());
  return forgeLib().pki.certificateToPem(cert);
}

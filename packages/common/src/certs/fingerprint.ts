// Identifying certificates: the SHA-256 fingerprint peers pin, and the kind/role a certificate of
// the pair CA carries in its OU ("agent:primary", "client:operator", ...).
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { SpareSyncError } from '../errors';

function parse(cert: string | Buffer, what: string): X509Certificate {
  try {
    return new X509Certificate(cert);
  } catch (e) {
    throw new SpareSyncError('CertInvalid', `${what} is not an X.509 certificate (${(e as Error).message})`);
  }
}

function colonHex(hex: string): string {
  return hex.toUpperCase().match(/.{2}/g)!.join(':');
}

/**
 * SHA-256 over the certificate's DER, as upper-case colon-separated hex: the format of Node's
 * X509Certificate.fingerprint256 and of grpc-js sslPeerCertificate.fingerprint256, so pinned
 * values compare with ===. Accepts PEM text or DER bytes.
 */
export function certificateFingerprint(cert: string | Buffer, what = 'the certificate'): string {
  return colonHex(createHash('sha256').update(parse(cert, what).raw).digest('hex'));
}

/** Canonical form of a SHA-256 fingerprint given with or without colons, in any case. */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.trim().replace(/:/g, '');
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) {
    throw new SpareSyncError(
      'InvalidArgument',
      `"${fp}" is not a SHA-256 fingerprint (64 hex digits, colons allowed)`,
    );
  }
  return colonHex(hex);
}

export interface CertificateKind {
  kind: 'agent' | 'client' | 'unknown';
  /** 'primary' | 'secondary' for agents, 'operator' | 'readonly' for clients, '' when unknown. */
  role: string;
}

/** Reads the kind and role from the subject OU that `certs init` / `certs issue-client` write. */
export function certificateKind(cert: string | Buffer): CertificateKind {
  const subject = parse(cert, 'the certificate').subject.split('\n');
  for (const line of subject) {
    const m = /^OU=(agent|client):([A-Za-z]+)$/.exec(line);
    if (m) return { kind: m[1] as 'agent' | 'client', role: m[2]! };
  }
  return { kind: 'unknown', role: '' };
}

/** A new pair key (guide §6): 32 random bytes as base64 text. Both agents hold the same text. */
export function generatePairKey(): string {
  return randomBytes(32).toString('base64');
}

// Certificates and the pair key (guide §6). See certs/README.md for the files and where they go.
export { parseEndpoint, canonicalIp, type Endpoint } from './endpoint';
export {
  certificateFingerprint,
  normalizeFingerprint,
  certificateKind,
  generatePairKey,
  type CertificateKind,
} from './fingerprint';
export { readPem, readCertificate, readPrivateKey, readPairKey, type PemFile } from './files';
export {
  createPairCertificates,
  DEFAULT_CA_DAYS,
  DEFAULT_LEAF_DAYS,
  type PairOptions,
  type PairFiles,
} from './pair';
export {
  issueClientCertificate,
  clientRoles,
  type ClientRole,
  type ClientOptions,
  type ClientFiles,
} from './client';
export { allowedKeyBits, defaultKeyBits, type KeyBits } from './x509';

// Control GetIdentity: who this agent is, with the fingerprint a client pins and the names its
// certificate carries (proto/sparesync.proto, "Dialling an agent").
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  normalizeFingerprint,
  pinnedChannelOptions,
  type Identity,
  type LoadedSettings,
  type Status,
} from '@sparesync/common';

export function identityOf(loaded: LoadedSettings, status: Status): Identity {
  const s = loaded.settings;
  const cert = new X509Certificate(readFileSync(loaded.resolvePath(s.tls.cert)));
  return {
    name: status.local.name,
    role: s.role,
    version: status.local.version,
    fingerprint: cert.fingerprint256,
    peerFingerprint: normalizeFingerprint(s.peer.fingerprint),
    tlsServerName: String(pinnedChannelOptions['grpc.ssl_target_name_override']),
    certificateNames: (cert.subjectAltName ?? '')
      .split(', ')
      .filter(Boolean)
      .map((n) => n.replace(/^(DNS|IP Address):/, '')),
  };
}

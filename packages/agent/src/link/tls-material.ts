// Loads the certificates, key and pair key named in the settings, with errors that name the
// setting and the file at fault.
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { normalizeFingerprint, SpareSyncError, type LoadedSettings } from '@sparesync/common';

export interface TlsMaterial {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  pairKey: Buffer;
  /** Our own certificate's SHA-256 fingerprint (colon hex, upper case). */
  ownFingerprint: string;
  /** The pinned peer fingerprint, normalised. */
  peerFingerprint: string;
  /** Settings paths whose files can be read by group or others. */
  looseFiles: string[];
}

function readSetting(loaded: LoadedSettings, setting: string, rel: string): { data: Buffer; loose: boolean } {
  const file = loaded.resolvePath(rel);
  try {
    const data = readFileSync(file);
    const loose = (statSync(file).mode & 0o077) !== 0;
    return { data, loose };
  } catch (e) {
    throw new SpareSyncError('CertUnreadable', `cannot read ${setting} (${file}): ${(e as Error).message}`);
  }
}

export function loadTlsMaterial(loaded: LoadedSettings): TlsMaterial {
  const s = loaded.settings;
  const ca = readSetting(loaded, 'tls.ca', s.tls.ca);
  const cert = readSetting(loaded, 'tls.cert', s.tls.cert);
  const key = readSetting(loaded, 'tls.key', s.tls.key);
  const pair = readSetting(loaded, 'pairKeyFile', s.pairKeyFile);
  let ownFingerprint: string;
  try {
    ownFingerprint = new X509Certificate(cert.data).fingerprint256;
    new X509Certificate(ca.data);
  } catch (e) {
    throw new SpareSyncError(
      'CertInvalid',
      `tls.cert or tls.ca is not a PEM certificate: ${(e as Error).message}`,
    );
  }
  const pairKey = Buffer.from(pair.data.toString('utf8').trim(), 'utf8');
  if (pairKey.length < 16) {
    throw new SpareSyncError(
      'CertInvalid',
      `pairKeyFile (${loaded.resolvePath(s.pairKeyFile)}) holds no usable key`,
    );
  }
  const looseFiles: string[] = [];
  if (key.loose) looseFiles.push('tls.key');
  if (pair.loose) looseFiles.push('pairKeyFile');
  return {
    ca: ca.data,
    cert: cert.data,
    key: key.data,
    pairKey,
    ownFingerprint,
    peerFingerprint: normalizeFingerprint(s.peer.fingerprint),
    looseFiles,
  };
}

// Writing and reading the pair's files. A private key must never be readable by anyone else, not
// even for a moment: each file is created by open(O_CREAT|O_EXCL) with its final mode (0600 for
// keys), written, fsynced, and only then given its name. Without `force`, the name is taken with
// link(2), which fails when the file exists, so an existing key is never replaced by accident.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileDurably } from '../durable-file';
import { SpareSyncError } from '../errors';
import { certificateFingerprint } from './fingerprint';

export const KEY_MODE = 0o600;
export const CERT_MODE = 0o644;

export interface NewFile {
  path: string;
  data: string;
  mode: number;
}

function refuse(existing: string[]): SpareSyncError {
  const more = existing.length > 1 ? ` (and ${existing.length - 1} more of the files to write)` : '';
  return new SpareSyncError(
    'InvalidArgument',
    `${existing[0]} already exists${more}; refusing to overwrite it`,
    {
      hint: 'Pass --force (force: true) to replace the files; peers that pin the old fingerprints must then be updated.',
    },
  );
}

/** Creates `dir` (0700) when missing; returns its absolute path. */
export async function ensureDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true, mode: 0o700 });
  return abs;
}

/** Throws InvalidArgument naming the first of `paths` that exists, unless `force`. */
export async function checkNotExisting(paths: string[], force: boolean): Promise<void> {
  if (force) return;
  const found = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        () => p,
        () => undefined,
      ),
    ),
  );
  const existing = found.filter((p): p is string => p !== undefined);
  if (existing.length) throw refuse(existing);
}

async function writeOne(f: NewFile, force: boolean): Promise<void> {
  try {
    // Created 0600 and given its mode before its name; without force taken with link(2).
    await writeFileDurably(f.path, f.data, { mode: f.mode, exclusive: !force });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw refuse([f.path]);
    throw e;
  }
}

/** Writes every file (see the header for the guarantees). */
export async function writeNewFiles(files: NewFile[], force: boolean): Promise<void> {
  await checkNotExisting(
    files.map((f) => f.path),
    force,
  );
  for (const f of files) await writeOne(f, force);
}

export interface PemFile {
  /** Absolute path. */
  path: string;
  text: string;
  /** The file can be read or written by group or others: a key file should be 0600. */
  insecureMode: boolean;
}

function readFor(path: string, what: string): PemFile {
  const abs = resolve(path);
  try {
    const text = readFileSync(abs, 'utf8');
    return { path: abs, text, insecureMode: (statSync(abs).mode & 0o077) !== 0 };
  } catch (e) {
    throw new SpareSyncError('CertUnreadable', `cannot read ${what} (${abs}): ${(e as Error).message}`);
  }
}

/**
 * Reads a PEM file named by setting `what` (e.g. 'tls.key'). Errors name the setting and the
 * file, so an operator knows what to fix.
 */
export function readPem(path: string, what: string): PemFile {
  const file = readFor(path, what);
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(file.text)) {
    throw new SpareSyncError('CertInvalid', `${what} (${file.path}) is not a PEM file (no -----BEGIN line)`);
  }
  return file;
}

/** readPem, and the first certificate in it parses; with its fingerprint. */
export function readCertificate(path: string, what: string): PemFile & { fingerprint: string } {
  const file = readPem(path, what);
  return { ...file, fingerprint: certificateFingerprint(file.text, `${what} (${file.path})`) };
}

/** readPem, and it holds a private key Node can use (unencrypted). */
export function readPrivateKey(path: string, what: string): PemFile & { key: KeyObject } {
  const file = readPem(path, what);
  try {
    return { ...file, key: createPrivateKey(file.text) };
  } catch (e) {
    throw new SpareSyncError(
      'CertInvalid',
      `${what} (${file.path}) is not an unencrypted private key (${(e as Error).message})`,
    );
  }
}

/** The pair key file: its trimmed text, as the bytes both agents feed to the handshake HMAC. */
export function readPairKey(
  path: string,
  what = 'pairKeyFile',
): { path: string; key: Buffer; insecureMode: boolean } {
  const file = readFor(path, what);
  const key = Buffer.from(file.text.trim(), 'utf8');
  // generatePairKey writes 44 characters; 16 is the least the handshake accepts.
  if (key.length < 16) {
    throw new SpareSyncError(
      'CertInvalid',
      `${what} (${file.path}) holds no usable key (fewer than 16 characters)`,
    );
  }
  return { path: file.path, key, insecureMode: file.insecureMode };
}

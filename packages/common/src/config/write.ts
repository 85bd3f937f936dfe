// Rewriting a settings file in place. The agent may read the file at any moment and a crash may
// come at any moment, so the file is never half-written: the new text goes to a temp file in the
// same folder (same file system, so rename is atomic), is fsynced, takes the old file's mode (and
// owner, when we may set it), and is renamed over the old file; then the folder is fsynced so the
// rename itself survives a crash.
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The indentation of the first indented line, so a rewrite keeps the operator's layout. */
export function detectIndent(text: string): string {
  return /^[ \t]+(?=\S)/m.exec(text)?.[0] ?? '  ';
}

export function serializeSettings(doc: unknown, originalText?: string): string {
  return JSON.stringify(doc, null, originalText === undefined ? '  ' : detectIndent(originalText)) + '\n';
}

export function writeFileAtomic(file: string, text: string): void {
  const dir = dirname(file);
  const old = statSync(file, { throwIfNoEntry: false });
  const mode = old ? old.mode & 0o7777 : 0o644;
  const tmp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  let written = false;
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
    // openSync's mode is filtered by the umask; set it exactly.
    fchmodSync(fd, mode);
    if (old && process.getuid?.() === 0 && (old.uid !== 0 || old.gid !== 0)) fchownSync(fd, old.uid, old.gid);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) unlinkSync(tmp);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

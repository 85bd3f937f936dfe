// The one way SpareSync persists a file it owns (state, flags, settings, certificates, indexes,
// the offline marker, the embedded zone): a temp file beside the target, written and fsynced,
// renamed over the target (or linked, when the target must not exist yet), then the folder
// fsynced. A crash at any point leaves the old content or the new one, never a mix; a failure
// removes the temp file. The receiver's publishing of replicated files (agent files/atomic-write.ts)
// follows the same steps with its own tuning (metadata, deferred folder syncs).
//
// Temp names start with PROCESS_TEMP_PREFIX (TEMP_PREFIX and a part of this process's), which file
// replication treats as SpareSync's own (never scanned or replicated; removed only when an earlier
// process left it): a marker written inside a replicated folder is not taken away half-written.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { link, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of SpareSync's temp files, at any depth of any folder. */
export const TEMP_PREFIX = '.sparesync-tmp-';

/**
 * TEMP_PREFIX and a part drawn once per process: every temp file this process writes starts with
 * it, so a temp file that does not was left by an earlier process (a crash) and is no write in
 * progress here.
 */
export const PROCESS_TEMP_PREFIX = TEMP_PREFIX + randomBytes(6).toString('hex') + '-';

export interface DurableWriteOptions {
  /** Mode of the new file (default 0600); 'keep': the old file's mode (0644 when there is none),
   * and its owner when running as root. */
  mode?: number | 'keep';
  /** Create the folder (mode 0700) when it is missing. */
  mkdir?: boolean;
  /** Fail with EEXIST instead of replacing a file that is there. */
  exclusive?: boolean;
}

/** Async content: bytes, or a function that writes them to the open temp file. */
export type DurableContent = string | Uint8Array | ((out: FileHandle) => Promise<void>);

export function durableTempPath(target: string): string {
  return join(dirname(target), `${PROCESS_TEMP_PREFIX}${basename(target)}.${randomBytes(6).toString('hex')}`);
}

function oldFile(target: string, o: DurableWriteOptions) {
  const old = o.mode === 'keep' ? statSync(target, { throwIfNoEntry: false }) : undefined;
  const mode =
    typeof o.mode === 'number' ? o.mode : old ? old.mode & 0o7777 : o.mode === 'keep' ? 0o644 : 0o600;
  const owner = old && process.getuid?.() === 0 && (old.uid !== 0 || old.gid !== 0) ? old : undefined;
  return { mode, owner };
}

/** writeFileDurably for synchronous callers (state files read and written at start-up). */
export function writeFileDurablySync(
  target: string,
  data: string | Uint8Array,
  o: DurableWriteOptions = {},
): void {
  const dir = dirname(target);
  if (o.mkdir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { mode, owner } = oldFile(target, o);
  const tmp = durableTempPath(target);
  const fd = openSync(tmp, 'wx', 0o600);
  let placed = false;
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fchmodSync(fd, mode); // exactly, whatever the umask
      if (owner) fchownSync(fd, owner.uid, owner.gid);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (o.exclusive) {
      linkSync(tmp, target);
      unlinkSync(tmp);
    } else renameSync(tmp, target);
    placed = true;
  } finally {
    if (!placed) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/** Temp file, write, fsync, rename (or link when exclusive), fsync of the folder. */
export async function writeFileDurably(
  target: string,
  content: DurableContent,
  o: DurableWriteOptions = {},
): Promise<void> {
  const dir = dirname(target);
  if (o.mkdir) await mkdir(dir, { recursive: true, mode: 0o700 });
  const { mode, owner } = oldFile(target, o);
  const tmp = durableTempPath(target);
  const out = await open(tmp, 'wx', 0o600);
  let placed = false;
  try {
    try {
      if (typeof content === 'function') await content(out);
      else await out.writeFile(content);
      await out.chmod(mode);
      if (owner) await out.chown(owner.uid, owner.gid);
      await out.sync();
    } finally {
      await out.close();
    }
    if (o.exclusive) {
      await link(tmp, target);
      await unlink(tmp);
    } else await rename(tmp, target);
    placed = true;
  } finally {
    if (!placed) await unlink(tmp).catch(() => undefined);
  }
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

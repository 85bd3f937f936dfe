import { cp, link, lutimes, mkdir, readdir, rename, rm, rmdir, utimes } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { lstatOrNull } from './fs-util';
import { ARCHIVE_DIR } from './names';
import { resolveInside, splitRelPath } from './path-safety';

// The `.deleted` archive (guide §11.1): files that replication deletes or overwrites on the
// receiving side are kept for a while. It lives *inside* each synchronized folder, at
// <folder>/.deleted/<folder name>/<path>, as the guide lays it out: being on the same file system,
// archiving is a rename (or a hard link), never a copy. It is never scanned or replicated
// (names.ts isInternalPath).
//
// An entry's archive time is its ctime: the move (and the utimes call after it) sets ctime to now,
// and reading an archived file does not change it (atime would). When a name is taken, the older
// version is renamed to "name.<its archive time>.ext" so both are kept; since that rename touches
// ctime again, pruning takes the time in the name when there is one.
//
// Files are archived one by one, never a directory as a whole: moving a directory would not touch
// its children's ctimes, and pruning would take their old ctimes for their archive time.

const DAY_MS = 86_400_000;
const STAMP = /\.(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(?:-\d+)?(?=\.[^.]*$|$)/;

export function archiveRootFor(folderRoot: string, folderName: string): string {
  return join(folderRoot, ARCHIVE_DIR, folderName);
}

export interface ArchiveOptions {
  /**
   * Hard-link the file into the archive and leave it in place, for a file about to be replaced by
   * writeAtomically: the target path then never goes missing, even for an instant.
   */
  leaveInPlace?: boolean;
}

/**
 * Keeps the current `relPath` of `folderRoot` in the archive (a directory: each file under it, then
 * the emptied directories are removed). Returns the archived path, or null if there was nothing.
 */
export async function archiveBeforeReplace(
  folderRoot: string,
  relPath: string,
  archiveRoot: string,
  options: ArchiveOptions = {},
): Promise<string | null> {
  const src = await resolveInside(folderRoot, relPath);
  const st = await lstatOrNull(src);
  if (!st) return null;
  const segments = splitRelPath(folderRoot, relPath);
  if (st.isDirectory()) {
    if (options.leaveInPlace) {
      throw new SpareSyncError(
        'InvalidArgument',
        `${src} is a directory; only files can be archived in place`,
      );
    }
    for (const name of await readdir(src))
      await archiveBeforeReplace(folderRoot, `${relPath}/${name}`, archiveRoot);
    await rmdir(src);
    return join(archiveRoot, ...segments);
  }
  await ensureArchiveRoot(folderRoot, archiveRoot);
  let dir = archiveRoot;
  for (const seg of segments.slice(0, -1)) {
    dir = join(dir, seg);
    const there = await lstatOrNull(dir);
    if (there && !there.isDirectory()) await moveAside(dir, there);
    if (!there || !there.isDirectory()) await mkdirRacing(dir);
  }
  const dest = join(dir, segments[segments.length - 1]!);
  // Two writes of one path can archive at once (two Files streams: a session restarted while the
  // receiver still applies the old one's frames): one at a time per archive path, or the second
  // would link onto the first's name, or stamp a file the first just moved aside.
  await oneAtATime(dest, async () => {
    const taken = await lstatOrNull(dest);
    if (taken) await moveAside(dest, taken);
    if (options.leaveInPlace) await linkOrCopy(src, dest);
    else await moveOrCopy(src, dest);
    await stampArchiveTime(dest, st);
  });
  return dest;
}

/**
 * Removes archived entries older than `retentionDays` at `now` (ms since the epoch), and the
 * directories left empty; returns the removed files.
 */
export async function pruneArchive(
  archiveRoot: string,
  retentionDays: number,
  now: number,
): Promise<string[]> {
  const cutoff = now - retentionDays * DAY_MS;
  const removed: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) {
        await walk(p);
        await rmdir(p).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
        });
        continue;
      }
      const st = await lstatOrNull(p);
      if (st && archivedAt(d.name, st) < cutoff) {
        await rm(p, { force: true });
        removed.push(p);
      }
    }
  };
  if (await lstatOrNull(archiveRoot)) await walk(archiveRoot);
  return removed;
}

/** The archive time of an entry named `name` (see the top of this file). */
export function archivedAt(name: string, st: Pick<Stats, 'ctimeMs'>): number {
  const m = STAMP.exec(name);
  const stamped = m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : NaN;
  return Number.isNaN(stamped) ? st.ctimeMs : Math.min(stamped, st.ctimeMs);
}

/** "report.txt" archived at t → "report.2024-05-01T10-20-30-123Z.txt". */
export function stampedName(name: string, at: number, n = 0): string {
  const stamp = new Date(at).toISOString().replace(/:/g, '-').replace('.', '-') + (n > 0 ? `-${n}` : '');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}.${stamp}${name.slice(dot)}` : `${name}.${stamp}`;
}

async function moveAside(path: string, st: Stats): Promise<void> {
  const dir = dirname(path);
  const name = basename(path);
  const at = archivedAt(name, st);
  for (let n = 0; ; n++) {
    const aside = join(dir, stampedName(name, at, n));
    if (await lstatOrNull(aside)) continue;
    try {
      await rename(path, aside);
    } catch (e) {
      // Moved aside already by another archiving of the same moment.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return;
  }
}

/** The archive root must be a real directory; under the folder, no part of it may be a symlink. */
async function ensureArchiveRoot(folderRoot: string, archiveRoot: string): Promise<void> {
  const rel = relative(resolve(folderRoot), resolve(archiveRoot));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    await mkdir(archiveRoot, { recursive: true });
    return;
  }
  let dir = resolve(folderRoot);
  for (const seg of rel.split(sep)) {
    dir = join(dir, seg);
    const st = await lstatOrNull(dir);
    if (!st) await mkdirRacing(dir);
    else if (!st.isDirectory()) {
      throw new SpareSyncError('PathRejected', `archive folder ${dir} exists but is not a directory`, {
        hint: `Move ${dir} away: SpareSync keeps deleted files there.`,
      });
    }
  }
}

const archiving = new Map<string, Promise<void>>();

async function oneAtATime(key: string, work: () => Promise<void>): Promise<void> {
  const run = (archiving.get(key) ?? Promise.resolve()).then(work);
  const tail = run.catch(() => undefined);
  archiving.set(key, tail);
  try {
    await run;
  } finally {
    if (archiving.get(key) === tail) archiving.delete(key);
  }
}

/** mkdir that another archiving of the same moment may have done first. */
async function mkdirRacing(dir: string): Promise<void> {
  await mkdir(dir).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST' || !(await lstatOrNull(dir))?.isDirectory()) throw e;
  });
}

async function moveOrCopy(src: string, dest: string): Promise<void> {
  try {
    await rename(src, dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await cp(src, dest, { verbatimSymlinks: true, preserveTimestamps: true });
    await rm(src, { force: true });
  }
}

async function linkOrCopy(src: string, dest: string): Promise<void> {
  try {
    await link(src, dest);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw e;
    await cp(src, dest, { verbatimSymlinks: true, preserveTimestamps: true });
  }
}

/** Rewrites the entry's own times, which sets its ctime (the archive time) to now. */
async function stampArchiveTime(dest: string, original: Stats): Promise<void> {
  const set = original.isSymbolicLink() ? lutimes : utimes;
  await set(dest, original.atimeMs / 1000, original.mtimeMs / 1000);
}

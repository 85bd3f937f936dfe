// What a replicable entry is: the one rule the scan, the sender's re-check of a changed path and
// the watcher apply. A path is replicated when it is not SpareSync's own (names.ts), not
// excluded by the folder's patterns, and a regular file, a directory or (unless folders[].symlinks
// is 'skip') a symlink, never followed. Sockets, FIFOs and devices are not replicated.
import type { Stats } from 'node:fs';
import type { PathMatcher } from './glob';
import { isInternalPath } from './names';

export type EntryType = 'file' | 'dir' | 'symlink';

/** One path of a folder's manifest. Sizes of directories and symlinks are 0. */
export interface ManifestEntry {
  /** posix, relative to the folder root */
  path: string;
  type: EntryType;
  size: number;
  mtimeMs: number;
  /** permission bits (mode & 0o7777) */
  mode: number;
  linkTarget?: string;
  /** Inode number on the scanning side (local only, never sent): finds renames. */
  ino?: number;
}

/** The folder settings the rule reads. */
export interface EntryRule {
  excluded: PathMatcher;
  symlinks: 'keep' | 'skip';
}

/** Whether a path of this kind may be replicated at all, before its stats are known. */
export function replicablePath(rel: string, isDir: boolean, rule: Pick<EntryRule, 'excluded'>): boolean {
  return !isInternalPath(rel) && !rule.excluded(rel, isDir);
}

export function entryType(st: Stats): EntryType | null {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  return null;
}

/**
 * The manifest entry for `rel` with these stats (a symlink's target still to be read), or why it
 * is not replicated: 'special' for sockets, FIFOs and devices (worth telling the operator),
 * 'left out' for internal, excluded and skipped-symlink paths (by the settings; nothing to say).
 */
export function entryOf(rel: string, st: Stats, rule: EntryRule): ManifestEntry | 'special' | 'left out' {
  const type = entryType(st);
  if (type === null) return isInternalPath(rel) ? 'left out' : 'special';
  if ((type === 'symlink' && rule.symlinks === 'skip') || !replicablePath(rel, type === 'dir', rule)) {
    return 'left out';
  }
  return {
    path: rel,
    type,
    size: type === 'file' ? st.size : 0,
    mtimeMs: st.mtimeMs,
    mode: st.mode & 0o7777,
    ino: st.ino,
  };
}

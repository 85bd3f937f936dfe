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

/**
 * Takes entries as fields, with no object per entry (the scan, the list's packing and unpacking,
 * the store: at 100,000 paths an object each was most of a rescan's garbage). `ino` NaN: not
 * known (the receiver's entries); `linkTarget` only for symlinks.
 */
export type EntrySink = (
  path: string,
  type: EntryType,
  size: number,
  mtimeMs: number,
  mode: number,
  ino: number,
  linkTarget: string | undefined,
) => void;

/** The folder settings the rule reads. */
export interface EntryRule {
  excluded: PathMatcher;
  symlinks: 'keep' | 'skip';
}

/** Whether a path of this kind may be replicated at all, before its stats are known. */
export function replicablePath(rel: string, isDir: boolean, rule: Pick<EntryRule, 'excluded'>): boolean {
  return !isInternalPath(rel) && !rule.excluded(rel, isDir);
}

const S_IFMT = 0o170000;

/** The entry type of a stat mode (its S_IFMT bits), or null for sockets, FIFOs and devices. */
export function typeOfMode(mode: number): EntryType | null {
  switch (mode & S_IFMT) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'dir';
    case 0o120000:
      return 'symlink';
    default:
      return null;
  }
}

/**
 * Whether `rel` with this stat mode is replicated: its type, or why not: 'special' for sockets,
 * FIFOs and devices (worth telling the operator), 'left out' for internal, excluded and
 * skipped-symlink paths (by the settings; nothing to say). The scan applies it without making an
 * entry (scan.ts).
 */
export function kindOf(rel: string, mode: number, rule: EntryRule): EntryType | 'special' | 'left out' {
  const type = typeOfMode(mode);
  if (type === null) return isInternalPath(rel) ? 'left out' : 'special';
  if ((type === 'symlink' && rule.symlinks === 'skip') || !replicablePath(rel, type === 'dir', rule)) {
    return 'left out';
  }
  return type;
}

/** The manifest entry for `rel` with these stats (a symlink's target still to be read), or why it
 * is not replicated (kindOf). */
export function entryOf(rel: string, st: Stats, rule: EntryRule): ManifestEntry | 'special' | 'left out' {
  const type = kindOf(rel, st.mode, rule);
  if (type === 'special' || type === 'left out') return type;
  return {
    path: rel,
    type,
    size: type === 'file' ? st.size : 0,
    mtimeMs: st.mtimeMs,
    mode: st.mode & 0o7777,
    ino: st.ino,
  };
}

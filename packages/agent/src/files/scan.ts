import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { ifGone } from './fs-util';
import { compileExcludes } from './glob';
import { kindOf, type EntrySink, type ManifestEntry } from './entry';
import { isInternalPath, TEMP_PREFIX } from './names';

export type { EntrySink, EntryType, ManifestEntry } from './entry';

export interface ScanOptions {
  /** Glob patterns (glob.ts) of paths not replicated. */
  exclude?: readonly string[];
  /**
   * Symlinks are listed as symlinks ('keep', default) or left out ('skip'); never followed, so a
   * link cannot pull files from outside the folder into the replica.
   */
  symlinks?: 'keep' | 'skip';
  /**
   * Told about entries left out for a reason the operator may want to see: sockets, FIFOs and
   * devices, names that are not valid UTF-8 (they cannot be named on the wire), and paths that
   * vanished while being listed. Not told about excluded or internal paths.
   */
  onSkip?: (relPath: string, reason: string) => void;
  /** Called with each directory's path ('' for the root) before it is listed (the sender's first
   * scan sets its watches this way); an error it throws ends the scan. */
  onDirectory?: (relPath: string) => void;
  /** Told the absolute path of each temp file (names.ts TEMP_PREFIX, not a directory) in the
   * directories scanned; the first scan after a start removes those a crash left (atomic-write.ts). */
  onTemp?: (path: string) => void;
}

/**
 * Entries stat'ed with synchronous calls before the scan lets the event loop run. An lstat of a
 * cached inode costs microseconds in this thread against a thread-pool round trip, a promise and
 * a Stats object per call: scanning 100,000 files took 1.3 s with fs.promises, 0.74 s like this. On a cold
 * cache each lstat may wait for the disk; the slice bounds how long heartbeats wait then.
 */
const LSTAT_SLICE = 256;
const NO_THROW = { throwIfNoEntry: false } as const;

/**
 * Lists `root` depth-first in a stable order (names sorted by code unit, a directory before its
 * contents), leaving out SpareSync's own paths, excluded paths (and everything under an excluded
 * directory), and sockets, FIFOs and devices. A path that vanishes while being listed is skipped;
 * any other error (an unreadable directory) ends the scan: a partial manifest must never be
 * compared, or the other side would delete what was not listed.
 */
export async function* scanFolder(root: string, options: ScanOptions = {}): AsyncGenerator<ManifestEntry> {
  let out: ManifestEntry[] = [];
  const sink: EntrySink = (path, type, size, mtimeMs, mode, ino, linkTarget) => {
    const e: ManifestEntry = { path, type, size, mtimeMs, mode, ino };
    if (linkTarget !== undefined) e.linkTarget = linkTarget;
    out.push(e);
  };
  for await (const _ of scanSteps(root, options, sink)) {
    yield* out;
    out = [];
  }
  yield* out;
}

interface Frame {
  /** the directory and a '/': a name appended is its path (no path.join per entry) */
  base: string;
  prefix: string;
  names: string[];
  next: number;
}

/**
 * scanFolder's listing into `sink` (the callers that list whole folders: the sender into its
 * store, the receiver into its packer; at 100,000 entries an entry object and a Stats object with
 * four Dates per path were most of a rescan's garbage). Yields each time before it lets the event
 * loop run, every LSTAT_SLICE entries: the caller may await its own work there.
 *
 * Directories are read with readdirSync: a thread-pool round trip per directory left the thread
 * idle ~0.15 s of a 0.46 s scan of 100,000 files in 1,000 directories.
 */
export async function* scanSteps(
  root: string,
  options: ScanOptions,
  sink: EntrySink,
): AsyncGenerator<void, void, undefined> {
  const rule = { excluded: compileExcludes(options.exclude ?? []), symlinks: options.symlinks ?? 'keep' };
  if (!(await stat(root)).isDirectory()) {
    throw new SpareSyncError('ConfigInvalid', `synchronized folder ${root} is not a directory`, {
      hint: 'Check folders[].primaryPath and secondaryPath.',
    });
  }
  const skip = options.onSkip ?? (() => undefined);
  const frame = (dir: string, prefix: string): Frame => {
    options.onDirectory?.(prefix === '' ? '' : prefix.slice(0, -1));
    return {
      base: dir.endsWith('/') ? dir : dir + '/',
      prefix,
      names: sortedNames(dir, prefix, skip),
      next: 0,
    };
  };

  const stack = [frame(join(root), '')];
  let sinceYield = 0;
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.next >= f.names.length) {
      stack.pop();
      continue;
    }
    if (++sinceYield > LSTAT_SLICE) {
      sinceYield = 0;
      yield;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const name = f.names[f.next++]!;
    const rel = flat(f.prefix + name);
    if (isInternalPath(rel)) {
      if (options.onTemp && name.startsWith(TEMP_PREFIX)) {
        const t = lstatSync(f.base + name, NO_THROW);
        if (t && !t.isDirectory()) options.onTemp(f.base + name);
      }
      continue;
    }
    const st = lstatSync(f.base + name, NO_THROW);
    if (!st) {
      skip(rel, 'vanished while the folder was listed');
      continue;
    }
    const type = kindOf(rel, st.mode, rule);
    if (type === 'special') skip(rel, 'not a file, directory or symlink');
    if (type === 'special' || type === 'left out') continue;
    let target: string | undefined;
    if (type === 'symlink') {
      target = readlinkOrNull(f.base + name) ?? undefined;
      if (target === undefined) {
        skip(rel, 'vanished while the folder was listed');
        continue;
      }
    }
    sink(rel, type, type === 'file' ? st.size : 0, st.mtimeMs, st.mode & 0o7777, st.ino, target);
    if (type === 'dir') stack.push(frame(f.base + name, rel + '/'));
  }
}

function readlinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch (e) {
    return ifGone(e as NodeJS.ErrnoException);
  }
}

/**
 * `s` as one flat string. A path made by `prefix + name` is a rope (V8's ConsString) holding both
 * parts; reading a character flattens it, and the next collection drops the rope and the name.
 * The sender keeps every path for as long as it runs: at 1,000,000 entries this is ~46 bytes each
 * (205 -> 159 bytes per manifest entry, measured with a Map as the sender keeps them).
 */
function flat(s: string): string {
  _flattened ^= s.charCodeAt(0); // kept, so that the optimizing compiler cannot drop the read
  return s;
}
let _flattened = 0;

/**
 * The names in `dir`, sorted by code unit; names that are not valid UTF-8 are told to `skip` and
 * left out. Read as strings, where an invalid sequence shows as U+FFFD; only a directory with
 * that character is read again as bytes to tell the two apart.
 */
function sortedNames(dir: string, prefix: string, skip: (relPath: string, reason: string) => void): string[] {
  let names = readdirSync(dir);
  if (names.some((n) => n.includes('\uFFFD'))) {
    names = [];
    for (const raw of readdirSync(dir, { encoding: 'buffer' })) {
      const name = raw.toString('utf8');
      if (Buffer.from(name, 'utf8').equals(raw)) names.push(name);
      else skip(prefix + name, 'name is not valid UTF-8');
    }
  }
  return names.sort();
}

export async function collectManifest(entries: AsyncIterable<ManifestEntry>): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for await (const e of entries) out.push(e);
  return out;
}

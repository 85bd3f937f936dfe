import { lstatSync } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { ifGone } from './fs-util';
import { compileExcludes } from './glob';
import { entryOf, type ManifestEntry } from './entry';
import { isInternalPath } from './names';

export type { EntryType, ManifestEntry } from './entry';

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
}

/**
 * Entries stat'ed with synchronous calls before the scan lets the event loop run. An lstat of a
 * cached inode costs microseconds in this thread against a thread-pool round trip, a promise and
 * a Stats object per call: scanning 100,000 files took 1.3 s with fs.promises, 0.74 s like this. On a cold
 * cache each lstat may wait for the disk; the slice bounds how long heartbeats wait then.
 */
const LSTAT_SLICE = 256;

/**
 * Lists `root` depth-first in a stable order (names sorted by code unit, a directory before its
 * contents), leaving out SpareSync's own paths, excluded paths (and everything under an excluded
 * directory), and sockets, FIFOs and devices. A path that vanishes while being listed is skipped;
 * any other error (an unreadable directory) ends the scan: a partial manifest must never be
 * compared, or the other side would delete what was not listed.
 */
export async function* scanFolder(root: string, options: ScanOptions = {}): AsyncGenerator<ManifestEntry> {
  const rule = { excluded: compileExcludes(options.exclude ?? []), symlinks: options.symlinks ?? 'keep' };
  if (!(await stat(root)).isDirectory()) {
    throw new SpareSyncError('ConfigInvalid', `synchronized folder ${root} is not a directory`, {
      hint: 'Check folders[].primaryPath and secondaryPath.',
    });
  }

  const skip = options.onSkip ?? (() => undefined);
  let sinceYield = 0;

  async function* walk(dir: string, prefix: string): AsyncGenerator<ManifestEntry> {
    const names: string[] = [];
    for (const raw of await readdir(dir, { encoding: 'buffer' })) {
      const name = raw.toString('utf8');
      if (Buffer.from(name, 'utf8').equals(raw)) names.push(name);
      else skip(prefix + name, 'name is not valid UTF-8');
    }
    names.sort();
    for (let b = 0; b < names.length; b += LSTAT_SLICE) {
      const batch = names.slice(b, b + LSTAT_SLICE);
      if ((sinceYield += batch.length) > LSTAT_SLICE) {
        sinceYield = batch.length;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const stats = batch.map((n) => lstatSync(join(dir, n), { throwIfNoEntry: false }) ?? null);
      for (let i = 0; i < batch.length; i++) {
        const st = stats[i];
        const rel = prefix + batch[i]!;
        if (isInternalPath(rel)) continue;
        if (!st) {
          skip(rel, 'vanished while the folder was listed');
          continue;
        }
        const entry = entryOf(rel, st, rule);
        if (entry === 'special') skip(rel, 'not a file, directory or symlink');
        if (typeof entry === 'string') continue;
        const type = entry.type;
        if (type === 'symlink') {
          const target = await readlink(join(dir, batch[i]!)).catch(ifGone);
          if (target === null) {
            skip(rel, 'vanished while the folder was listed');
            continue;
          }
          entry.linkTarget = target;
        }
        yield entry;
        if (type === 'dir') yield* walk(join(dir, batch[i]!), rel + '/');
      }
    }
  }
  yield* walk(root, '');
}

export async function collectManifest(entries: AsyncIterable<ManifestEntry>): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for await (const e of entries) out.push(e);
  return out;
}

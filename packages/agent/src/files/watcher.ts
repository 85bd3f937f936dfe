// Real-time changes of one folder: one inotify watch (fs.watch) per directory names the changed
// entries (relative, posix); the sender coalesces them. Per directory, not per file: chokidar
// watched every file and kept a record of each, ~700 MB at 100,000 files (bench files).
// Symlinks are never followed; SpareSync's own and excluded paths are not watched.
//
// A directory that appears (created, or moved in with its contents) is watched, and everything
// already inside it is reported, since it may have been filled before its watch existed. A
// directory that goes away has its watches closed. Anything missed (an inotify queue overflow)
// is caught by the next full comparison.
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderConfig } from './folder-config';
import { replicablePath } from './entry';

export interface FolderWatcher {
  /**
   * Watches the directory `rel` ('' for the root), not what is under it; throws when the watch
   * cannot be set (ENOENT and ENOTDIR aside). For a caller that walks the folder itself and
   * calls this before it lists each directory (the sender's first scan): the walk is done once.
   */
  watchDirectory(rel: string): void;
  close(): Promise<void>;
}

/**
 * Watches `cfg.root` and every directory under it (`walk`, the default), or nothing yet when the
 * caller's own walk calls watchDirectory (`walk: false`). Directories that appear later are
 * watched (and what is in them reported) in either case.
 */
export async function watchFolder(
  cfg: FolderConfig,
  onPath: (relPath: string) => void,
  onError: (e: Error) => void,
  options: { walk?: boolean } = {},
): Promise<FolderWatcher> {
  const watches = new Map<string, FSWatcher>(); // by relative path, '' for the root
  let closed = false;
  const skipped = (rel: string, isDir: boolean) => !replicablePath(rel, isDir, cfg);

  /** Watches `rel` alone; false when it is watched already, gone, or the watcher is closed. */
  const watchOne = (rel: string, abs: string): boolean => {
    if (closed || watches.has(rel)) return false;
    let w: FSWatcher;
    try {
      w = watch(abs, { persistent: false }, (_event, name) => {
        if (name === null) onPath(rel);
        else void changed(rel === '' ? name : `${rel}/${name}`);
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
        return false; // gone again already
      throw e;
    }
    w.on('error', (e) => onError(e));
    watches.set(rel, w);
    return true;
  };

  /** Watches `rel` and the directories under it; `report` names every entry found inside. */
  const add = async (rel: string, report: boolean): Promise<void> => {
    const abs = rel === '' ? cfg.root : join(cfg.root, rel);
    if (!watchOne(rel, abs)) return;
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    for (const d of entries) {
      const isDir = d.isDirectory();
      if (!report && !isDir) continue; // only directories are watched
      const child = rel === '' ? d.name : `${rel}/${d.name}`;
      if (skipped(child, isDir)) continue;
      if (report) onPath(child);
      if (isDir) await add(child, report);
    }
  };

  const changed = async (rel: string): Promise<void> => {
    const st = await lstat(join(cfg.root, rel)).catch(() => null);
    if (skipped(rel, st?.isDirectory() ?? false)) return;
    onPath(rel);
    if (st?.isDirectory()) {
      await add(rel, true).catch((e: Error) => onError(e));
    } else {
      for (const [path, w] of watches) {
        if (path === rel || path.startsWith(rel + '/')) {
          w.close();
          watches.delete(path);
        }
      }
    }
  };

  if (options.walk !== false) await add('', false);
  return {
    watchDirectory: (rel) => void watchOne(rel, rel === '' ? cfg.root : join(cfg.root, rel)),
    async close() {
      closed = true;
      for (const w of watches.values()) w.close();
      watches.clear();
    },
  };
}

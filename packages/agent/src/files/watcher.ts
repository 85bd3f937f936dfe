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
  close(): Promise<void>;
}

export async function watchFolder(
  cfg: FolderConfig,
  onPath: (relPath: string) => void,
  onError: (e: Error) => void,
): Promise<FolderWatcher> {
  const watches = new Map<string, FSWatcher>(); // by relative path, '' for the root
  let closed = false;
  const skipped = (rel: string, isDir: boolean) => !replicablePath(rel, isDir, cfg);

  /** Watches `rel` and the directories under it; `report` names every entry found inside. */
  const add = async (rel: string, report: boolean): Promise<void> => {
    if (closed || watches.has(rel)) return;
    const abs = rel === '' ? cfg.root : join(cfg.root, rel);
    let w: FSWatcher;
    try {
      w = watch(abs, { persistent: false }, (_event, name) => {
        if (name === null) onPath(rel);
        else void changed(rel === '' ? name : `${rel}/${name}`);
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
        return; // gone again already
      throw e;
    }
    w.on('error', (e) => onError(e));
    watches.set(rel, w);
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    for (const d of entries) {
      const child = rel === '' ? d.name : `${rel}/${d.name}`;
      if (skipped(child, d.isDirectory())) continue;
      if (report) onPath(child);
      if (d.isDirectory()) await add(child, report);
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

  await add('', false);
  return {
    async close() {
      closed = true;
      for (const w of watches.values()) w.close();
      watches.clear();
    },
  };
}

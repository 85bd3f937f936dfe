// Real-time changes of one folder: chokidar events name the changed paths (relative, posix);
// the sender coalesces them. Symlinks are never followed; SpareSync's own and excluded paths are
// not watched.
import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { FolderConfig } from './folder-config';
import { isInternalPath } from './names';

export async function watchFolder(
  cfg: FolderConfig,
  onPath: (relPath: string) => void,
  onError: (e: Error) => void,
): Promise<FSWatcher> {
  const rel = (p: string) => relative(cfg.root, p).split(sep).join('/');
  const w = watch(cfg.root, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (p, stats) => {
      const r = rel(p);
      return r !== '' && (isInternalPath(r) || cfg.excluded(r, stats?.isDirectory() ?? false));
    },
  });
  w.on('all', (_event, p) => {
    const r = rel(p);
    if (r !== '' && !r.startsWith('..')) onPath(r);
  });
  w.on('error', (e) => onError(e as Error));
  await new Promise<void>((resolve) => w.once('ready', () => resolve()));
  return w;
}

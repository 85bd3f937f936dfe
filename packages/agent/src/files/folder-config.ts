// One folder pair as this agent sees it: settings folders[] resolved for this server's role.
import type { LoadedSettings } from '@sparesync/common';
import { archiveRootFor } from './deleted-archive';
import { compileExcludes, type PathMatcher } from './glob';

export interface FolderConfig {
  name: string;
  /** Absolute path of the folder on this server. */
  root: string;
  archiveRoot: string;
  exclude: string[];
  excluded: PathMatcher;
  scanIntervalMs: number;
  watch: boolean;
  symlinks: 'keep' | 'skip';
  keepDeleted: boolean;
  retentionDays: number;
}

export function foldersFromSettings(loaded: LoadedSettings): FolderConfig[] {
  const s = loaded.settings;
  return s.folders.map((f) => {
    const root = loaded.resolvePath(s.role === 'primary' ? f.primaryPath : f.secondaryPath);
    return {
      name: f.name,
      root,
      archiveRoot: archiveRootFor(root, f.name),
      exclude: [...f.exclude],
      excluded: compileExcludes(f.exclude),
      scanIntervalMs: f.scanIntervalSeconds * 1000,
      watch: f.watch,
      symlinks: f.symlinks,
      keepDeleted: f.keepDeleted,
      retentionDays: f.deletedRetentionDays,
    };
  });
}

// One folder pair as this agent sees it: settings folders[] resolved for this server's role.
import { isAbsolute, join, relative, sep } from 'node:path';
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

/** A folder at `root` with nothing excluded, no periodic scan and no watch (tests, tools). */
export function plainFolder(name: string, root: string, keepDeleted = true): FolderConfig {
  return {
    name,
    root,
    archiveRoot: archiveRootFor(root, name),
    exclude: [],
    excluded: () => false,
    scanIntervalMs: 0,
    watch: false,
    symlinks: 'keep',
    keepDeleted,
    retentionDays: 1,
  };
}

export function foldersFromSettings(loaded: LoadedSettings): FolderConfig[] {
  const s = loaded.settings;
  return s.folders.map((f) => {
    const root = loaded.resolvePath(s.role === 'primary' ? f.primaryPath : f.secondaryPath);
    const exclude = [...f.exclude, ...offlineMarkerExclude(loaded, root)];
    return {
      name: f.name,
      root,
      archiveRoot: archiveRootFor(root, f.name),
      exclude,
      excluded: compileExcludes(exclude),
      scanIntervalMs: f.scanIntervalSeconds * 1000,
      watch: f.watch,
      symlinks: f.symlinks,
      keepDeleted: f.keepDeleted,
      retentionDays: f.deletedRetentionDays,
    };
  });
}

/**
 * The offline marker (managedSystem.offlineMarker) belongs to each server's own state: the
 * standby's marker must not be removed by replication, nor the primary's copied. When it lies
 * inside a replicated folder it is excluded there, anchored at its path.
 */
function offlineMarkerExclude(loaded: LoadedSettings, root: string): string[] {
  const marker = loaded.settings.managedSystem.offlineMarker;
  if (!marker.folder) return [];
  const rel = relative(root, join(loaded.resolvePath(marker.folder), marker.name));
  if (rel.startsWith('..') || isAbsolute(rel)) return [];
  return [
    '/' +
      rel
        .split(sep)
        .map((part) => part.replace(/[*?[\]\\]/g, (c) => `\\${c}`))
        .join('/'),
  ];
}

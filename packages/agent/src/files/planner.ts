// What the sender does to make the receiver's folder equal to its own, computed from two
// manifests without I/O: renames first (content already there is moved, not sent again), then
// removals (deepest first), then entries to publish (parents first).
import { diffSteps, type ManifestDiff } from './manifest-diff';
import { runAtOnce, type Steps } from './loop-slice';
import type { ManifestEntry } from './scan';

export interface Rename {
  from: string;
  to: string;
}

export interface Plan extends ManifestDiff {
  renames: Rename[];
}

/**
 * The plan for the paths in `scope` (every path when undefined). `local` is this side now,
 * `remote` the receiver's manifest as last confirmed, `previous` this side as last seen (with inode
 * numbers). A path that vanished locally whose inode reappears at a new path of the same type
 * becomes a rename when the receiver's copy at the old path still matches (files: size and mtime);
 * a directory rename carries everything under it.
 */
export function planSync(
  local: ReadonlyMap<string, ManifestEntry>,
  remote: ReadonlyMap<string, ManifestEntry>,
  previous: ReadonlyMap<string, ManifestEntry>,
  scope?: ReadonlySet<string>,
): Plan {
  return runAtOnce(planSteps(local, remote, previous, scope));
}

/** planSync as steps (loop-slice.ts): a full comparison runs sliced. */
export function* planSteps(
  local: ReadonlyMap<string, ManifestEntry>,
  remote: ReadonlyMap<string, ManifestEntry>,
  previous: ReadonlyMap<string, ManifestEntry>,
  scope?: ReadonlySet<string>,
): Steps<Plan> {
  const first = yield* diffScoped(local, remote, scope);
  const gone = new Map<number, ManifestEntry>();
  for (const r of first.remove) {
    const ino = previous.get(r.path)?.ino;
    if (ino !== undefined && !local.has(r.path)) gone.set(ino, r);
  }
  const renames: Rename[] = [];
  for (const { entry, reasons } of first.send) {
    if (reasons[0] !== 'missing' || entry.ino === undefined) continue;
    const old = gone.get(entry.ino);
    if (!old || old.type !== entry.type || entry.type === 'symlink') continue;
    if (entry.type === 'file' && (old.size !== entry.size || Math.abs(old.mtimeMs - entry.mtimeMs) >= 1)) {
      continue;
    }
    if (renames.some((r) => isUnder(old.path, r.from) || isUnder(entry.path, r.to))) continue;
    renames.push({ from: old.path, to: entry.path });
  }
  if (renames.length === 0) return { ...first, renames };
  const { map, moved } = applyRenames(remote, renames);
  const scope2 = scope ? new Set([...scope, ...moved]) : undefined;
  return { ...(yield* diffScoped(local, map, scope2)), renames };
}

/** `remote` with the renames applied (each moves its subtree); `moved` lists the new paths. */
export function applyRenames(
  remote: ReadonlyMap<string, ManifestEntry>,
  renames: readonly Rename[],
): { map: Map<string, ManifestEntry>; moved: string[] } {
  const map = new Map(remote);
  const moved: string[] = [];
  for (const { from, to } of renames) {
    for (const [path, e] of [...map]) {
      if (path !== from && !path.startsWith(from + '/')) continue;
      const next = to + path.slice(from.length);
      map.delete(path);
      map.set(next, { ...e, path: next });
      moved.push(next);
    }
  }
  return { map, moved };
}

/** Adds to `scope` everything under its directories, on either side (a new or removed tree). */
export function expandScope(
  scope: Set<string>,
  local: ReadonlyMap<string, ManifestEntry>,
  remote: ReadonlyMap<string, ManifestEntry>,
): Set<string> {
  const dirs = [...scope].filter((p) => local.get(p)?.type === 'dir' || remote.get(p)?.type === 'dir');
  if (dirs.length === 0) return scope;
  const out = new Set(scope);
  for (const m of [local, remote]) {
    for (const path of m.keys()) if (dirs.some((d) => isUnder(path, d))) out.add(path);
  }
  return out;
}

export function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

function diffScoped(
  local: ReadonlyMap<string, ManifestEntry>,
  remote: ReadonlyMap<string, ManifestEntry>,
  scope: ReadonlySet<string> | undefined,
): Steps<ManifestDiff> {
  const pick = (m: ReadonlyMap<string, ManifestEntry>) =>
    scope ? [...scope].flatMap((p) => m.get(p) ?? []) : m;
  return diffSteps(pick(local), pick(remote));
}

// What the sender does to make the receiver's folder equal to its own, computed from two
// manifests without I/O: renames first (content already there is moved, not sent again), then
// removals (deepest first), then entries to publish (parents first).
import { diffSteps, type ManifestDiff } from './manifest-diff';
import { runAtOnce, STEP_ENTRIES, type Steps } from './loop-slice';
import { ManifestOverlay, storeOf, type ManifestStore } from './manifest-store';
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

/**
 * `remote` as this side's manifest (`local`, which the caller no longer changes) and the paths
 * where the receiver's entry is not equal to it (ManifestOverlay): the plan's paths and the
 * receiver's entries of another type. The receiver's list otherwise stays in memory beside the
 * scan as a second entry and a second path per path (at 100,000 files the live heap after the
 * first comparison went from 58 to 42 MB when a map of this side's own entries replaced it; the
 * overlay drops that map's table too).
 */
export function* shareEqualEntries(
  remote: Map<string, ManifestEntry>,
  local: ReadonlyMap<string, ManifestEntry>,
  plan: Plan,
): Steps<Map<string, ManifestEntry>> {
  if (plan.renames.length > 0) return remote; // moved subtrees: keep the receiver's own entries
  const differs = new Set<string>();
  for (const { entry } of plan.send) differs.add(entry.path);
  for (const e of plan.remove) differs.add(e.path);
  const shared = new ManifestOverlay(local);
  const [theirs, ours] = [storeOf(remote), storeOf(local)];
  if (theirs && ours) return yield* shareByColumns(theirs, ours, differs, shared);
  let n = 0;
  for (const [path, theirs] of remote) {
    if (++n % STEP_ENTRIES === 0) yield;
    if (differs.has(path) || local.get(path)?.type !== theirs.type) shared.set(path, theirs);
  }
  for (const path of local.keys()) {
    if (++n % STEP_ENTRIES === 0) yield;
    if (!remote.has(path)) shared.delete(path);
  }
  return shared;
}

/** shareEqualEntries over two stores' columns: an entry is made only where the sides differ. */
function* shareByColumns(
  theirs: ManifestStore,
  ours: ManifestStore,
  differs: ReadonlySet<string>,
  shared: ManifestOverlay,
): Steps<Map<string, ManifestEntry>> {
  for (let t = 0, n = theirs.slotCount; t < n; t++) {
    if ((t + 1) % STEP_ENTRIES === 0) yield;
    const path = theirs.pathAt(t);
    if (path === undefined) continue;
    const s = ours.slotOf(path, theirs.hashAt(t));
    if (differs.has(path) || s < 0 || ours.typeAt(s) !== theirs.typeAt(t))
      shared.set(path, theirs.entryAt(t, path));
  }
  for (let s = 0, n = ours.slotCount; s < n; s++) {
    if ((s + 1) % STEP_ENTRIES === 0) yield;
    const path = ours.pathAt(s);
    if (path !== undefined && theirs.slotOf(path, ours.hashAt(s)) < 0) shared.delete(path);
  }
  return shared;
}

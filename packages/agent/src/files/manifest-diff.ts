import { runAtOnce, STEP_ENTRIES, type Steps } from './loop-slice';
import { ManifestOverlay, storeOf } from './manifest-overlay';
import type { ManifestStore } from './manifest-store';
import type { ManifestEntry } from './scan';

export type DiffReason = 'missing' | 'type' | 'size' | 'mtime' | 'mode' | 'linkTarget';

export interface SendItem {
  entry: ManifestEntry;
  /** Why it is sent; only 'mode' means the content is the same and a chmod will do. */
  reasons: DiffReason[];
}

export interface ManifestDiff {
  /** Primary entries the secondary lacks or has differently; a directory before its contents. */
  send: SendItem[];
  /** Secondary entries to take away (into .deleted), deepest first. Apply these before `send`. */
  remove: ManifestEntry[];
}

export interface DiffOptions {
  /**
   * Modification times closer than this are equal (default 1 ms). The sender passes stat's
   * mtimeMs at full precision and the receiver sets it with utimes, which round-trips to well
   * under a microsecond; comparing exactly would resend files forever over that rounding, and
   * truncating to whole ms flips at ms boundaries. Anything finer than 1 ms is below what Linux
   * records reliably anyway (timestamps come from a coarse clock). Raise it for a secondary whose
   * file system keeps coarse times (FAT: 2000).
   */
  mtimeWindowMs?: number;
}

/**
 * What makes the secondary's folder equal to the primary's. Compared per type: files by size,
 * mtime and mode; directories by mode only (a directory's mtime changes whenever its entries do,
 * so it would make every directory differ during any sync); symlinks by target only (Linux cannot
 * set a symlink's mode, and its mtime says nothing about where it points). A path whose type
 * differs is both removed and sent.
 */
export function diffManifests(
  primary: Iterable<ManifestEntry> | ReadonlyMap<string, ManifestEntry>,
  secondary: Iterable<ManifestEntry> | ReadonlyMap<string, ManifestEntry>,
  options: DiffOptions = {},
): ManifestDiff {
  return runAtOnce(diffSteps(primary, secondary, options));
}

/** diffManifests as steps (loop-slice.ts): the sender runs a full comparison sliced. */
export function* diffSteps(
  primary: Iterable<ManifestEntry> | ReadonlyMap<string, ManifestEntry>,
  secondary: Iterable<ManifestEntry> | ReadonlyMap<string, ManifestEntry>,
  options: DiffOptions = {},
): Steps<ManifestDiff> {
  const window = options.mtimeWindowMs ?? 1;
  const [a, b] = [storeOf(primary), storeOf(secondary)];
  if (a && a === b) return { send: [], remove: [] };
  if (a && b) return yield* diffStores(a, b, window);
  if (a && secondary instanceof ManifestOverlay && secondary.baseStore === a) {
    // the receiver's view resting on this side's scan (remote-view.ts): only its changes can differ
    const send: SendItem[] = [];
    const remove: ManifestEntry[] = [];
    for (const path of secondary.changedPaths()) {
      const mine = a.get(path);
      if (mine) judge(mine, secondary.get(path), window, send, remove);
      else remove.push(secondary.get(path)!);
    }
    return sorted(send, remove);
  }
  // Maps (keyed by path, as the sender keeps its manifests) are read as they are: copying the
  // receiver's 100,000 entries into a new map was a tenth of a rescan's time.
  const theirs = isMap(secondary) ? secondary : byPath(secondary);
  const ours = isMap(primary) ? primary : undefined;
  const seen = ours ? undefined : new Set<string>();
  const send: SendItem[] = [];
  const remove: ManifestEntry[] = [];
  let n = 0;
  for (const mine of ours ? ours.values() : (primary as Iterable<ManifestEntry>)) {
    if (++n % STEP_ENTRIES === 0) yield;
    seen?.add(mine.path);
    judge(mine, theirs.get(mine.path), window, send, remove);
  }
  for (const [path, other] of theirs) {
    if (++n % STEP_ENTRIES === 0) yield;
    if (!(ours ? ours.has(path) : seen!.has(path))) remove.push(other);
  }
  return sorted(send, remove);
}

/**
 * diffSteps over two stores' columns, the same result: an entry is made only for a path that
 * differs (a rescan of 100,000 unchanged files made 300,000 to find none).
 */
function* diffStores(ours: ManifestStore, theirs: ManifestStore, window: number): Steps<ManifestDiff> {
  const send: SendItem[] = [];
  const remove: ManifestEntry[] = [];
  for (let s = 0, n = ours.slotCount; s < n; s++) {
    if ((s + 1) % STEP_ENTRIES === 0) yield;
    const path = ours.pathAt(s);
    if (path === undefined) continue;
    const t = theirs.slotOf(path, ours.hashAt(s));
    if (t < 0) {
      send.push({ entry: ours.entryAt(s, path), reasons: ['missing'] });
      continue;
    }
    const tt = theirs.typeAt(t);
    const tl = tt === 'symlink' ? theirs.linkAt(t) : undefined;
    const reasons = reasonsAt(ours, s, tt, theirs.sizeAt(t), theirs.mtimeAt(t), theirs.modeAt(t), tl, window);
    if (reasons === TYPE_DIFFERS) {
      remove.push(theirs.entryAt(t));
      send.push({ entry: ours.entryAt(s, path), reasons: ['type'] });
      continue;
    }
    if (reasons) send.push({ entry: ours.entryAt(s, path), reasons });
  }
  for (let t = 0, n = theirs.slotCount; t < n; t++) {
    if ((t + 1) % STEP_ENTRIES === 0) yield;
    const path = theirs.pathAt(t);
    if (path !== undefined && ours.slotOf(path, theirs.hashAt(t)) < 0) remove.push(theirs.entryAt(t, path));
  }
  return sorted(send, remove);
}

/** The generic comparison of one path: `mine` against the receiver's `other` (undefined: lacks it). */
function judge(
  mine: ManifestEntry,
  other: ManifestEntry | undefined,
  window: number,
  send: SendItem[],
  remove: ManifestEntry[],
): void {
  if (!other) return void send.push({ entry: mine, reasons: ['missing'] });
  if (other.type !== mine.type) {
    remove.push(other);
    return void send.push({ entry: mine, reasons: ['type'] });
  }
  const reasons: DiffReason[] = [];
  if (mine.type === 'file') {
    if (mine.size !== other.size) reasons.push('size');
    if (Math.abs(mine.mtimeMs - other.mtimeMs) >= window) reasons.push('mtime');
  }
  if (mine.type !== 'symlink' && mine.mode !== other.mode) reasons.push('mode');
  if (mine.type === 'symlink' && mine.linkTarget !== other.linkTarget) reasons.push('linkTarget');
  if (reasons.length > 0) send.push({ entry: mine, reasons });
}

/** reasonsAt's answer when the types differ: the receiver's entry is removed, this side's sent. */
export const TYPE_DIFFERS = 'type differs';

/**
 * Why slot `s` of `ours` differs from the receiver's entry given as fields (by the rules of
 * diffManifests), TYPE_DIFFERS when the types differ, undefined when they are equal. `linkTarget`
 * is read only for symlinks.
 */
export function reasonsAt(
  ours: ManifestStore,
  s: number,
  type: ManifestEntry['type'],
  size: number,
  mtimeMs: number,
  mode: number,
  linkTarget: string | undefined,
  window: number,
): DiffReason[] | typeof TYPE_DIFFERS | undefined {
  if (ours.typeAt(s) !== type) return TYPE_DIFFERS;
  let reasons: DiffReason[] | undefined;
  if (type === 'file') {
    if (ours.sizeAt(s) !== size) (reasons ??= []).push('size');
    if (Math.abs(ours.mtimeAt(s) - mtimeMs) >= window) (reasons ??= []).push('mtime');
  }
  if (type !== 'symlink' && ours.modeAt(s) !== mode) (reasons ??= []).push('mode');
  if (type === 'symlink' && ours.linkAt(s) !== linkTarget) (reasons ??= []).push('linkTarget');
  return reasons;
}

function sorted(send: SendItem[], remove: ManifestEntry[]): ManifestDiff {
  // A parent's path is a prefix of its children's, so plain order puts it first.
  send.sort((a, b) => compare(a.entry.path, b.entry.path));
  remove.sort((a, b) => depth(b.path) - depth(a.path) || compare(a.path, b.path));
  return { send, remove };
}

/** Maps and the sender's Map-like manifests (manifest-store.ts), told from arrays of entries. */
function isMap(
  m: Iterable<ManifestEntry> | ReadonlyMap<string, ManifestEntry>,
): m is ReadonlyMap<string, ManifestEntry> {
  return typeof (m as Partial<ReadonlyMap<string, ManifestEntry>>).get === 'function';
}

function byPath(entries: Iterable<ManifestEntry>): Map<string, ManifestEntry> {
  const m = new Map<string, ManifestEntry>();
  for (const e of entries) m.set(e.path, e);
  return m;
}

function depth(p: string): number {
  let n = 0;
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) === 47) n++;
  return n;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The sender's views of both sides after a comparison (issue 16): the scan's store plus the paths
// set or deleted since (manifest-store.ts has the store).
import type { ManifestEntry } from './entry';
import { ManifestStore } from './manifest-store';

/**
 * A manifest held as `base` (never written through this view) and the paths set or deleted since
 * (`changes`, null: deleted). The sender keeps both sides so after a comparison, on the scan's
 * store: its own view changes where watched paths do, the receiver's where it differed and
 * where acks confirm a change. Entries set here come later in iteration than the base's.
 */
export class ManifestOverlay implements Map<string, ManifestEntry> {
  private readonly changes = new Map<string, ManifestEntry | null>();
  private count: number;
  readonly [Symbol.toStringTag] = 'ManifestOverlay';

  constructor(private base: ReadonlyMap<string, ManifestEntry> = new Map()) {
    this.count = base.size;
  }

  get size(): number {
    return this.count;
  }

  /** The base when it is a store and nothing differs from it (read by columns: storeOf). */
  get unchangedStore(): ManifestStore | undefined {
    return this.changes.size === 0 && this.base instanceof ManifestStore ? this.base : undefined;
  }

  /** The base when it is a store, whatever differs from it (its paths: ManifestStore.scanSink). */
  get baseStore(): ManifestStore | undefined {
    return this.base instanceof ManifestStore ? this.base : undefined;
  }

  /** The paths set or deleted since the base: only these can differ from it (manifest-diff.ts). */
  changedPaths(): IterableIterator<string> {
    return this.changes.keys();
  }

  has(path: string): boolean {
    const c = this.changes.get(path);
    return c === undefined ? this.base.has(path) : c !== null;
  }

  get(path: string): ManifestEntry | undefined {
    const c = this.changes.get(path);
    return c === undefined ? this.base.get(path) : (c ?? undefined);
  }

  set(path: string, e: ManifestEntry): this {
    if (!this.has(path)) this.count++;
    this.changes.set(path, e);
    return this;
  }

  delete(path: string): boolean {
    if (!this.has(path)) return false;
    this.count--;
    if (this.base.has(path)) this.changes.set(path, null);
    else this.changes.delete(path);
    return true;
  }

  clear(): void {
    this.base = new Map();
    this.changes.clear();
    this.count = 0;
  }

  // Without changes (a rescan finding nothing), the base's own iterators: one generator fewer per
  // entry read.
  keys(): MapIterator<string> {
    return this.changes.size === 0 ? this.base.keys() : this.changedKeys();
  }

  values(): MapIterator<ManifestEntry> {
    return this.changes.size === 0 ? this.base.values() : this.changedValues();
  }

  entries(): MapIterator<[string, ManifestEntry]> {
    return this.changes.size === 0 ? this.base.entries() : this.changedEntries();
  }

  private *changedKeys(): MapIterator<string> {
    for (const [path] of this.changedEntries()) yield path;
  }

  private *changedValues(): MapIterator<ManifestEntry> {
    for (const [, e] of this.changedEntries()) yield e;
  }

  private *changedEntries(): MapIterator<[string, ManifestEntry]> {
    const changes = this.changes;
    for (const [path, e] of this.base) if (!changes.has(path)) yield [path, e];
    for (const [path, e] of changes) if (e !== null) yield [path, e];
  }

  [Symbol.iterator](): MapIterator<[string, ManifestEntry]> {
    return this.entries();
  }

  forEach(fn: (value: ManifestEntry, key: string, map: Map<string, ManifestEntry>) => void): void {
    for (const [path, e] of this.entries()) fn(e, path, this);
  }
}

/** `m` as a store whose columns can be read, when it is one (or an overlay adding nothing to one). */
export function storeOf(
  m: ReadonlyMap<string, ManifestEntry> | Iterable<ManifestEntry>,
): ManifestStore | undefined {
  if (m instanceof ManifestStore) return m;
  return m instanceof ManifestOverlay ? m.unchangedStore : undefined;
}

/** The store under `m` (itself, or an overlay's base), whose paths a new store may share. */
export function pathsOf(m: ReadonlyMap<string, ManifestEntry>): ManifestStore | undefined {
  return m instanceof ManifestStore ? m : m instanceof ManifestOverlay ? m.baseStore : undefined;
}

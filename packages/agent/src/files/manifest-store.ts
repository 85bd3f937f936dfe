// The sender's manifests without an object per path (issue 16). A Map of one ManifestEntry object
// per path cost ~170 bytes an entry beyond its path (the object, a heap number for the mtime, the
// map's slot), and the receiver's manifest kept a second map of the same paths for as long as the
// agent ran. Here a scan's manifest is one path -> slot map and typed columns (ManifestStore), and
// the views the sender keeps of both sides are that store plus the paths that differ from it
// (ManifestOverlay). Both are Maps to their readers: an entry is made when it is read.
import type { EntryType, ManifestEntry } from './entry';

const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink'];
const TYPE_CODE: Record<EntryType, number> = { file: 0, dir: 1, symlink: 2 };

type Column = Float64Array | Uint16Array | Uint8Array;

function grown<T extends Column>(old: T, size: number): T {
  const next = new (old.constructor as new (n: number) => T)(size);
  next.set(old);
  return next;
}

/**
 * Entries in columns: a slot per path (sizes, mtimes and inode numbers as doubles, exact; the
 * mode in 16 bits; a symlink's target beside). Written once by a scan, a listing or the local
 * index, then read; `set` of a known path overwrites its slot, `delete` forgets the path (its
 * slot stays unused).
 */
export class ManifestStore implements Map<string, ManifestEntry> {
  private readonly slots = new Map<string, number>();
  private used = 0;
  private types = new Uint8Array(1024);
  private sizes = new Float64Array(1024);
  private mtimes = new Float64Array(1024);
  private modes = new Uint16Array(1024);
  /** NaN: no inode number (the receiver's entries) */
  private inos = new Float64Array(1024);
  private readonly links = new Map<number, string>();
  readonly [Symbol.toStringTag] = 'ManifestStore';

  get size(): number {
    return this.slots.size;
  }

  has(path: string): boolean {
    return this.slots.has(path);
  }

  get(path: string): ManifestEntry | undefined {
    const slot = this.slots.get(path);
    return slot === undefined ? undefined : this.entryAt(path, slot);
  }

  set(path: string, e: ManifestEntry): this {
    let slot = this.slots.get(path);
    if (slot === undefined) {
      if (this.used === this.types.length) this.grow();
      slot = this.used++;
      this.slots.set(path, slot);
    }
    this.types[slot] = TYPE_CODE[e.type];
    this.sizes[slot] = e.size;
    this.mtimes[slot] = e.mtimeMs;
    this.modes[slot] = e.mode;
    this.inos[slot] = e.ino ?? NaN;
    if (e.linkTarget !== undefined) this.links.set(slot, e.linkTarget);
    else this.links.delete(slot);
    return this;
  }

  delete(path: string): boolean {
    const slot = this.slots.get(path);
    if (slot === undefined) return false;
    this.links.delete(slot);
    return this.slots.delete(path);
  }

  clear(): void {
    this.slots.clear();
    this.links.clear();
    this.used = 0;
  }

  /** Drops the columns' room for more entries (a scan's store is read, not grown, once built). */
  trim(): this {
    const n = this.used;
    this.types = this.types.slice(0, n);
    this.sizes = this.sizes.slice(0, n);
    this.mtimes = this.mtimes.slice(0, n);
    this.modes = this.modes.slice(0, n);
    this.inos = this.inos.slice(0, n);
    return this;
  }

  keys(): MapIterator<string> {
    return this.slots.keys();
  }

  *entries(): MapIterator<[string, ManifestEntry]> {
    for (const [path, slot] of this.slots) yield [path, this.entryAt(path, slot)];
  }

  *values(): MapIterator<ManifestEntry> {
    for (const [path, slot] of this.slots) yield this.entryAt(path, slot);
  }

  [Symbol.iterator](): MapIterator<[string, ManifestEntry]> {
    return this.entries();
  }

  forEach(fn: (value: ManifestEntry, key: string, map: Map<string, ManifestEntry>) => void): void {
    for (const [path, e] of this.entries()) fn(e, path, this);
  }

  private entryAt(path: string, slot: number): ManifestEntry {
    const type = TYPES[this.types[slot]!]!;
    const e: ManifestEntry = {
      path,
      type,
      size: this.sizes[slot]!,
      mtimeMs: this.mtimes[slot]!,
      mode: this.modes[slot]!,
    };
    const ino = this.inos[slot]!;
    if (!Number.isNaN(ino)) e.ino = ino;
    if (type === 'symlink') e.linkTarget = this.links.get(slot);
    return e;
  }

  private grow(): void {
    const n = Math.max(1024, this.types.length * 2);
    this.types = grown(this.types, n);
    this.sizes = grown(this.sizes, n);
    this.mtimes = grown(this.mtimes, n);
    this.modes = grown(this.modes, n);
    this.inos = grown(this.inos, n);
  }
}

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

  /** Paths that differ from the base (for tests and figures). */
  get changed(): number {
    return this.changes.size;
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

  *keys(): MapIterator<string> {
    for (const [path] of this.entries()) yield path;
  }

  *values(): MapIterator<ManifestEntry> {
    for (const [, e] of this.entries()) yield e;
  }

  *entries(): MapIterator<[string, ManifestEntry]> {
    const changes = this.changes;
    if (changes.size === 0) {
      yield* this.base.entries();
      return;
    }
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

// The sender's manifests without an object per path (issue 16). A Map of one ManifestEntry object
// per path cost ~170 bytes an entry beyond its path (the object, a heap number for the mtime, the
// map's slot), and the receiver's manifest kept a second map of the same paths for as long as the
// agent ran. Here a scan's manifest is one path -> slot map and typed columns (ManifestStore), and
// the views the sender keeps of both sides are that store plus the paths that differ from it
// (ManifestOverlay). Both are Maps to their readers: an entry is made when it is read.
import type { EntryType, ManifestEntry } from './entry';

const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink'];
const TYPE_CODE: Record<EntryType, number> = { file: 0, dir: 1, symlink: 2 };

type Column = Float64Array | Int32Array | Uint16Array | Uint8Array;

function grown<T extends Column>(old: T, size: number): T {
  const next = new (old.constructor as new (n: number) => T)(size);
  next.set(old);
  return next;
}

/**
 * Entries in columns: a slot per path (sizes, mtimes and inode numbers as doubles, exact; the
 * mode in 16 bits; a symlink's target beside), found by an open-addressing table of slot numbers
 * keyed by the path's hash (a Map<string, number> cost ~50 bytes an entry, this ~16). Written
 * once by a scan, a listing or the local index, then read; `set` of a known path overwrites its
 * slot, `delete` forgets the path (its slot stays unused). Iterates in the order paths were added.
 */
export class ManifestStore implements Map<string, ManifestEntry> {
  /** slot -> path; undefined once deleted */
  private paths: (string | undefined)[] = [];
  private hashes = new Int32Array(1024);
  /** slot + 1 per hash bucket; 0: empty, -1: a deleted path's */
  private table = new Int32Array(2048);
  private count = 0;
  /** buckets not empty (live and deleted) */
  private filled = 0;
  private types = new Uint8Array(1024);
  private sizes = new Float64Array(1024);
  private mtimes = new Float64Array(1024);
  private modes = new Uint16Array(1024);
  /** NaN: no inode number (the receiver's entries) */
  private inos = new Float64Array(1024);
  private readonly links = new Map<number, string>();
  readonly [Symbol.toStringTag] = 'ManifestStore';

  get size(): number {
    return this.count;
  }

  has(path: string): boolean {
    return this.bucketOf(path, hashOf(path)) >= 0;
  }

  get(path: string): ManifestEntry | undefined {
    const b = this.bucketOf(path, hashOf(path));
    return b < 0 ? undefined : this.entryAt(path, this.table[b]! - 1);
  }

  set(path: string, e: ManifestEntry): this {
    const h = hashOf(path);
    const b = this.bucketOf(path, h);
    let slot: number;
    if (b >= 0) slot = this.table[b]! - 1;
    else {
      slot = this.paths.length;
      if (slot === this.types.length) this.grow();
      if ((this.filled + 1) * 2 > this.table.length) {
        // deleted paths' buckets are freed; the table grows when live paths fill a quarter
        this.rehash((this.count + 1) * 4 > this.table.length ? this.table.length * 2 : this.table.length);
      }
      this.paths.push(path);
      this.hashes[slot] = h;
      this.table[this.emptyBucket(h)] = slot + 1;
      this.filled++;
      this.count++;
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
    const b = this.bucketOf(path, hashOf(path));
    if (b < 0) return false;
    const slot = this.table[b]! - 1;
    this.table[b] = -1;
    this.paths[slot] = undefined;
    this.links.delete(slot);
    this.count--;
    return true;
  }

  clear(): void {
    this.paths = [];
    this.table.fill(0);
    this.links.clear();
    this.count = 0;
    this.filled = 0;
  }

  /** Drops the columns' room for more entries (a scan's store is read, not grown, once built). */
  trim(): this {
    const n = this.paths.length;
    this.hashes = this.hashes.slice(0, n);
    this.types = this.types.slice(0, n);
    this.sizes = this.sizes.slice(0, n);
    this.mtimes = this.mtimes.slice(0, n);
    this.modes = this.modes.slice(0, n);
    this.inos = this.inos.slice(0, n);
    return this;
  }

  *keys(): MapIterator<string> {
    const paths = this.paths;
    for (let slot = 0; slot < paths.length; slot++) {
      const path = paths[slot];
      if (path !== undefined) yield path;
    }
  }

  *entries(): MapIterator<[string, ManifestEntry]> {
    const paths = this.paths;
    for (let slot = 0; slot < paths.length; slot++) {
      const path = paths[slot];
      if (path !== undefined) yield [path, this.entryAt(path, slot)];
    }
  }

  *values(): MapIterator<ManifestEntry> {
    const paths = this.paths;
    for (let slot = 0; slot < paths.length; slot++) {
      const path = paths[slot];
      if (path !== undefined) yield this.entryAt(path, slot);
    }
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

  /** The bucket holding `path`, or -1. */
  private bucketOf(path: string, h: number): number {
    const table = this.table;
    const mask = table.length - 1;
    for (let b = h & mask; ; b = (b + 1) & mask) {
      const v = table[b]!;
      if (v === 0) return -1;
      if (v > 0 && this.hashes[v - 1] === h && this.paths[v - 1] === path) return b;
    }
  }

  private emptyBucket(h: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let b = h & mask;
    while (table[b] !== 0) b = (b + 1) & mask;
    return b;
  }

  /** A new table of `size` buckets holding the live paths (deleted ones' buckets freed). */
  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.filled = 0;
    for (let slot = 0; slot < this.paths.length; slot++) {
      if (this.paths[slot] === undefined) continue;
      this.table[this.emptyBucket(this.hashes[slot]!)] = slot + 1;
      this.filled++;
    }
  }

  private grow(): void {
    const n = Math.max(1024, this.types.length * 2);
    this.hashes = grown(this.hashes, n);
    this.types = grown(this.types, n);
    this.sizes = grown(this.sizes, n);
    this.mtimes = grown(this.mtimes, n);
    this.modes = grown(this.modes, n);
    this.inos = grown(this.inos, n);
  }
}

/** FNV-1a over the path's UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
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

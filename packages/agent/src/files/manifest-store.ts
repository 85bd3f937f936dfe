// The sender's manifests without an object per path (issue 16). A Map of one ManifestEntry object
// per path cost ~170 bytes an entry beyond its path (the object, a heap number for the mtime, the
// map's slot), and the receiver's manifest kept a second map of the same paths for as long as the
// agent ran. Here a scan's manifest is a hash table of slots and columns of numbers
// (ManifestStore), and the views the sender keeps of both sides are that store plus the paths
// that differ from it (ManifestOverlay, manifest-overlay.ts). Both are Maps to their readers: an entry is made when it
// is read.
import type { EntrySink, EntryType, ManifestEntry } from './entry';

const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink'];
const TYPE_CODE: Record<EntryType, number> = { file: 0, dir: 1, symlink: 2 };

/**
 * Entries in columns: a slot per path (sizes, mtimes and inode numbers exact, type and mode in
 * one number, a symlink's target beside), found by an open-addressing table of slot numbers keyed
 * by the path's hash (a Map<string, number> cost ~50 bytes an entry). Written once by a scan, a
 * listing or the local index, then read; `set` of a known path overwrites its slot, `delete`
 * forgets the path (its slot stays unused). Iterates in the order paths were added.
 *
 * The columns are arrays of numbers in V8's heap, not typed arrays: those live in malloc's heap,
 * and a comparison's stores (grown by doubling, then trimmed: buffers of every size) left it
 * fragmented; at 1,000,000 files the sender's memory outside V8's heap grew by ~50 MB with each
 * rescan (bench files). V8 returns its own pages when a collection frees them.
 */
export class ManifestStore implements Map<string, ManifestEntry> {
  /** slot -> path; undefined once deleted */
  private paths: (string | undefined)[] = [];
  private hashes: number[] = [];
  /** slot + 1 per hash bucket; 0: empty, -1: a deleted path's */
  private table: number[] = new Array<number>(1024).fill(0);
  private count = 0;
  /** buckets not empty (live and deleted) */
  private filled = 0;
  /** type code * 0x10000 + mode */
  private kinds: number[] = [];
  private sizes: number[] = [];
  private mtimes: number[] = [];
  /** NaN: no inode number (the receiver's entries) */
  private inos: number[] = [];
  private readonly links = new Map<number, string>();
  /** Filled by scanSink in `previous`' order so far: its table is this one's (not built yet). */
  private tableOf: ManifestStore | undefined;
  readonly [Symbol.toStringTag] = 'ManifestStore';

  get size(): number {
    return this.count;
  }

  has(path: string): boolean {
    return this.bucketOf(path, hashOf(path)) >= 0;
  }

  get(path: string): ManifestEntry | undefined {
    const b = this.bucketOf(path, hashOf(path));
    return b < 0 ? undefined : this.entryAt(this.table[b]! - 1, path);
  }

  set(path: string, e: ManifestEntry): this {
    return this.put(path, e.type, e.size, e.mtimeMs, e.mode, e.ino ?? NaN, e.linkTarget);
  }

  /**
   * An EntrySink filling this empty store with a listing of each path once, such as a scan, with
   * `previous`' path strings where it has the path: a rescan that keeps the previous scan's strings
   * promotes no new ones (at 100,000 files each comparison's ~200,000 fresh paths outlived the
   * young generation), and equal paths that are the same string compare at once. A rescan lists
   * the paths in the previous scan's order: each path is first compared with the one after the
   * last found in `previous` (its string and hash are taken from there: no hashing, no lookup in
   * `previous`' table), and while every path sits in the same slot as in `previous` this store's
   * table is not built at all: `trim()` copies `previous`' (at 100,000 unchanged files a lookup
   * in each store per path was ~40 ms of a rescan).
   */
  scanSink(previous: ManifestStore | undefined): EntrySink {
    if (this.paths.length > 0) throw new Error('ManifestStore.scanSink: the store is not empty');
    if (!previous)
      return (path, type, size, mtimeMs, mode, ino, link) =>
        this.put(path, type, size, mtimeMs, mode, ino, link);
    this.tableOf = previous;
    let next = 0;
    return (path, type, size, mtimeMs, mode, ino, link) => {
      let h: number;
      const expected = previous.paths[next];
      if (expected === path) {
        path = expected;
        h = previous.hashes[next]!;
        if (this.tableOf !== undefined && next === this.paths.length) {
          next++;
          this.append(path, h, TYPE_CODE[type] * 0x10000 + (mode & 0xffff), size, mtimeMs, ino, link);
          return;
        }
        next++;
      } else {
        h = hashOf(path);
        const s = previous.slotOf(path, h);
        if (s >= 0) {
          path = previous.paths[s]!;
          next = s + 1;
        }
      }
      this.put(path, type, size, mtimeMs, mode, ino, link, h);
    };
  }

  /** `set` from the entry's fields (an EntrySink: the scan and the list's unpacking); `h`: the
   * path's hash when known. */
  put(
    path: string,
    type: EntryType,
    size: number,
    mtimeMs: number,
    mode: number,
    ino: number,
    linkTarget: string | undefined,
    h = hashOf(path),
  ): this {
    const b = this.bucketOf(path, h);
    const kind = TYPE_CODE[type] * 0x10000 + (mode & 0xffff);
    let slot: number;
    if (b >= 0) {
      slot = this.table[b]! - 1;
      this.kinds[slot] = kind;
      this.sizes[slot] = size;
      this.mtimes[slot] = mtimeMs;
      this.inos[slot] = ino;
    } else {
      if ((this.filled + 1) * 2 > this.table.length) {
        // deleted paths' buckets are freed; the table grows when live paths fill a quarter
        this.rehash((this.count + 1) * 4 > this.table.length ? this.table.length * 2 : this.table.length);
      }
      slot = this.append(path, h, kind, size, mtimeMs, ino, linkTarget);
      this.table[this.emptyBucket(h)] = slot + 1;
      this.filled++;
      return this;
    }
    if (linkTarget !== undefined) this.links.set(slot, linkTarget);
    else if (this.links.size > 0) this.links.delete(slot);
    return this;
  }

  /** A new slot for a path not in the store, not yet in the table; returns the slot. */
  private append(
    path: string,
    h: number,
    kind: number,
    size: number,
    mtimeMs: number,
    ino: number,
    linkTarget: string | undefined,
  ): number {
    const slot = this.paths.length;
    this.paths.push(path);
    this.hashes.push(h);
    this.kinds.push(kind);
    this.sizes.push(size);
    this.mtimes.push(mtimeMs);
    this.inos.push(ino);
    this.count++;
    if (linkTarget !== undefined) this.links.set(slot, linkTarget);
    return slot;
  }

  /** Builds the table scanSink left out (the paths left `previous`' order, or a lookup). */
  private buildTable(): void {
    this.tableOf = undefined;
    let size = 1024;
    while (size < this.count * 4) size *= 2;
    this.rehash(size);
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
    this.hashes = [];
    this.kinds = [];
    this.sizes = [];
    this.mtimes = [];
    this.inos = [];
    this.table = new Array<number>(1024).fill(0);
    this.tableOf = undefined;
    this.links.clear();
    this.count = 0;
    this.filled = 0;
  }

  /** Drops the columns' room for more entries (a scan's store is read, not grown, once built). */
  trim(): this {
    const from = this.tableOf;
    if (from !== undefined && from.paths.length === this.paths.length && from.count === this.count) {
      // every path in the slot it has in `from`: the same table
      this.tableOf = undefined;
      this.table = from.table.slice();
      this.filled = from.filled;
    } else if (from !== undefined) this.buildTable();
    this.paths = this.paths.slice();
    this.hashes = this.hashes.slice();
    this.kinds = this.kinds.slice();
    this.sizes = this.sizes.slice();
    this.mtimes = this.mtimes.slice();
    this.inos = this.inos.slice();
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
      if (path !== undefined) yield [path, this.entryAt(slot, path)];
    }
  }

  *values(): MapIterator<ManifestEntry> {
    const paths = this.paths;
    for (let slot = 0; slot < paths.length; slot++) {
      const path = paths[slot];
      if (path !== undefined) yield this.entryAt(slot, path);
    }
  }

  [Symbol.iterator](): MapIterator<[string, ManifestEntry]> {
    return this.entries();
  }

  forEach(fn: (value: ManifestEntry, key: string, map: Map<string, ManifestEntry>) => void): void {
    for (const [path, e] of this.entries()) fn(e, path, this);
  }

  // Column readers by slot (0 .. slotCount - 1, a deleted slot's path is undefined), for loops
  // over whole manifests that compare without making an entry per path (manifest-diff.ts).

  get slotCount(): number {
    return this.paths.length;
  }

  pathAt(slot: number): string | undefined {
    return this.paths[slot];
  }

  /** The path's hash: another store finds the same path with it (`slotOf`) without hashing again. */
  hashAt(slot: number): number {
    return this.hashes[slot]!;
  }

  /** The slot of `path` (`hash`: hashOf(path), e.g. another store's hashAt), or -1. */
  slotOf(path: string, hash = hashOf(path)): number {
    const b = this.bucketOf(path, hash);
    return b < 0 ? -1 : this.table[b]! - 1;
  }

  typeAt(slot: number): EntryType {
    return TYPES[Math.floor(this.kinds[slot]! / 0x10000)]!;
  }

  modeAt(slot: number): number {
    return this.kinds[slot]! & 0xffff;
  }

  sizeAt(slot: number): number {
    return this.sizes[slot]!;
  }

  mtimeAt(slot: number): number {
    return this.mtimes[slot]!;
  }

  linkAt(slot: number): string | undefined {
    return this.links.get(slot);
  }

  /** Whether `slot` here and `otherSlot` of `other` hold equal entries, inode number included. */
  equalAt(slot: number, other: ManifestStore, otherSlot: number): boolean {
    const ino = this.inos[slot]!;
    const otherIno = other.inos[otherSlot]!;
    return (
      this.kinds[slot] === other.kinds[otherSlot] &&
      this.sizes[slot] === other.sizes[otherSlot] &&
      this.mtimes[slot] === other.mtimes[otherSlot] &&
      (ino === otherIno || (Number.isNaN(ino) && Number.isNaN(otherIno))) &&
      this.links.get(slot) === other.links.get(otherSlot)
    );
  }

  /** The entry in `slot` (its path given or read), made afresh. */
  entryAt(slot: number, path = this.paths[slot]!): ManifestEntry {
    const kind = this.kinds[slot]!;
    const type = TYPES[Math.floor(kind / 0x10000)]!;
    const e: ManifestEntry = {
      path,
      type,
      size: this.sizes[slot]!,
      mtimeMs: this.mtimes[slot]!,
      mode: kind & 0xffff,
    };
    const ino = this.inos[slot]!;
    if (!Number.isNaN(ino)) e.ino = ino;
    if (type === 'symlink') e.linkTarget = this.links.get(slot);
    return e;
  }

  /** The bucket holding `path`, or -1. */
  private bucketOf(path: string, h: number): number {
    if (this.tableOf !== undefined) this.buildTable();
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
    this.table = new Array<number>(size).fill(0);
    this.filled = 0;
    for (let slot = 0; slot < this.paths.length; slot++) {
      if (this.paths[slot] === undefined) continue;
      this.table[this.emptyBucket(this.hashes[slot]!)] = slot + 1;
      this.filled++;
    }
  }
}

/** FNV-1a over the path's UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

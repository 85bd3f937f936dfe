// A manifest packed into bytes for the list answer (FileAck.manifest, issue 16): one protobuf
// FileEntry message per path cost both ends most of a rescan's CPU at 100,000 files (an object per
// entry on each side of the codec, a Long per size). Here each entry is its path as the bytes it
// shares with the previous path's plus the rest (depth-first order shares whole directories), its
// type, size, mtime (a double, exact), mode, and a symlink's target. A part stands alone: its first
// path shares nothing.
//
//   entry = varint shared | varint restLength | rest | u8 type | varint size | f64le mtimeMs
//           | varint mode | (symlink only) varint targetLength | target
import { SpareSyncError } from '@sparesync/common';
import type { EntrySink, EntryType, ManifestEntry } from './entry';

const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink'];
const TYPE_CODE: Record<EntryType, number> = { file: 0, dir: 1, symlink: 2 };
const MAX_PATH_BYTES = 64 * 1024;

/** Packs entries, in order, into parts of about `partBytes` each. */
export class ManifestPacker {
  private buf: Buffer;
  private at = 0;
  private prev = Buffer.alloc(MAX_PATH_BYTES);
  private prevLen = 0;
  private cur = Buffer.alloc(MAX_PATH_BYTES);

  constructor(private readonly partBytes = 256 * 1024) {
    this.buf = Buffer.alloc(partBytes + MAX_PATH_BYTES + 64);
  }

  /** Whether the part under way is full: take it with `take()`. */
  get full(): boolean {
    return this.at >= this.partBytes;
  }

  get empty(): boolean {
    return this.at === 0;
  }

  add(e: ManifestEntry): void {
    this.put(e.path, e.type, e.size, e.mtimeMs, e.mode, NaN, e.linkTarget);
  }

  /** `add` from the entry's fields (an EntrySink: the receiver's scan; `ino` is not sent). */
  put(
    path: string,
    type: EntryType,
    size: number,
    mtimeMs: number,
    mode: number,
    _ino: number,
    linkTarget: string | undefined,
  ): void {
    const len = this.cur.write(path, 0, 'utf8');
    if (len >= MAX_PATH_BYTES)
      throw new SpareSyncError('InvalidArgument', `path too long: ${path.slice(0, 80)}…`);
    let shared = 0;
    const max = Math.min(len, this.prevLen);
    while (shared < max && this.cur[shared] === this.prev[shared]) shared++;
    const target = type === 'symlink' ? Buffer.from(linkTarget ?? '', 'utf8') : undefined;
    // the path's rest, the link target, and at most 8 + 8 + 1 + 8 + 8 + 3 + 8 bytes of the rest
    const room = len - shared + (target?.length ?? 0) + 48;
    if (this.at + room > this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(0, this.at), Buffer.alloc(room + this.partBytes)]);
    }
    this.varint(shared);
    this.varint(len - shared);
    this.at += this.cur.copy(this.buf, this.at, shared, len);
    this.buf[this.at++] = TYPE_CODE[type];
    this.varint(size);
    this.buf.writeDoubleLE(mtimeMs, this.at);
    this.at += 8;
    this.varint(mode);
    if (target) {
      this.varint(target.length);
      this.at += target.copy(this.buf, this.at);
    }
    const prev = this.prev;
    this.prev = this.cur;
    this.cur = prev;
    this.prevLen = len;
  }

  /** The part packed so far (a copy); the next one starts afresh. */
  take(): Buffer {
    const part = Buffer.from(this.buf.subarray(0, this.at));
    this.at = 0;
    this.prevLen = 0;
    return part;
  }

  /** Unsigned integers up to 2^53, 7 bits a byte (arithmetic: bit operators stop at 32 bits). */
  private varint(n: number): void {
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.at++] = n;
  }
}

/** Calls `each` with every entry of one part; a truncated or malformed part throws. */
export function unpackManifest(part: Uint8Array, each: (e: ManifestEntry) => void): void {
  unpackInto(part, (path, type, size, mtimeMs, mode, _ino, linkTarget) => {
    const e: ManifestEntry = { path, type, size, mtimeMs, mode };
    if (linkTarget !== undefined) e.linkTarget = linkTarget;
    each(e);
  });
}

/** The entries of one part into `sink` as fields (`ino` NaN), e.g. a ManifestStore's `put`. */
export function unpackInto(part: Uint8Array, sink: EntrySink): void {
  const buf = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  const path = Buffer.alloc(MAX_PATH_BYTES);
  let pathLen = 0;
  let at = 0;
  const bad = (what: string): never => {
    throw new SpareSyncError('InvalidArgument', `malformed manifest part (${what} at byte ${at})`);
  };
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= buf.length || scale > 2 ** 56) bad('number');
      const b = buf[at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  };
  while (at < buf.length) {
    const shared = varint();
    const rest = varint();
    if (shared > pathLen || shared + rest >= MAX_PATH_BYTES || at + rest > buf.length) bad('path');
    buf.copy(path, shared, at, at + rest);
    at += rest;
    pathLen = shared + rest;
    const type = TYPES[buf[at++] ?? 255] ?? bad('type');
    const size = varint();
    if (at + 8 > buf.length) bad('mtime');
    const mtimeMs = buf.readDoubleLE(at);
    at += 8;
    const mode = varint();
    let linkTarget: string | undefined;
    if (type === 'symlink') {
      const n = varint();
      if (at + n > buf.length) bad('link target');
      linkTarget = buf.toString('utf8', at, at + n);
      at += n;
    }
    sink(path.toString('utf8', 0, pathLen), type, size, mtimeMs, mode, NaN, linkTarget);
  }
}

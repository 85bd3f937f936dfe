import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** What signature() and delta() read: a file path, or a stream of chunks (a Readable is one). */
export type ByteInput = string | AsyncIterable<Uint8Array>;

/** Sequential reads into caller-owned buffers, so the hot loops allocate nothing per chunk. */
export interface ByteSource {
  /** The input's size when it was opened (a file's), or undefined for a stream. */
  readonly sizeHint?: number;
  /** Reads up to `length` bytes into buf[offset..]; 0 means end of input. */
  read(buf: Uint8Array, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A path is opened with O_NOFOLLOW: a symlink is replicated as a link, never read through, so a
 * link to a file outside the folder cannot leak its content (sender) or its checksums (receiver).
 */
export async function openByteSource(input: ByteInput): Promise<ByteSource> {
  if (typeof input === 'string')
    return fileSource(await open(input, constants.O_RDONLY | constants.O_NOFOLLOW));
  return iterableSource(input);
}

const PREFETCH = 4 * 1024 * 1024;
const MIN_BUFFER = 4096;

/**
 * Reads ahead one chunk: the next read runs in libuv's thread pool while the caller hashes the
 * previous one, which hides most of the read time (one extra memcpy per byte, ~10 GB/s).
 * Buffers are sized to the file (one byte more, so a file that did not grow is read in one
 * call), at most 4 MiB: a small file costs one small buffer, never 2 × 4 MiB, whose allocation
 * and collection dominated sending thousands of small files. The second buffer, for read-ahead,
 * is made only when the first read filled the first one (the file is larger than one chunk).
 */
async function fileSource(fh: FileHandle): Promise<ByteSource> {
  let size: number;
  try {
    size = (await fh.stat()).size;
  } catch (e) {
    await fh.close();
    throw e;
  }
  const bufSize = Math.min(PREFETCH, Math.max(MIN_BUFFER, size + 1));
  const bufs: Buffer[] = [Buffer.allocUnsafeSlow(bufSize)];
  let turn = 0;
  const next = (): Promise<Buffer> => {
    const b = (bufs[turn] ??= Buffer.allocUnsafeSlow(bufSize));
    turn ^= 1;
    return fh.read(b, 0, bufSize, null).then((r) => b.subarray(0, r.bytesRead));
  };
  let ahead: Promise<Buffer> | null = null;
  let chunk: Buffer = Buffer.alloc(0);
  let eof = false;
  return {
    sizeHint: size,
    async read(buf, offset, length) {
      if (length === 0) return 0;
      if (chunk.length === 0) {
        if (eof) return 0;
        chunk = await (ahead ?? next());
        ahead = null;
        if (chunk.length === 0) {
          eof = true;
          return 0;
        }
        // A full buffer means more is likely: read it into the other buffer meanwhile (`chunk`
        // stays untouched until drained). A short read is checked for EOF once `chunk` is drained.
        if (chunk.length === bufSize) ahead = next();
        else turn = 0;
      }
      const n = Math.min(length, chunk.length);
      buf.set(chunk.subarray(0, n), offset);
      chunk = chunk.subarray(n);
      return n;
    },
    async close() {
      await ahead?.catch(() => undefined);
      await fh.close();
    },
  };
}

function iterableSource(input: AsyncIterable<Uint8Array>): ByteSource {
  const it = input[Symbol.asyncIterator]();
  let pending: Uint8Array | null = null; // rest of a chunk larger than the caller's request
  let done = false;
  return {
    async read(buf, offset, length) {
      while (!pending || pending.length === 0) {
        if (done || length === 0) return 0;
        const r = await it.next();
        if (r.done) {
          done = true;
          return 0;
        }
        pending = r.value;
      }
      const n = Math.min(length, pending.length);
      buf.set(pending.subarray(0, n), offset);
      pending = pending.subarray(n);
      return n;
    },
    async close() {
      if (!done) await it.return?.();
    },
  };
}

/** Reads until `length` bytes are in or the input ends; returns the count read. */
export async function readFully(
  src: ByteSource,
  buf: Uint8Array,
  offset: number,
  length: number,
): Promise<number> {
  let got = 0;
  while (got < length) {
    const n = await src.read(buf, offset + got, length - got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** What signature() and delta() read: a file path, or a stream of chunks (a Readable is one). */
export type ByteInput = string | AsyncIterable<Uint8Array>;

/** Sequential reads into caller-owned buffers, so the hot loops allocate nothing per chunk. */
export interface ByteSource {
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

/**
 * Reads ahead one 4 MiB chunk: the next read runs in libuv's thread pool while the caller hashes
 * the previous one, which hides most of the read time (one extra memcpy per byte, ~10 GB/s).
 */
function fileSource(fh: FileHandle): ByteSource {
  // Two buffers: the caller drains one while the other is being filled.
  const bufs = [Buffer.allocUnsafeSlow(PREFETCH), Buffer.allocUnsafeSlow(PREFETCH)];
  let turn = 0;
  const next = (): Promise<Buffer> => {
    const b = bufs[turn]!;
    turn ^= 1;
    return fh.read(b, 0, PREFETCH, null).then((r) => b.subarray(0, r.bytesRead));
  };
  let ahead: Promise<Buffer> | null = null;
  let chunk: Buffer = Buffer.alloc(0);
  let eof = false;
  return {
    async read(buf, offset, length) {
      if (length === 0) return 0;
      if (chunk.length === 0) {
        if (eof) return 0;
        chunk = await (ahead ?? next());
        if (chunk.length === 0) {
          eof = true;
          return 0;
        }
        ahead = next(); // into the other buffer; `chunk` stays untouched until drained
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

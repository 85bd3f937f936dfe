// Sends one file over a Files stream: asks for the signature of the receiver's old copy (when it
// has one), streams the delta (or the whole file) in chunks with back-pressure, and closes with the
// size and SHA-256. A file that changes while it is read is aborted: the receiver discards it.
// Small files sent whole are read here (readWhole) and packed by batch.ts.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ackError, type FileChannel } from './channel';
import type { CompressionGate } from './compression-gate';
import { entryToWire, type FileAck } from './frames';
import { DEFAULT_MAX_LITERAL, delta } from './delta';
import type { ManifestEntry } from './scan';
import { chooseBlockSize, type Signature } from './signature';
import { decodeSignature } from './signature-codec';

const SETTLE_MS = 20;
const MAX_SETTLE_MS = 1000;

export interface TransferOptions {
  maxBlockSize: number;
  compress: CompressionGate;
  /** False after a checksum mismatch: send the whole file. */
  useBasis: boolean;
}

export interface TransferCounters {
  bytesSent: number;
  bytesMatched: number;
}

export type TransferResult =
  { kind: 'sent'; entry: ManifestEntry; acks: Promise<FileAck[]> } | { kind: 'changed' };

export async function sendFile(
  ch: FileChannel,
  root: string,
  item: ManifestEntry,
  basis: ManifestEntry | undefined,
  o: TransferOptions,
  counters: TransferCounters,
): Promise<TransferResult> {
  const abs = join(root, item.path);
  if (!(await lstat(abs).catch(() => null))?.isFile()) return { kind: 'changed' };
  const sig =
    o.useBasis && basis?.type === 'file' && basis.size > 0 ? await fetchSignature(ch, basis, o) : null;
  // A file modified a moment ago is probably still being written (its first write started this
  // transfer), and a change seen at the end of the read below aborts it: a whole read wasted and
  // a retry a second later. So it is read once it has been quiet for SETTLE_MS (up to a limit).
  // The signature round trip used to give that time; a cached signature answers at once.
  let before = await lstat(abs).catch(() => null);
  for (let waited = 0; before?.isFile() && waited < MAX_SETTLE_MS; waited += SETTLE_MS) {
    if (Date.now() - before.mtimeMs >= SETTLE_MS) break;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    before = await lstat(abs).catch(() => null);
  }
  if (!before?.isFile()) return { kind: 'changed' };
  const entry: ManifestEntry = {
    ...item,
    size: before.size,
    mtimeMs: before.mtimeMs,
    mode: before.mode & 0o7777,
  };
  const { id, acks } = await ch.request({
    begin: { entry: entryToWire(entry), blockSize: sig?.blockSize ?? 0 },
  });
  let changed = false;
  try {
    for await (const op of delta(abs, sig)) {
      if (op.kind === 'data') {
        await writeData(ch, id, item.path, op.data, o, counters);
      } else if (op.kind === 'copy') {
        counters.bytesMatched += op.count * sig!.blockSize;
        await ch.write(
          { chunk: { block: op.block, count: op.count, data: Buffer.alloc(0), deflated: false } },
          id,
        );
      } else {
        const after = await lstat(abs).catch(() => null);
        changed =
          !after || after.size !== before.size || after.mtimeMs !== before.mtimeMs || op.size !== before.size;
        await ch.write({ end: { size: op.size, sha256: op.sha256, abort: changed } }, id);
      }
    }
  } catch (e) {
    if (ch.failed) throw e;
    // The file vanished or became unreadable while being read: abort this transfer only.
    await ch.write({ end: { size: 0, sha256: Buffer.alloc(0), abort: true } }, id);
    changed = true;
  }
  if (changed) {
    await acks.catch(() => undefined);
    return { kind: 'changed' };
  }
  return { kind: 'sent', entry, acks };
}

/** Files up to this size are read whole in one call and sent without a signature request. */
export const WHOLE_FILE_BYTES = DEFAULT_MAX_LITERAL;

/** True when `item` goes whole: small, and the receiver has no copy worth a delta (≤ one block). */
export function sendsWhole(item: ManifestEntry, basis: ManifestEntry | undefined, o: TransferOptions) {
  if (item.size > WHOLE_FILE_BYTES) return false;
  if (!o.useBasis || basis?.type !== 'file') return true;
  return basis.size <= chooseBlockSize(basis.size, o.maxBlockSize);
}

export interface WholeFile {
  stat: Stats;
  data: Buffer;
}

/**
 * Reads a small file in one read (open with O_NOFOLLOW, fstat, read, fstat, close); null when it
 * is gone, not a regular file, or changed while it was read. Synchronous calls: for files of at
 * most WHOLE_FILE_BYTES each costs microseconds in this thread (usually from the page cache),
 * where a thread-pool round trip per call made reading thousands of small files ~8x slower.
 */
export function readWhole(root: string, item: ManifestEntry): WholeFile | null {
  let fd: number;
  try {
    fd = openSync(join(root, item.path), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > WHOLE_FILE_BYTES) return null;
    // Up to the size seen (one read: a regular file reads short only at its end); a file that
    // grew or was rewritten meanwhile shows in the second fstat.
    const buf = Buffer.allocUnsafe(stat.size);
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, n);
    const after = fstatSync(fd);
    if (n !== stat.size || after.size !== stat.size || after.mtimeMs !== stat.mtimeMs) return null;
    return { stat, data: buf.subarray(0, n) };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

async function writeData(
  ch: FileChannel,
  id: number,
  path: string,
  raw: Buffer,
  o: { compress: CompressionGate },
  counters: TransferCounters,
): Promise<void> {
  const { data, deflated } = o.compress.pack(path, raw);
  counters.bytesSent += data.length;
  await ch.write({ chunk: { block: 0, count: 0, data, deflated } }, id);
}

async function fetchSignature(
  ch: FileChannel,
  basis: ManifestEntry,
  o: TransferOptions,
): Promise<Signature | null> {
  const { acks } = await ch.request({
    signature: { path: basis.path, blockSize: chooseBlockSize(basis.size, o.maxBlockSize) },
  });
  const got = await acks;
  if (ackError(got)) return null;
  const buf = Buffer.concat(got.map((a) => a.signature));
  return buf.length > 0 ? decodeSignature(buf) : null;
}

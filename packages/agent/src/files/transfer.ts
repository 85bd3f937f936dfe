// Sends one file over a Files stream: asks for the signature of the receiver's old copy (when it
// has one), streams the delta (or the whole file) in chunks with back-pressure, and closes with the
// size and SHA-256. A file that changes while it is read is aborted: the receiver discards it.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { FileAck } from '@sparesync/common';
import { ackError, entryToWire, type FileChannel } from './channel';
import { delta } from './delta';
import type { ManifestEntry } from './scan';
import { chooseBlockSize, type Signature } from './signature';
import { decodeSignature } from './signature-codec';

export interface TransferOptions {
  maxBlockSize: number;
  compress: boolean;
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
  const before = await lstat(abs).catch(() => null);
  if (!before?.isFile()) return { kind: 'changed' };
  const sig =
    o.useBasis && basis?.type === 'file' && basis.size > 0 ? await fetchSignature(ch, basis, o) : null;
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
        const data = o.compress ? deflateRawSync(op.data, { level: 1 }) : op.data;
        const deflated = o.compress && data.length < op.data.length;
        const payload = deflated ? data : op.data;
        counters.bytesSent += payload.length;
        await ch.write({ chunk: { block: 0, count: 0, data: payload, deflated } }, id);
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

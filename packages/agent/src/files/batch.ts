// Small files several to a frame (FileFrame.batch): the sender packs whole files up to a byte
// budget; the receiver publishes each through the stream's commit groups, like a small file sent
// by begin / chunk / end, and answers the batch once, when every file of it is durable or failed.
// A file that fails (a refused path, a checksum mismatch) fails alone: the ack lists it in
// `failures` and the others are published. One frame and one ack for ~30 files instead of four
// messages per file is what the receiver's main thread was spending its time on (bench files).
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SpareSyncError } from '@sparesync/common';
import type { CommitPipeline } from './commit-group';
import type { CompressionGate } from './compression-gate';
import { sharedSlice } from './loop-slice';
import { DEFAULT_MAX_LITERAL, type DeltaOp } from './delta';
import type { CheckedSmallFile, FolderWriter } from './folder-writer';
import {
  entryFromWire,
  entryToWire,
  type BatchedFileWire,
  type FileAck,
  type FileBatchWire,
  type FileFailureWire,
} from './frames';
import type { ManifestEntry } from './scan';
import type { WholeFile } from './transfer';

/** Bytes of data and paths per batch: one FileChunk's worth, so a batch fits where a chunk does. */
export const BATCH_BYTES = DEFAULT_MAX_LITERAL;
/**
 * Files per batch: a frame of ~2,000 tiny files was one commit group of that size on the
 * receiver, and the sender's window of batches then held every file of 100,000 (issue 16).
 */
export const BATCH_FILES = 512;
/** Upper bound of a file's encoding besides its data and path (entry fields, SHA-256, tags). */
const PER_FILE_BYTES = 96;

/** What a file costs of the budget: its raw size (compression can only shrink it) and path. */
export function batchCost(path: string, size: number): number {
  return size + Buffer.byteLength(path) + PER_FILE_BYTES;
}

/**
 * The sender's batch being filled. `fits` first: a file that does not fit is sent after take().
 * A file larger than the budget fits an empty batch alone (files sent whole are at most one
 * chunk, so that frame is no larger than a chunk frame).
 */
export class BatchBuilder {
  private files: BatchedFileWire[] = [];
  private entries: ManifestEntry[] = [];
  private bytes = 0;

  constructor(
    private readonly budget = BATCH_BYTES,
    private readonly maxFiles = BATCH_FILES,
  ) {}

  get size(): number {
    return this.files.length;
  }

  fits(path: string, size: number): boolean {
    if (this.files.length === 0) return true;
    return this.files.length < this.maxFiles && this.bytes + batchCost(path, size) <= this.budget;
  }

  /**
   * Adds a file read by readWhole; returns the bytes it adds to the frame's data. The entry
   * published is what was read (size, mtime and mode from the stat taken with the read).
   */
  add(item: ManifestEntry, file: WholeFile, gate: CompressionGate): number {
    const { stat, data } = file;
    const entry: ManifestEntry = {
      ...item,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      mode: stat.mode & 0o7777,
    };
    const { data: packed, deflated } = gate.pack(entry.path, data);
    this.files.push({
      entry: entryToWire(entry),
      data: packed,
      deflated,
      sha256: createHash('sha256').update(data).digest(),
    });
    this.entries.push(entry);
    this.bytes += batchCost(entry.path, data.length);
    return packed.length;
  }

  /** The batch so far and the entries it publishes (same order); the builder starts empty again. */
  take(): { batch: FileBatchWire; entries: ManifestEntry[] } {
    const out = { batch: { files: this.files }, entries: this.entries };
    this.files = [];
    this.entries = [];
    this.bytes = 0;
    return out;
  }
}

/** One file of a received batch as the writer takes it: its entry and ops (data, end). */
export function unpackBatchedFile(f: BatchedFileWire): { entry: ManifestEntry; ops: DeltaOp[] } {
  const entry = entryFromWire(f.entry);
  if (entry.type !== 'file') {
    throw new SpareSyncError('InvalidArgument', `a ${entry.type} entry (${entry.path}) in a file batch`);
  }
  const data = f.deflated ? inflateRawSync(f.data) : f.data;
  const ops: DeltaOp[] = [];
  if (data.length > 0) ops.push({ kind: 'data', data });
  ops.push({ kind: 'end', size: entry.size, sha256: f.sha256 });
  return { entry, ops };
}

/**
 * Publishes the files of a received batch through `group` (each deferring its directory fsync to
 * the group's commit). `done` is called once, with the files that failed in batch order, after
 * every file has been settled: published files are then durable. The caller has drained `group`
 * first if one of these paths was still being published there. Every file is checked
 * (checkSmallFile: path, checksum, what is there now; each parent directory once) before any is
 * staged: staging creates temp files in the thread pool, and a check's lstat in a directory
 * being written to waits for its lock.
 */
export async function addBatch(
  writer: FolderWriter,
  batch: FileBatchWire,
  group: CommitPipeline,
  done: (failures: FileFailureWire[]) => Promise<void>,
): Promise<void> {
  const files = batch.files;
  if (files.length === 0) return done([]);
  const failures: FileFailureWire[] = [];
  const seen = new Set<string>();
  const parents = new Map<string, boolean>();
  const checked: Array<CheckedSmallFile | Error> = [];
  for (const f of files) {
    // Thousands of tiny files to a frame: each one's checks and hash are synchronous.
    await sharedSlice.turn();
    const path = f.entry?.path ?? '';
    const twice = seen.has(path);
    seen.add(path);
    try {
      if (twice) throw new SpareSyncError('InvalidArgument', `${path} appears twice in one file batch`);
      const { entry, ops } = unpackBatchedFile(f);
      checked.push(writer.checkSmallFile(entry, ops, parents));
    } catch (e) {
      checked.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  let left = files.length;
  for (const [index, c] of checked.entries()) {
    const path = files[index]!.entry?.path ?? '';
    const work = c instanceof Error ? Promise.reject(c) : writer.stageChecked(c);
    group.add(path, work, async (error) => {
      if (error) {
        const code = (error as Error & { code?: string }).code ?? 'Error';
        failures.push({ index, path, error: error.message, code });
      }
      if (--left === 0) await done(failures.sort((a, b) => a.index - b.index));
    });
  }
}

/** The error of each file of a batch from its ack list, in batch order (null: published). */
export function batchOutcomes(acks: FileAck[], count: number): Array<(Error & { code: string }) | null> {
  const whole = acks.find((a) => a.error);
  if (whole)
    return Array.from({ length: count }, () => Object.assign(new Error(whole.error), { code: whole.code }));
  const out: Array<(Error & { code: string }) | null> = Array.from({ length: count }, () => null);
  for (const a of acks) {
    for (const f of a.failures) {
      if (f.index < count) out[f.index] = Object.assign(new Error(f.error), { code: f.code });
    }
  }
  return out;
}

import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { SpareSyncError } from '@sparesync/common';
import { writeAtomically, type FileMeta } from './atomic-write';
import type { DeltaOp } from './delta';
import { lstatOrNull } from './fs-util';
import { PipelinedWriter } from './pipelined-writer';

export interface ApplyResult {
  size: number;
  sha256: Buffer;
}

/** Sees every byte written, in order (a SignatureBuilder signing the new file as it is written). */
export interface OutputSink {
  update(chunk: Uint8Array): void;
  /**
   * Offered each copy before its bytes: returns how many of its blocks (from the first) it
   * accounted for without them; update() gets the bytes of the rest only.
   */
  copied?(block: number, count: number): number;
}

/**
 * Writes the file described by `ops` to `out` (open, empty), copying blocks from `basis`. Throws
 * FileVerifyFailed if a copy falls outside the basis, the stream stops before its `end` op, or the
 * result's size or SHA-256 differs from the sender's: the caller then discards `out`.
 * `label` names the file in errors.
 */
export async function writeDelta(
  basis: FileHandle | null,
  blockSize: number,
  ops: AsyncIterable<DeltaOp>,
  out: FileHandle,
  label: string,
  sink?: OutputSink,
): Promise<ApplyResult> {
  const fail = (why: string): never => {
    throw new SpareSyncError('FileVerifyFailed', `${label}: ${why}`);
  };
  const basisSize = basis ? (await basis.stat()).size : 0;
  const hash = createHash('sha256');
  const writer = new PipelinedWriter(out);
  let size = 0;
  for await (const op of ops) {
    if (op.kind === 'data') {
      hash.update(op.data);
      sink?.update(op.data);
      await writer.write(op.data);
      size += op.data.length;
    } else if (op.kind === 'copy') {
      if (!basis) fail('the sender referred to blocks of an old copy, but there is none');
      const { block, count } = op;
      const start = block * blockSize;
      if (!Number.isSafeInteger(block) || !Number.isSafeInteger(count) || block < 0 || count < 1) {
        fail(`invalid copy of ${count} block(s) at ${block}`);
      }
      if ((block + count - 1) * blockSize >= basisSize) {
        fail(
          `copy of blocks ${block}..${block + count - 1} is beyond the old copy (${basisSize} bytes); it changed?`,
        );
      }
      const stop = Math.min(start + count * blockSize, basisSize);
      const sinkFrom = start + (sink?.copied?.(block, count) ?? 0) * blockSize; // sink needs bytes from here
      for (let at = start; at < stop;) {
        const buf = await writer.buffer();
        const { bytesRead } = await basis!.read(buf, 0, Math.min(buf.length, stop - at), at);
        if (bytesRead === 0) fail(`the old copy shrank while it was read (at byte ${at})`);
        const chunk = buf.subarray(0, bytesRead);
        hash.update(chunk);
        if (at + bytesRead > sinkFrom) sink?.update(chunk.subarray(Math.max(0, sinkFrom - at)));
        await writer.write(chunk, buf);
        at += bytesRead;
        size += bytesRead;
      }
    } else {
      await writer.flush();
      const sha256 = hash.digest();
      if (op.size !== size) fail(`result has ${size} bytes, the sender's file ${op.size}`);
      if (!sha256.equals(op.sha256)) {
        fail(`SHA-256 ${sha256.toString('hex')} differs from the sender's ${op.sha256.toString('hex')}`);
      }
      return { size, sha256 };
    }
  }
  await writer.flush();
  return fail('the transfer ended before its final checksum');
}

/**
 * Builds the new file at `targetTempPath` (which must not exist) from the basis and the ops; on
 * any error the temp file is removed. Publishing it is the caller's step (see atomic-write.ts).
 */
export async function applyDelta(
  basisPath: string | null,
  ops: AsyncIterable<DeltaOp>,
  targetTempPath: string,
  options: { blockSize: number },
): Promise<ApplyResult> {
  const basis = basisPath === null ? null : await open(basisPath, 'r');
  try {
    const out = await open(targetTempPath, 'wx', 0o600);
    try {
      const result = await writeDelta(basis, options.blockSize, ops, out, targetTempPath);
      await out.close();
      return result;
    } catch (e) {
      await out.close().catch(() => undefined);
      await rm(targetTempPath, { force: true });
      throw e;
    }
  } finally {
    await basis?.close();
  }
}

/**
 * Applies a delta whose basis is the file now at `targetPath` (if it is a regular file; a symlink
 * there is never read through), publishing the result atomically. A checksum mismatch throws
 * FileVerifyFailed and leaves the target untouched.
 */
export async function applyDeltaAtomically(
  targetPath: string,
  ops: AsyncIterable<DeltaOp>,
  options: FileMeta & { blockSize: number },
): Promise<ApplyResult> {
  const st = await lstatOrNull(targetPath);
  const basis = st?.isFile() ? await open(targetPath, constants.O_RDONLY | constants.O_NOFOLLOW) : null;
  try {
    let result: ApplyResult | undefined;
    await writeAtomically(
      targetPath,
      async (out) => {
        result = await writeDelta(basis, options.blockSize, ops, out, targetPath);
      },
      options,
    );
    return result!;
  } finally {
    await basis?.close();
  }
}

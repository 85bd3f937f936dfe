import { closeSync, fchmodSync, futimesSync, open as openCb, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '@sparesync/common';
import { fsyncDir, writeAll } from './fs-util';
import { sharedSlice } from './loop-slice';
import { PROCESS_TEMP_PREFIX } from './names';

// Publishing a file: write a temp file beside the target, set its mode and mtime, fsync it,
// rename it over the target, fsync the directory (or let the caller do that once for many
// files). rename(2) is atomic, so a crash at any point
// leaves the old file or the new one at the target path, never a mix; what a crash can leave is a
// temp file, which the folder's first scan after the restart removes (sweepStaleTemps).
//
// Mode and mtime are set on the temp file *before* the rename (the design's temp → metadata →
// rename): rename keeps them, so the new content never appears with the old metadata, and a crash
// right after the rename cannot leave a file that the next scan would see as different.
// (Node built-ins only: the crash test runs this file in a bare child process.)

export interface FileMeta {
  /** Milliseconds since the epoch, at the sender's full precision. */
  mtimeMs: number;
  /** Permission bits (mode & 0o7777). */
  mode: number;
}

export interface WriteOptions {
  /**
   * Leave the directory's fsync to the caller, who makes one fsync of each directory cover a
   * whole group of renames in it (commit-group.ts). The file itself is still synced before its
   * rename, so a crash leaves the old or the new content; the rename is durable only once the
   * caller has synced the directory, and nothing may be acknowledged before that.
   */
  deferDirSync?: boolean;
}

export type WriteSource = Uint8Array | AsyncIterable<Uint8Array> | ((out: FileHandle) => Promise<void>);

/** This process's temp prefix, then a counter: unique names without a random draw per file. */
let tempCount = 0;

export function tempPathFor(targetPath: string): string {
  return join(dirname(targetPath), PROCESS_TEMP_PREFIX + (tempCount++).toString(36));
}

export async function writeAtomically(
  targetPath: string,
  source: WriteSource,
  meta: FileMeta,
  options: WriteOptions = {},
): Promise<void> {
  const tmp = tempPathFor(targetPath);
  const out = await open(tmp, 'wx', 0o600); // 0600 until the final mode is set
  let open_ = true;
  try {
    if (typeof source === 'function') await source(out);
    else if (source instanceof Uint8Array) await writeAll(out, source);
    else for await (const chunk of source) await writeAll(out, chunk);
    await out.chmod(meta.mode & 0o7777);
    await out.utimes(meta.mtimeMs / 1000, meta.mtimeMs / 1000);
    await out.sync();
    open_ = false;
    await out.close();
    await rename(tmp, targetPath);
  } catch (e) {
    if (open_) await out.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  if (!options.deferDirSync) await fsyncDir(dirname(targetPath));
}

/**
 * writeAtomically for a small file held in memory, in the same steps (temp file, mode and mtime,
 * fsync, rename, then the directory's fsync unless deferred), built on stageSmallFile: only the
 * temp file's creation and the fsync go to the thread pool; the other steps are synchronous calls
 * of microseconds. `beforeRename` runs after the fsync, just before the rename.
 */
export async function writeSmallAtomically(
  targetPath: string,
  chunks: readonly Uint8Array[],
  meta: FileMeta,
  options: WriteOptions & { beforeRename?: () => Promise<void> } = {},
): Promise<void> {
  const staged = await stageSmallFile(targetPath, chunks, meta, options.beforeRename);
  try {
    await fsyncDir(staged.tmp);
  } catch (e) {
    staged.discard();
    throw e;
  }
  await staged.publish();
  if (!options.deferDirSync) await fsyncDir(dirname(targetPath));
}

/** A small file written to its temp file with its mode and mtime, neither durable nor published. */
export interface StagedFile {
  tmp: string;
  /** Renames the temp file over the target (after `beforeRename`); the caller made it durable. */
  publish(): Promise<void>;
  /** Removes the temp file (a failed member of a group). */
  discard(): void;
}

/**
 * The first steps of writeSmallAtomically (temp file, data, mode, mtime) without the fsync and
 * the rename: the caller makes many staged files durable at once (commit-group.ts: one syncfs of
 * the file system, or each file's fsync where that is unavailable), then publishes each. Until
 * published the target keeps its old content; a crash leaves only a temp file.
 */
export async function stageSmallFile(
  targetPath: string,
  chunks: readonly Uint8Array[],
  meta: FileMeta,
  beforeRename?: () => Promise<void>,
): Promise<StagedFile> {
  const tmp = tempPathFor(targetPath);
  const fd = await new Promise<number>((resolve, reject) =>
    openCb(tmp, 'wx', 0o600, (e, n) => (e ? reject(e) : resolve(n))),
  );
  try {
    // The thread pool hands back opens in bursts (a batch holds up to 512 tiny files), and
    // libuv runs all of a burst's callbacks at once: their synchronous writes take turns.
    await sharedSlice.turn();
    for (const c of chunks) for (let off = 0; off < c.length;) off += writeSync(fd, c, off);
    fchmodSync(fd, meta.mode & 0o7777);
    futimesSync(fd, meta.mtimeMs / 1000, meta.mtimeMs / 1000);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  const discard = () => rmSync(tmp, { force: true });
  return {
    tmp,
    discard,
    publish: async () => {
      try {
        await beforeRename?.();
        renameSync(tmp, targetPath);
      } catch (e) {
        discard();
        throw e;
      }
    },
  };
}

/** Folders whose first complete scan in this process has removed the temp files left there. */
const swept = new Set<string>();

/**
 * For a scan of `root` (scan.ts `onTemp`): until a scan of `root` has completed in this process,
 * removes each temp file it finds that an earlier process left (a crash), and `done()` returns
 * their paths. Files with this process's prefix are writes in progress and stay. The scan sees
 * every name anyway: a walk of its own at start-up was a second pass over the tree before the
 * link was dialled (~0.1-0.2 s at 100,000 files, issue 16). Not reached: the `.deleted` archive
 * and excluded directories, which are never written to through a temp file.
 */
export function sweepStaleTemps(
  root: string,
  log?: Pick<Logger, 'info'>,
): { onTemp?: (path: string) => void; done(): string[] } {
  if (swept.has(root)) return { done: () => [] };
  const removed: string[] = [];
  return {
    onTemp: (path) => {
      if (path.startsWith(PROCESS_TEMP_PREFIX, path.lastIndexOf('/') + 1)) return;
      rmSync(path, { force: true });
      removed.push(path);
    },
    done: () => {
      swept.add(root);
      if (removed.length) log?.info(`removed ${removed.length} unfinished temp file(s) in ${root}`);
      return removed;
    },
  };
}

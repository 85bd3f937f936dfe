// The receiving side's changes to one folder. Every path is checked to stay inside the folder
// (resolveInside) before anything is touched; whatever is replaced or removed goes into the
// .deleted archive first unless the folder's keepDeleted is off; files are published atomically.
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readlink, rename, rm, symlink, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { writeDelta, type ApplyResult } from './apply-delta';
import { writeAtomically, type WriteOptions } from './atomic-write';
import { archiveBeforeReplace } from './deleted-archive';
import type { DeltaOp } from './delta';
import type { FolderConfig } from './folder-config';
import { lstatOrNull } from './fs-util';
import { resolveInside } from './path-safety';
import type { ManifestEntry } from './scan';

export class FolderWriter {
  constructor(readonly cfg: FolderConfig) {}

  async remove(rel: string): Promise<void> {
    const abs = await resolveInside(this.cfg.root, rel);
    if (await lstatOrNull(abs)) await this.discard(rel, abs);
  }

  async rename(from: string, to: string): Promise<void> {
    const src = await resolveInside(this.cfg.root, from);
    const dst = await resolveInside(this.cfg.root, to);
    if (!(await lstatOrNull(src))) {
      throw new SpareSyncError('FileVerifyFailed', `cannot rename ${from}: it is not there any more`);
    }
    if (await lstatOrNull(dst)) await this.discard(to, dst);
    await mkdir(dirname(dst), { recursive: true });
    await rename(src, dst);
  }

  /** Mode and mtime of an entry whose content is already right. */
  async meta(e: ManifestEntry): Promise<void> {
    const abs = await resolveInside(this.cfg.root, e.path);
    const st = await lstat(abs);
    if (st.isSymbolicLink()) return;
    await chmod(abs, e.mode);
    if (st.isFile()) await utimes(abs, e.mtimeMs / 1000, e.mtimeMs / 1000);
  }

  async dir(e: ManifestEntry): Promise<void> {
    const abs = await resolveInside(this.cfg.root, e.path);
    const st = await lstatOrNull(abs);
    if (st && !st.isDirectory()) await this.discard(e.path, abs);
    if (!st?.isDirectory()) await mkdir(abs, { recursive: true });
    await chmod(abs, e.mode);
  }

  async symlink(e: ManifestEntry): Promise<void> {
    const abs = await resolveInside(this.cfg.root, e.path);
    const st = await lstatOrNull(abs);
    if (st?.isSymbolicLink() && (await readlink(abs)) === e.linkTarget) return;
    if (st) await this.discard(e.path, abs);
    await mkdir(dirname(abs), { recursive: true });
    await symlink(e.linkTarget ?? '', abs);
  }

  /**
   * Publishes a file rebuilt from `ops`, whose copy instructions refer to the current file at the
   * path (blocks of `blockSize`; 0 = no basis). Verified before anything is published; the old
   * version is archived (hard link) just before the rename, so the path never goes missing.
   * With `deferDirSync` the caller fsyncs the returned `dir` before acknowledging the file.
   */
  async file(
    e: ManifestEntry,
    blockSize: number,
    ops: AsyncIterable<DeltaOp>,
    options: WriteOptions = {},
  ): Promise<ApplyResult & { dir: string }> {
    const abs = await resolveInside(this.cfg.root, e.path);
    const st = await lstatOrNull(abs);
    if (st && !st.isFile() && !st.isSymbolicLink()) await this.discard(e.path, abs);
    await mkdir(dirname(abs), { recursive: true });
    const basis =
      st?.isFile() && blockSize > 0 ? await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW) : null;
    let result: ApplyResult | undefined;
    try {
      await writeAtomically(
        abs,
        async (out) => {
          result = await writeDelta(basis, blockSize, ops, out, `${this.cfg.name}/${e.path}`);
          if (st && this.cfg.keepDeleted) {
            await archiveBeforeReplace(this.cfg.root, e.path, this.cfg.archiveRoot, {
              leaveInPlace: st.isFile(),
            });
          }
        },
        { mtimeMs: e.mtimeMs, mode: e.mode },
        options,
      );
    } finally {
      await basis?.close();
    }
    return { ...result!, dir: dirname(abs) };
  }

  private async discard(rel: string, abs: string): Promise<void> {
    if (this.cfg.keepDeleted) await archiveBeforeReplace(this.cfg.root, rel, this.cfg.archiveRoot);
    else await rm(abs, { recursive: true, force: true });
  }
}

// The receiving side's changes to one folder. Every path is checked to stay inside the folder
// (resolveInside) before anything is touched; whatever is replaced or removed goes into the
// .deleted archive first unless the folder's keepDeleted is off; files are published atomically.
import { createHash } from 'node:crypto';
import { constants, lstatSync, mkdirSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, open, readlink, rename, rm, symlink, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { writeDelta, type ApplyResult } from './apply-delta';
import { stageSmallFile, writeAtomically, type WriteOptions } from './atomic-write';
import type { MemberResult } from './commit-group';
import { archiveBeforeReplace } from './deleted-archive';
import type { DeltaOp } from './delta';
import type { FolderConfig } from './folder-config';
import { lstatOrNull } from './fs-util';
import { isInternalPath } from './names';
import { parentOf, resolveInside, resolveInsideSync } from './path-safety';
import { chooseBlockSize, signature, SignatureBuilder, type Signature } from './signature';
import { CACHE_MIN_BYTES, SignatureCache } from './signature-cache';
import type { ManifestEntry } from './scan';

/** A small file that passed checkSmallFile, with what was at its path then. */
export interface CheckedSmallFile {
  entry: ManifestEntry;
  abs: string;
  data: Buffer[];
  parentsExist: boolean;
  parents: Map<string, boolean> | undefined;
  existing: Stats | undefined;
}

export class FolderWriter {
  private readonly signatures = new SignatureCache();

  /** `maxBlockSize`: network.blockSizeBytes, which the sender also chooses block sizes with. */
  constructor(
    readonly cfg: FolderConfig,
    private readonly maxBlockSize = 65536,
  ) {}

  /**
   * The signature of the file at `rel` in blocks of `blockSize` (0: this side's choice), or null
   * when there is no regular, non-empty file there.
   */
  async signature(rel: string, blockSize: number): Promise<Signature | null> {
    const abs = await this.target(rel, false);
    const st = await lstatOrNull(abs);
    if (!st?.isFile() || st.size === 0) return null;
    const bs = blockSize || chooseBlockSize(st.size, this.maxBlockSize);
    const cached = this.signatures.get(rel, st, bs);
    if (cached) return cached;
    const sig = await signature(abs, bs);
    if (st.size >= CACHE_MIN_BYTES) {
      const after = await lstatOrNull(abs); // kept only if the file did not change meanwhile
      if (after && after.ino === st.ino && after.ctimeMs === st.ctimeMs) this.signatures.set(rel, after, sig);
    }
    return sig;
  }

  async remove(rel: string): Promise<void> {
    const abs = await this.target(rel);
    this.signatures.delete(rel);
    if (await lstatOrNull(abs)) await this.discard(rel, abs);
  }

  async rename(from: string, to: string): Promise<void> {
    this.signatures.delete(from);
    this.signatures.delete(to);
    const src = await this.target(from);
    const dst = await this.target(to, (await lstatOrNull(src))?.isDirectory() ?? false);
    if (!(await lstatOrNull(src))) {
      throw new SpareSyncError('FileVerifyFailed', `cannot rename ${from}: it is not there any more`);
    }
    if (await lstatOrNull(dst)) await this.discard(to, dst);
    await mkdir(dirname(dst), { recursive: true });
    await rename(src, dst);
  }

  /** Mode and mtime of an entry whose content is already right. */
  async meta(e: ManifestEntry): Promise<void> {
    const abs = await this.target(e.path, e.type === 'dir');
    const st = await lstat(abs);
    if (st.isSymbolicLink()) return;
    await chmod(abs, e.mode);
    if (st.isFile()) await utimes(abs, e.mtimeMs / 1000, e.mtimeMs / 1000);
  }

  async dir(e: ManifestEntry): Promise<void> {
    const abs = await this.target(e.path, true);
    const st = await lstatOrNull(abs);
    if (st && !st.isDirectory()) await this.discard(e.path, abs);
    if (!st?.isDirectory()) await mkdir(abs, { recursive: true });
    await chmod(abs, e.mode);
  }

  async symlink(e: ManifestEntry): Promise<void> {
    const abs = await this.target(e.path, false);
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
    const abs = await this.target(e.path, false);
    const st = await lstatOrNull(abs);
    if (st && !st.isFile() && !st.isSymbolicLink()) await this.discard(e.path, abs);
    await mkdir(dirname(abs), { recursive: true });
    const basis =
      st?.isFile() && blockSize > 0 ? await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW) : null;
    // A large file rebuilt from its old copy changes in place, so it is signed as it is written,
    // for its next change (signature-cache.ts); blocks copied from an old copy whose signature is
    // known take their checksums from it. A file that arrives whole is not: most never change
    // in place (archives, media, backups), and signing costs ~1.5-2 CPU-s per GiB. Its first
    // change pays one signature pass over it, as rsync's receiver does at every change.
    const known = basis && st ? this.signatures.get(e.path, st, blockSize) : undefined;
    this.signatures.delete(e.path);
    const builder =
      basis && e.size >= CACHE_MIN_BYTES
        ? new SignatureBuilder(chooseBlockSize(e.size, this.maxBlockSize))
        : undefined;
    const signer = builder && {
      update: (chunk: Uint8Array) => builder.update(chunk),
      copied: (block: number, count: number) => (known ? builder.takeBlocks(known, block, count) : 0),
    };
    let result: ApplyResult | undefined;
    try {
      await writeAtomically(
        abs,
        async (out) => {
          result = await writeDelta(basis, blockSize, ops, out, `${this.cfg.name}/${e.path}`, signer);
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
    if (builder) {
      const published = await lstatOrNull(abs);
      if (published?.isFile()) this.signatures.set(e.path, published, builder.finish());
    }
    return { ...result!, dir: dirname(abs) };
  }

  /**
   * file() for a small file sent whole (data ops and its end op, no basis), in memory already:
   * checked (checkSmallFile), then staged (stageChecked). Making it durable and publishing it is
   * the caller's (commit-group.ts).
   */
  async smallFile(e: ManifestEntry, ops: readonly DeltaOp[]): Promise<MemberResult> {
    // async: a refusal rejects the promise (the member fails in its group), it is never thrown.
    return this.stageChecked(this.checkSmallFile(e, ops));
  }

  /**
   * The synchronous checks of a small file, touching nothing: its path (allowed, inside the
   * folder; `parents` is one batch's record of the parent directories checked already), its size
   * and SHA-256 against the sender's, and what is at its path now. A batch checks all its files
   * before it stages any: an lstat of a name not yet there waits for the directory's lock while
   * the thread pool creates temp files in it.
   */
  checkSmallFile(
    e: ManifestEntry,
    ops: readonly DeltaOp[],
    parents?: Map<string, boolean>,
  ): CheckedSmallFile {
    this.allowed(e.path, false);
    const { abs, parentsExist } = resolveInsideSync(this.cfg.root, e.path, parents);
    const label = `${this.cfg.name}/${e.path}`;
    const data: Buffer[] = [];
    const hash = createHash('sha256');
    let size = 0;
    let end: Extract<DeltaOp, { kind: 'end' }> | undefined;
    for (const op of ops) {
      if (op.kind === 'data') {
        data.push(op.data);
        hash.update(op.data);
        size += op.data.length;
      } else if (op.kind === 'end') end = op;
      else throw new SpareSyncError('FileVerifyFailed', `${label}: a copy op in a file sent whole`);
    }
    if (!end)
      throw new SpareSyncError('FileVerifyFailed', `${label}: the transfer ended before its final checksum`);
    if (end.size !== size) {
      throw new SpareSyncError(
        'FileVerifyFailed',
        `${label}: result has ${size} bytes, the sender's file ${end.size}`,
      );
    }
    const sha256 = hash.digest();
    if (!sha256.equals(end.sha256)) {
      throw new SpareSyncError(
        'FileVerifyFailed',
        `${label}: SHA-256 ${sha256.toString('hex')} differs from the sender's ${end.sha256.toString('hex')}`,
      );
    }
    const st = lstatSync(abs, { throwIfNoEntry: false });
    return { entry: e, abs, data, parentsExist, parents, existing: st };
  }

  /** Writes a checked small file's temp file (stageSmallFile), replacing a non-file at its path. */
  async stageChecked(c: CheckedSmallFile): Promise<MemberResult> {
    const { entry: e, abs, existing: st } = c;
    if (st && !st.isFile() && !st.isSymbolicLink()) await this.discard(e.path, abs);
    const dir = dirname(abs);
    if (!c.parentsExist && !c.parents?.get(parentOf(e.path))) {
      mkdirSync(dir, { recursive: true });
      c.parents?.set(parentOf(e.path), true); // real directories now, made here
    }
    const archive =
      st && this.cfg.keepDeleted
        ? () =>
            archiveBeforeReplace(this.cfg.root, e.path, this.cfg.archiveRoot, {
              leaveInPlace: st.isFile(),
            }).then(() => undefined)
        : undefined;
    const staged = await stageSmallFile(abs, c.data, { mtimeMs: e.mtimeMs, mode: e.mode }, archive);
    return { dir, staged };
  }

  /**
   * The absolute path of `rel`, a path from the wire, after every check it must pass: inside the
   * folder (path-safety.ts) and allowed by this side's own settings (allowed()). `isDir` undefined:
   * the path names what is there now (a remove or a rename's source), so its type is looked up.
   */
  private async target(rel: string, isDir?: boolean): Promise<string> {
    const abs = await resolveInside(this.cfg.root, rel);
    this.allowed(rel, isDir ?? (await lstatOrNull(abs))?.isDirectory() ?? false);
    return abs;
  }

  /**
   * The receiver trusts nothing the sender was not allowed to send (DESIGN.md): a path that names
   * SpareSync's own files (.deleted/, temp files) or one this side's folders[].exclude excludes,
   * itself or through a directory above it, is refused, whoever sent it.
   */
  private allowed(rel: string, isDir: boolean): void {
    const refuse = (why: string): never => {
      throw new SpareSyncError(
        'PathRejected',
        `path ${JSON.stringify(rel)} in folder ${this.cfg.name} rejected: ${why}`,
      );
    };
    if (isInternalPath(rel)) refuse('it names a file of SpareSync itself (.deleted/ or a temp file)');
    const segments = rel.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const p = segments.slice(0, i).join('/');
      if (this.cfg.excluded(p, i < segments.length || isDir)) {
        refuse(`folders[].exclude of folder ${this.cfg.name} on this server excludes ${p}`);
      }
    }
  }

  private async discard(rel: string, abs: string): Promise<void> {
    if (this.cfg.keepDeleted) await archiveBeforeReplace(this.cfg.root, rel, this.cfg.archiveRoot);
    else await rm(abs, { recursive: true, force: true });
  }
}

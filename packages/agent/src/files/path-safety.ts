import { lstatSync, realpathSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { lstatOrNull } from './fs-util';

// Every path that comes from the other server is relative, posix-separated and must land inside
// its folder. Checked twice: lexically (no absolute, '..', '.', empty segment, NUL, backslash), then
// on disk (no existing parent directory that is, or resolves through, a symlink leading out).
// The disk check is at call time: the receiving folder is SpareSync's to write, so a local process
// racing to swap a parent for a symlink between check and use is outside the threat model.

function reject(root: string, relPath: string, reason: string): never {
  throw new SpareSyncError(
    'PathRejected',
    `path ${JSON.stringify(relPath)} in folder ${root} rejected: ${reason}`,
  );
}

/** The segments of a well-formed relative path; throws PathRejected naming the reason. */
export function splitRelPath(root: string, relPath: string): string[] {
  if (typeof relPath !== 'string' || relPath.length === 0) reject(root, String(relPath), 'empty path');
  if (relPath.includes('\0')) reject(root, relPath, 'contains a NUL byte');
  if (relPath.startsWith('/')) reject(root, relPath, 'is absolute');
  // A backslash is a legal file-name character here but a separator on Windows; refusing it
  // keeps a path meaning the same thing on both servers.
  if (relPath.includes('\\')) reject(root, relPath, 'contains a backslash');
  const segments = relPath.split('/');
  for (const s of segments) {
    if (s === '') reject(root, relPath, 'has an empty segment');
    if (s === '.') reject(root, relPath, "has a '.' segment");
    if (s === '..') reject(root, relPath, "has a '..' segment");
  }
  return segments;
}

/** The directory of a folder-relative path, '' at the folder's top. */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function isInside(realRoot: string, p: string): boolean {
  return p === realRoot || p.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

/**
 * The absolute path of `relPath` under `root`, after checking that it cannot escape: see above.
 * The last segment itself may be a symlink: callers replace or remove it, never write through it.
 */
export async function resolveInside(root: string, relPath: string): Promise<string> {
  const absRoot = resolve(root);
  const segments = splitRelPath(absRoot, relPath);
  let realRoot: string | null = null; // looked up only behind a symlinked parent
  let dir = absRoot;
  for (let i = 0; i < segments.length - 1; i++) {
    dir = join(dir, segments[i]!);
    const st = await lstatOrNull(dir);
    if (!st) break; // the rest does not exist yet and will be created as real directories
    if (st.isSymbolicLink()) {
      const target = await realpath(dir).catch(() => null);
      realRoot ??= await realpath(absRoot);
      checkLink(absRoot, relPath, segments, i, realRoot, target, target !== null && (await isDir(target)));
    } else if (!st.isDirectory()) {
      reject(absRoot, relPath, `parent ${segments.slice(0, i + 1).join('/')} is not a directory`);
    }
  }
  return join(absRoot, ...segments);
}

/**
 * resolveInside with synchronous calls, for the receiver's small files (an lstat costs
 * microseconds in this thread, against a thread-pool round trip per call); also tells whether
 * every parent exists already, so that no mkdir is needed. `checked` (one batch's: parents are
 * checked at call time, so it must not outlive the batch) remembers the parent directories that
 * passed, so a batch of many files in one directory checks it once; one that failed is checked
 * (and refused) again for each file.
 */
export function resolveInsideSync(
  root: string,
  relPath: string,
  checked?: Map<string, boolean>,
): { abs: string; parentsExist: boolean } {
  const absRoot = resolve(root);
  const segments = splitRelPath(absRoot, relPath);
  // The segments passed the lexical checks: the plain concatenation is already normal.
  const abs = absRoot === sep ? absRoot + relPath : absRoot + sep + relPath;
  if (!checked) return { abs, parentsExist: parentsExistInside(absRoot, relPath, segments) };
  const parent = parentOf(relPath);
  let parentsExist = checked.get(parent);
  if (parentsExist === undefined) {
    parentsExist = parentsExistInside(absRoot, relPath, segments);
    checked.set(parent, parentsExist);
  }
  return { abs, parentsExist };
}

/** The on-disk check of resolveInsideSync: true when every parent exists (and passed). */
function parentsExistInside(absRoot: string, relPath: string, segments: string[]): boolean {
  let realRoot: string | null = null;
  let dir = absRoot;
  for (let i = 0; i < segments.length - 1; i++) {
    dir = join(dir, segments[i]!);
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st) return false;
    if (st.isSymbolicLink()) {
      const target = realpathOrNull(dir);
      realRoot ??= realpathSync(absRoot);
      const targetIsDir = target !== null && !!statSync(target, { throwIfNoEntry: false })?.isDirectory();
      checkLink(absRoot, relPath, segments, i, realRoot, target, targetIsDir);
    } else if (!st.isDirectory()) {
      reject(absRoot, relPath, `parent ${segments.slice(0, i + 1).join('/')} is not a directory`);
    }
  }
  return true;
}

/** A symlinked parent (segment i) must resolve to a directory inside the folder. */
function checkLink(
  absRoot: string,
  relPath: string,
  segments: string[],
  i: number,
  realRoot: string,
  target: string | null,
  targetIsDir: boolean,
): void {
  const parent = segments.slice(0, i + 1).join('/');
  if (target === null) reject(absRoot, relPath, `parent ${parent} is a dangling symlink`);
  if (!isInside(realRoot, target)) {
    reject(absRoot, relPath, `parent ${parent} is a symlink leading outside the folder`);
  }
  if (!targetIsDir) reject(absRoot, relPath, `parent ${parent} is not a directory`);
}

function isDir(p: string): Promise<boolean> {
  return stat(p).then(
    (st) => st.isDirectory(),
    () => false,
  );
}

function realpathOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

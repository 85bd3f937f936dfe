import { spawn } from 'node:child_process';
import type { Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';

/** For `.catch`: a path that is not there is null; any other error stays an error. */
export function ifGone(e: NodeJS.ErrnoException): null {
  if (e.code === 'ENOENT') return null;
  throw e;
}

export function lstatOrNull(path: string): Promise<Stats | null> {
  return lstat(path).catch(ifGone);
}

export async function writeAll(out: FileHandle, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) {
    const { bytesWritten } = await out.write(data, off, data.length - off, null);
    off += bytesWritten;
  }
}

/** Makes a rename in `dir` durable: the directory entry is data too. (On a file: its content.) */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

let syncfsMissing = false;

/**
 * syncfs(2) of the file system holding `path`, through coreutils' `sync -f` (Node has no call for
 * it): every written file and directory on it durable with one flush. False when it could not
 * run (no `sync -f` here, or it failed): the caller then fsyncs what it needs one by one. It
 * flushes other processes' writes to that file system too; the price of one flush per group
 * instead of one per file (issue 16).
 */
export function syncFileSystem(path: string): Promise<boolean> {
  if (syncfsMissing) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn('sync', ['-f', path], { stdio: 'ignore' });
    child.once('error', () => {
      syncfsMissing = true;
      resolve(false);
    });
    child.once('exit', (code) => resolve(code === 0));
  });
}

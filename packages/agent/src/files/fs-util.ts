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

/** Makes a rename in `dir` durable: the directory entry is data too. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

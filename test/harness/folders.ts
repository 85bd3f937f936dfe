// Folder pairs for file replication tests: temp folders on "each server" (both on this machine),
// the settings patch that replicates them, and a comparison of two trees by content, mode and mtime.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from './pair';

export interface FolderPair {
  name: string;
  src: string;
  dst: string;
}

export function makeFolderPair(name = 'www'): FolderPair {
  return { name, src: tempDir(`${name}-primary`), dst: tempDir(`${name}-secondary`) };
}

/** Settings that replicate `folders` quickly (watch batches after 50 ms, no compression). */
export function foldersPatch(folders: FolderPair[], extra: object = {}): object {
  return {
    network: { sendDelaySeconds: 0.05, compression: false },
    folders: folders.map((f) => ({ name: f.name, primaryPath: f.src, secondaryPath: f.dst, ...extra })),
  };
}

// Hashes by path, inode, size and times: polling a tree with large files must not re-read them.
const hashCache = new Map<string, string>();

/**
 * One line per entry: type, path, mode, mtime (files, ms with µs), size and SHA-256 or link target.
 * Compare two sides with sameTree: the secondary's mtime is the primary's set through utimes,
 * which keeps microseconds (libuv truncates), so the two may sit on either side of a whole ms.
 */
export function describeTree(
  root: string,
  skip: (rel: string) => boolean = (r) => r.startsWith('.deleted'),
): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const rel = prefix + name;
      if (skip(rel)) continue;
      const p = join(dir, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isDirectory()) {
        out.push(`dir ${rel} ${mode}`);
        walk(p, rel + '/');
      } else if (st.isSymbolicLink()) {
        out.push(`link ${rel} -> ${readlinkSync(p)}`);
      } else {
        const key = `${p} ${st.ino} ${st.size} ${st.mtimeMs} ${st.ctimeMs}`;
        let h = hashCache.get(key);
        if (!h) {
          h = createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
          hashCache.set(key, h);
        }
        out.push(`file ${rel} ${mode} ${st.mtimeMs.toFixed(3)} ${st.size} ${h}`);
      }
    }
  };
  walk(root, '');
  return out;
}

/** The product's rule (files/manifest-diff.ts): modification times closer than 1 ms are equal. */
const MTIME_WINDOW_MS = 1;

// file <path> <mode> <mtime> <size> <hash>; a path may hold spaces.
const FILE_LINE = /^file (.+) ([0-7]+) ([0-9.]+) ([0-9]+) ([0-9a-f]+)$/;

/** Two describeTree listings are equal: every line the same, file mtimes within the window. */
export function sameTree(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((line, i) => {
    const other = b[i]!;
    if (line === other) return true;
    const x = FILE_LINE.exec(line);
    const y = FILE_LINE.exec(other);
    if (!x || !y || x[1] !== y[1] || x[2] !== y[2] || x[4] !== y[4] || x[5] !== y[5]) return false;
    const [mtime, otherMtime] = [x[3], y[3]];
    return Math.abs(Number(mtime) - Number(otherMtime)) < MTIME_WINDOW_MS;
  });
}

/** Waits until the secondary's tree equals the primary's; on timeout shows the difference. */
export async function waitForSameTree(f: FolderPair, timeoutMs = 20_000): Promise<string[]> {
  let last = '';
  try {
    return await waitFor(
      `${f.dst} to equal ${f.src}`,
      async () => {
        const a = describeTree(f.src);
        const b = describeTree(f.dst);
        last = `primary:\n${a.join('\n')}\nsecondary:\n${b.join('\n')}`;
        return sameTree(a, b) ? a : undefined;
      },
      timeoutMs,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${last.slice(0, 4000)}`);
  }
}

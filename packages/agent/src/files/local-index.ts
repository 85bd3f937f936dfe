// The sender's last view of its folder (path, type, size, mtime, mode, inode), kept in the agent's
// data folder so that after a restart a file moved while the agent was down is still recognised as
// a rename, and the comparison needs no content read: unchanged files are never opened.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ManifestEntry } from './scan';

type Row = [string, ManifestEntry['type'], number, number, number, number, string];

export async function loadIndex(file: string): Promise<Map<string, ManifestEntry>> {
  const map = new Map<string, ManifestEntry>();
  let rows: Row[];
  try {
    rows = JSON.parse(await readFile(file, 'utf8')) as Row[];
  } catch {
    return map; // absent or damaged: the first comparison rebuilds it
  }
  for (const [path, type, size, mtimeMs, mode, ino, linkTarget] of rows) {
    map.set(path, { path, type, size, mtimeMs, mode, ino, ...(type === 'symlink' ? { linkTarget } : {}) });
  }
  return map;
}

/** Rows encoded and written at a time: the whole index as one string was ~10 MB at 100,000 files. */
const ROWS_PER_WRITE = 4096;

export async function saveIndex(file: string, map: ReadonlyMap<string, ManifestEntry>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const out = await open(tmp, 'w');
  try {
    let part: string[] = [];
    let written = 0;
    const flush = async () => {
      await out.write((written > 0 ? ',' : '') + part.join(','));
      written += part.length;
      part = [];
    };
    await out.write('[');
    for (const e of map.values()) {
      const row: Row = [e.path, e.type, e.size, e.mtimeMs, e.mode, e.ino ?? 0, e.linkTarget ?? ''];
      part.push(JSON.stringify(row));
      if (part.length === ROWS_PER_WRITE) await flush();
    }
    if (part.length > 0) await flush();
    await out.write(']');
  } finally {
    await out.close();
  }
  await rename(tmp, file);
}

// The sender's last view of its folder (path, type, size, mtime, mode, inode), kept in the agent's
// data folder so that after a restart a file moved while the agent was down is still recognised as
// a rename, and the comparison needs no content read: unchanged files are never opened.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sharedSlice, STEP_ENTRIES, type Steps } from './loop-slice';
import { storeOf } from './manifest-overlay';
import { ManifestStore } from './manifest-store';
import type { ManifestEntry } from './scan';

type Row = [string, ManifestEntry['type'], number, number, number, number, string];

/**
 * The index saved by saveIndex, or an empty one when it is absent or damaged (the first comparison
 * rebuilds it). Rows are parsed a line at a time, handing the event loop back every few ms: one
 * JSON.parse of the whole file held it for ~1.5 s at 1,000,000 files. A file of one line (written
 * before rows went one per line) is parsed whole.
 */
export async function loadIndex(file: string): Promise<Map<string, ManifestEntry>> {
  const map = new ManifestStore();
  // into the store's columns as fields: no entry object per row
  const add = ([path, type, size, mtimeMs, mode, ino, linkTarget]: Row) =>
    map.put(path, type, size, mtimeMs, mode, ino, type === 'symlink' ? linkTarget : undefined);
  try {
    const text = await readFile(file, 'utf8');
    if (!text.startsWith('[\n')) {
      for (const row of JSON.parse(text) as Row[]) add(row);
      return map.trim();
    }
    for (let at = 2; ;) {
      const end = text.indexOf('\n', at);
      if (end < 0) {
        if (text.slice(at) !== ']') throw new Error('truncated');
        return map.trim();
      }
      const line = text.charCodeAt(end - 1) === 0x2c ? text.slice(at, end - 1) : text.slice(at, end);
      if (line !== '') add(JSON.parse(line) as Row); // '' : the empty index
      at = end + 1;
      if (sharedSlice.due()) await sharedSlice.turn();
    }
  } catch {
    return new Map(); // absent or damaged: the first comparison rebuilds it
  }
}

/**
 * Rows encoded and written at a time: the whole index as one string was ~10 MB at 100,000 files.
 * One row per line, so that loadIndex can parse it in slices; the file is still one JSON array.
 */
const ROWS_PER_WRITE = 4096;

export async function saveIndex(file: string, map: ReadonlyMap<string, ManifestEntry>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const out = await open(tmp, 'w');
  try {
    let part: string[] = [];
    let written = 0;
    const flush = async () => {
      await out.write((written > 0 ? ',\n' : '') + part.join(',\n'));
      written += part.length;
      part = [];
    };
    await out.write('[\n');
    for (const e of map.values()) {
      const row: Row = [e.path, e.type, e.size, e.mtimeMs, e.mode, e.ino ?? 0, e.linkTarget ?? ''];
      part.push(JSON.stringify(row));
      if (part.length === ROWS_PER_WRITE) await flush();
    }
    if (part.length > 0) await flush();
    await out.write('\n]');
  } finally {
    await out.close();
  }
  await rename(tmp, file);
}

/** Equal as the index records them (path, type, size, mtime, mode, inode, link target). */
export function sameEntry(a: ManifestEntry, b: ManifestEntry): boolean {
  return (
    a.type === b.type &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.mode === b.mode &&
    a.ino === b.ino &&
    a.linkTarget === b.linkTarget
  );
}

/** Whether `a` and `b` hold the same paths with equal entries: the index needs no writing. */
export function* sameEntries(
  a: ReadonlyMap<string, ManifestEntry>,
  b: ReadonlyMap<string, ManifestEntry>,
): Steps<boolean> {
  if (a.size !== b.size) return false;
  const [sa, sb] = [storeOf(a), storeOf(b)];
  if (sa && sb) {
    // by columns: no entry made per path (the index and the scan hold the same paths, mostly)
    for (let s = 0, n = sb.slotCount; s < n; s++) {
      if ((s + 1) % STEP_ENTRIES === 0) yield;
      const path = sb.pathAt(s);
      if (path === undefined) continue;
      const o = sa.slotOf(path, sb.hashAt(s));
      if (o < 0 || !sa.equalAt(o, sb, s)) return false;
    }
    return true;
  }
  let n = 0;
  for (const [path, e] of b) {
    if (++n % STEP_ENTRIES === 0) yield;
    const o = a.get(path);
    if (!o || !sameEntry(o, e)) return false;
  }
  return true;
}

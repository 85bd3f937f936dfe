import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIndex, sameEntries, saveIndex } from './local-index';
import { runAtOnce } from './loop-slice';
import { ManifestOverlay } from './manifest-overlay';
import { ManifestStore } from './manifest-store';
import type { ManifestEntry } from './scan';

const entries = (n: number): Map<string, ManifestEntry> => {
  const m = new Map<string, ManifestEntry>();
  for (let i = 0; i < n; i++) {
    const path = `d${i % 7}/f${i} "quoted" ü`;
    m.set(path, {
      path,
      type: 'file',
      size: i,
      mtimeMs: 1_700_000_000_000.25 + i,
      mode: 0o644,
      ino: 1000 + i,
    });
  }
  return m;
};

describe('the local index', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparesync-index-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([0, 1, 4096, 8193])('reads back what was saved (%i entries, written in parts)', async (n) => {
    const file = join(dir, 'sub', 'index.json');
    const saved = entries(n);
    if (n === 1) {
      saved.set('link', {
        path: 'link',
        type: 'symlink',
        size: 0,
        mtimeMs: 5,
        mode: 0o777,
        ino: 9,
        linkTarget: 'd0',
      });
      saved.set('d0', { path: 'd0', type: 'dir', size: 0, mtimeMs: 6, mode: 0o755, ino: 10 });
    }
    await saveIndex(file, saved);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toHaveLength(saved.size);
    expect(text.split('\n')).toHaveLength(Math.max(1, saved.size) + 2); // '[', a row per line, ']'
    expect(new Map(await loadIndex(file))).toEqual(saved); // read into a ManifestStore
  });

  it('starts empty from a missing or damaged file', async () => {
    expect((await loadIndex(join(dir, 'none.json'))).size).toBe(0);
    writeFileSync(join(dir, 'bad.json'), '[["a","file",1');
    expect((await loadIndex(join(dir, 'bad.json'))).size).toBe(0);
    // cut after a whole row: nothing of it is used
    writeFileSync(join(dir, 'cut.json'), '[\n["a","file",1,2,420,3,""],\n');
    expect((await loadIndex(join(dir, 'cut.json'))).size).toBe(0);
  });

  it('reads an index written as one line (before rows went one per line)', async () => {
    const file = join(dir, 'old.json');
    const saved = entries(3);
    const rows = [...saved.values()].map((e) => [e.path, e.type, e.size, e.mtimeMs, e.mode, e.ino, '']);
    writeFileSync(file, JSON.stringify(rows));
    expect(new Map(await loadIndex(file))).toEqual(saved); // read into a ManifestStore
  });
});

describe('sameEntries', () => {
  const store = (m: Map<string, ManifestEntry>) => {
    const s = new ManifestStore();
    for (const [p, e] of m) s.set(p, e);
    return s;
  };
  const link = (linkTarget: string): ManifestEntry => ({
    path: 'l',
    type: 'symlink',
    size: 0,
    mtimeMs: 1,
    mode: 0o777,
    linkTarget,
  });
  const variants = (m: Map<string, ManifestEntry>) => [m, store(m), new ManifestOverlay(store(m))];

  it('tells the same for maps, stores (by columns) and overlays', () => {
    const base = entries(600);
    const changes: Array<[string, Partial<ManifestEntry>]> = [
      ['size', { size: 1 }],
      ['mtime', { mtimeMs: 5 }],
      ['mode', { mode: 0o600 }],
      ['ino', { ino: undefined }],
      ['type', { type: 'dir' }],
    ];
    const first = [...base.keys()][599]!;
    for (const a of variants(base)) {
      for (const b of variants(new Map(base))) expect(runAtOnce(sameEntries(a, b))).toBe(true);
      for (const [what, over] of changes) {
        const other = new Map(base).set(first, { ...base.get(first)!, ...over });
        for (const b of variants(other)) expect([what, runAtOnce(sameEntries(a, b))]).toEqual([what, false]);
      }
      const renamed = new Map(base);
      renamed.delete(first);
      renamed.set('elsewhere', base.get(first)!);
      for (const b of variants(renamed)) expect(runAtOnce(sameEntries(a, b))).toBe(false);
    }
    const [x, y] = [new Map([['l', link('a')]]), new Map([['l', link('b')]])];
    expect(runAtOnce(sameEntries(store(x), store(y)))).toBe(false);
    expect(runAtOnce(sameEntries(store(x), store(new Map(x))))).toBe(true);
  });
});

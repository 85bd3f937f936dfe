import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIndex, saveIndex } from './local-index';
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
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(saved.size);
    expect(await loadIndex(file)).toEqual(saved);
  });

  it('starts empty from a missing or damaged file', async () => {
    expect((await loadIndex(join(dir, 'none.json'))).size).toBe(0);
    writeFileSync(join(dir, 'bad.json'), '[["a","file",1');
    expect((await loadIndex(join(dir, 'bad.json'))).size).toBe(0);
  });
});

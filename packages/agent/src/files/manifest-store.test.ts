import type { ManifestEntry } from './entry';
import { ManifestOverlay, pathsOf } from './manifest-overlay';
import { ManifestStore } from './manifest-store';

const file = (path: string, extra: Partial<ManifestEntry> = {}): ManifestEntry => ({
  path,
  type: 'file',
  size: 2 ** 40 + 3,
  mtimeMs: 1_765_000_000_123.4568,
  mode: 0o4755,
  ino: 2 ** 33 + 1,
  ...extra,
});
const link = (path: string, linkTarget: string): ManifestEntry => ({
  path,
  type: 'symlink',
  size: 0,
  mtimeMs: 7,
  mode: 0o777,
  linkTarget,
});

describe('ManifestStore', () => {
  it('gives back each entry exactly as set (doubles exact, no inode when it had none)', () => {
    const s = new ManifestStore();
    const es = [
      file('a'),
      { ...file('d'), type: 'dir' as const, size: 0 },
      link('d/l', '../a'),
      file('r', { ino: undefined }),
    ];
    for (const e of es) s.set(e.path, e);
    const { ino: _ino, ...noIno } = file('r');
    expect(s.get('r')).toStrictEqual(noIno);
    expect([...s.values()]).toEqual(es);
    expect(s.get('d/l')).toStrictEqual(link('d/l', '../a'));
    expect(s.size).toBe(4);
    expect(s.get('x')).toBeUndefined();
  });

  it('overwrites a known path, forgets a deleted one, and grows past its room after trim', () => {
    const s = new ManifestStore();
    for (let i = 0; i < 3000; i++) s.set(`f${i}`, file(`f${i}`, { size: i }));
    s.trim();
    s.set('f1', link('f1', 't'));
    expect(s.get('f1')).toStrictEqual(link('f1', 't'));
    s.set('f1', file('f1'));
    expect(s.get('f1')?.linkTarget).toBeUndefined();
    expect(s.delete('f2')).toBe(true);
    expect(s.delete('f2')).toBe(false);
    s.set('new', file('new', { size: 9 }));
    expect(s.get('new')?.size).toBe(9);
    expect(s.get('f2999')?.size).toBe(2999);
    expect(s.size).toBe(3000);
    expect(new Map(s).get('f5')).toEqual(file('f5', { size: 5 }));
  });

  it('agrees with a Map through many sets and deletes', () => {
    const s = new ManifestStore();
    const m = new Map<string, ManifestEntry>();
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 60_000; i++) {
      const p = `d${next() % 50}/f${next() % 3000}`;
      if (next() % 3 === 0) expect(s.delete(p)).toBe(m.delete(p));
      else {
        const e = file(p, { size: i });
        s.set(p, e);
        m.set(p, e);
      }
    }
    expect(s.size).toBe(m.size);
    expect(new Map(s)).toEqual(m);
    for (let i = 0; i < 3000; i++) expect(s.has(`d1/f${i}`)).toBe(m.has(`d1/f${i}`));
    s.clear();
    expect(s.size).toBe(0);
    expect(s.get('d1/f1')).toBeUndefined();
    s.set('x', file('x'));
    expect([...s.keys()]).toEqual(['x']);
  });
});

describe('ManifestStore paths shared with an earlier store', () => {
  it('put from fields equals set', () => {
    const viaPut = new ManifestStore();
    const e = file('dir/a');
    viaPut.put('dir/a', e.type, e.size, e.mtimeMs, e.mode, e.ino!, undefined);
    viaPut.put('l', 'symlink', 0, 7, 0o777, NaN, 'target');
    expect(viaPut.get('dir/a')).toEqual(e);
    expect(viaPut.get('l')).toEqual(link('l', 'target'));
  });

  /** A store of `paths` (files, size = position), through scanSink after `previous`. */
  const scanned = (paths: string[], previous: ManifestStore | undefined, trim = true): ManifestStore => {
    const s = new ManifestStore();
    const sink = s.scanSink(previous);
    paths.forEach((p, i) => sink(p.split('').join(''), 'file', i, 5, 0o644, i, undefined));
    return trim ? s.trim() : s;
  };
  const viaSet = (paths: string[]): Map<string, ManifestEntry> =>
    new Map(paths.map((p, i) => [p, file(p, { size: i, mtimeMs: 5, mode: 0o644, ino: i })]));
  const names = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => `d${(i + from) % 7}/f${i + from}`);

  it.each([
    ['the same paths in the same order', (p: string[]) => p],
    ['a path added in the middle', (p: string[]) => [...p.slice(0, 900), 'new', ...p.slice(900)]],
    ['a path gone from the middle', (p: string[]) => [...p.slice(0, 900), ...p.slice(901)]],
    ['paths added at the end', (p: string[]) => [...p, 'x/1', 'x/2']],
    ['paths gone from the end', (p: string[]) => p.slice(0, -3)],
    ['another order', (p: string[]) => [...p].reverse()],
    ['none of the same paths', () => names(2500, 5000)],
    [
      'a path listed twice (the later entry wins)',
      (p: string[]) => [...p.slice(0, 10), p[3]!, ...p.slice(10)],
    ],
  ])('scanSink after a store: %s gives the store set() would, with its held strings', (_, change) => {
    const before = scanned(names(2000), undefined);
    const paths = change(names(2000));
    for (const trim of [true, false]) {
      const after = scanned(paths, before, trim);
      const expected = new Map<string, ManifestEntry>();
      for (const p of paths) expected.set(p, viaSet(paths).get(p)!);
      if (paths.length !== new Set(paths).size) {
        // the later entry of a path listed twice is the one kept
        paths.forEach((p, i) => expected.set(p, file(p, { size: i, mtimeMs: 5, mode: 0o644, ino: i })));
      }
      expect(after.size).toBe(expected.size);
      for (const [p, e] of expected) expect(after.get(p)).toEqual(e);
      for (const p of ['nope', 'd1/f99999', ...names(10, 9000)]) expect(after.has(p)).toBe(expected.has(p));
      for (let s = 0; s < after.slotCount; s++) {
        const p = after.pathAt(s);
        const held = before.slotOf(p!);
        if (held >= 0) expect(p).toBe(before.pathAt(held));
      }
      // still a working table: set, delete, grow
      after.set('more', file('more'));
      expect(after.delete(paths[0]!)).toBe(true);
      expect(after.has(paths[0]!)).toBe(false);
      for (let i = 0; i < 3000; i++) after.set(`g${i}`, file(`g${i}`));
      expect(after.get('g2999')?.path).toBe('g2999');
      expect(after.get('more')).toEqual(file('more'));
    }
  });

  it('scanSink after a store with deleted paths, or none, or into a store not empty', () => {
    const before = scanned(names(100), undefined);
    before.delete(names(100)[50]!);
    const after = scanned(names(100), before);
    expect(new Map(after)).toEqual(viaSet(names(100)));
    expect(new Map(scanned(names(100), undefined))).toEqual(viaSet(names(100)));
    const used = new ManifestStore().set('a', file('a'));
    expect(() => used.scanSink(before)).toThrow(/not empty/);
  });

  it('scanSink keeps a symlink target and drops a link replaced by a file', () => {
    const before = new ManifestStore();
    const sink0 = before.scanSink(undefined);
    sink0('a', 'symlink', 0, 7, 0o777, 1, 'x');
    sink0('b', 'file', 1, 7, 0o644, 2, undefined);
    before.trim();
    const after = new ManifestStore();
    const sink = after.scanSink(before);
    sink('a', 'file', 3, 7, 0o644, 1, undefined);
    sink('b', 'symlink', 0, 7, 0o777, 2, 'y');
    after.trim();
    expect(after.get('a')?.linkTarget).toBeUndefined();
    expect(after.get('b')).toEqual({
      path: 'b',
      type: 'symlink',
      size: 0,
      mtimeMs: 7,
      mode: 0o777,
      ino: 2,
      linkTarget: 'y',
    });
  });

  it('pathsOf finds the store under an overlay, changed or not', () => {
    const base = new ManifestStore().set('a', file('a'));
    const view = new ManifestOverlay(base);
    view.set('b', file('b'));
    expect(pathsOf(base)).toBe(base);
    expect(pathsOf(view)).toBe(base);
    expect(pathsOf(new Map())).toBeUndefined();
  });
});

describe('ManifestOverlay', () => {
  it('reads through to its base and keeps its own sets and deletes', () => {
    const base = new ManifestStore();
    for (const p of ['a', 'b', 'c']) base.set(p, file(p));
    const o = new ManifestOverlay(base);
    o.set('b', file('b', { size: 1 }));
    o.set('z', file('z'));
    expect(o.delete('a')).toBe(true);
    expect(o.delete('a')).toBe(false);
    expect(o.delete('nothing')).toBe(false);
    o.set('y', file('y'));
    o.delete('y'); // set here, then deleted: gone without a trace
    expect(o.size).toBe(3);
    expect([...o.changedPaths()]).toHaveLength(3);
    expect(o.has('a')).toBe(false);
    expect(o.get('b')?.size).toBe(1);
    expect(o.get('c')).toEqual(file('c'));
    expect([...o.keys()].sort()).toEqual(['b', 'c', 'z']);
    expect(base.size).toBe(3); // never written through
    expect(base.get('b')).toEqual(file('b'));
    o.set('a', file('a', { size: 5 }));
    expect(o.get('a')?.size).toBe(5);
    expect(o.size).toBe(4);
    o.clear();
    expect(o.size).toBe(0);
    expect([...o]).toEqual([]);
    o.set('q', file('q'));
    expect([...o.values()]).toEqual([file('q')]);
  });
});

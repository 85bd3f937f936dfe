import type { ManifestEntry } from './entry';
import { ManifestOverlay, ManifestStore, pathsOf } from './manifest-store';

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
  it('put from fields equals set; intern gives an equal path (the held one when there is one)', () => {
    const before = new ManifestStore();
    const held = ['dir', 'a'].join('/');
    before.set(held, file(held));
    const fresh = 'dir/' + 'a';
    expect(before.intern(fresh)).toBe(held);
    expect(before.intern('dir/b')).toBe('dir/b');

    const viaPut = new ManifestStore();
    const e = file('dir/a');
    viaPut.put(before.intern(fresh), e.type, e.size, e.mtimeMs, e.mode, e.ino!, undefined);
    viaPut.put('l', 'symlink', 0, 7, 0o777, NaN, 'target');
    expect(viaPut.get('dir/a')).toEqual(e);
    expect(viaPut.get('l')).toEqual(link('l', 'target'));
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

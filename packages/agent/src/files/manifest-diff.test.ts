import { diffManifests } from './manifest-diff';
import { ManifestOverlay } from './manifest-overlay';
import { ManifestStore } from './manifest-store';
import type { ManifestEntry } from './scan';

const T = 1_700_000_000_000.123;
const file = (path: string, over: Partial<ManifestEntry> = {}): ManifestEntry => ({
  path,
  type: 'file',
  size: 10,
  mtimeMs: T,
  mode: 0o644,
  ...over,
});
const dir = (path: string, over: Partial<ManifestEntry> = {}): ManifestEntry => ({
  path,
  type: 'dir',
  size: 0,
  mtimeMs: T,
  mode: 0o755,
  ...over,
});
const link = (path: string, linkTarget: string): ManifestEntry => ({
  path,
  type: 'symlink',
  size: 0,
  mtimeMs: T,
  mode: 0o777,
  linkTarget,
});

describe('diffManifests', () => {
  it('nothing to do for equal manifests', () => {
    const m = [dir('a'), file('a/b'), link('l', 'a/b')];
    expect(diffManifests(m, m)).toEqual({ send: [], remove: [] });
  });

  it('sends what is missing or different, with the reasons', () => {
    const primary = [
      file('new'),
      file('size', { size: 11 }),
      file('time', { mtimeMs: T + 5 }),
      file('mode', { mode: 0o600 }),
      link('l', 'x'),
    ];
    const secondary = [file('size'), file('time'), file('mode'), link('l', 'y')];
    expect(diffManifests(primary, secondary).send).toEqual([
      { entry: primary[4], reasons: ['linkTarget'] },
      { entry: primary[3], reasons: ['mode'] },
      { entry: primary[0], reasons: ['missing'] },
      { entry: primary[1], reasons: ['size'] },
      { entry: primary[2], reasons: ['mtime'] },
    ]);
  });

  it('treats mtimes less than the window apart as equal (utimes round-trip, integer ms on the wire)', () => {
    const p = [file('f')];
    expect(diffManifests(p, [file('f', { mtimeMs: T + 0.0004 })]).send).toEqual([]);
    expect(diffManifests(p, [file('f', { mtimeMs: Math.floor(T) })]).send).toEqual([]);
    expect(diffManifests(p, [file('f', { mtimeMs: T + 1 })]).send).toHaveLength(1);
    expect(diffManifests(p, [file('f', { mtimeMs: T + 1500 })], { mtimeWindowMs: 2000 }).send).toEqual([]);
  });

  it('ignores directory mtimes and symlink modes', () => {
    expect(diffManifests([dir('d')], [dir('d', { mtimeMs: 0 })]).send).toEqual([]);
    expect(diffManifests([dir('d')], [dir('d', { mode: 0o700 })]).send[0]?.reasons).toEqual(['mode']);
    expect(diffManifests([link('l', 't')], [{ ...link('l', 't'), mode: 0o755, mtimeMs: 0 }]).send).toEqual(
      [],
    );
  });

  it('creates directories before their contents', () => {
    const primary = [file('a/b/c'), dir('a/b'), dir('a'), file('a-b'), file('a/z')];
    expect(diffManifests(primary, []).send.map((s) => s.entry.path)).toEqual([
      'a',
      'a-b',
      'a/b',
      'a/b/c',
      'a/z',
    ]);
  });

  it('removes what only the secondary has, deepest first', () => {
    const secondary = [dir('x'), dir('x/y'), file('x/y/z'), file('x/w'), file('top')];
    expect(diffManifests([], secondary).remove.map((e) => e.path)).toEqual([
      'x/y/z',
      'x/w',
      'x/y',
      'top',
      'x',
    ]);
  });

  it('a changed type is removed first, then sent', () => {
    const primary = [file('p'), dir('q'), file('q/inner')];
    const secondary = [dir('p'), file('p/old'), file('q')];
    const d = diffManifests(primary, secondary);
    expect(d.remove.map((e) => `${e.type} ${e.path}`)).toEqual(['file p/old', 'dir p', 'file q']);
    expect(d.send.map((s) => `${s.entry.type} ${s.entry.path} ${s.reasons.join()}`)).toEqual([
      'file p type',
      'dir q type',
      'file q/inner missing',
    ]);
  });

  it('reads maps keyed by path as they are, with the same result as lists', () => {
    const primary = [file('p'), dir('q'), file('q/inner'), file('same'), file('time', { mtimeMs: T + 5 })];
    const secondary = [dir('p'), file('p/old'), file('q'), file('same'), file('time'), file('gone')];
    const byPath = (l: ManifestEntry[]) => new Map(l.map((e) => [e.path, e]));
    const expected = diffManifests(primary, secondary);
    expect(diffManifests(byPath(primary), byPath(secondary))).toEqual(expected);
    expect(diffManifests(primary, byPath(secondary))).toEqual(expected);
    expect(diffManifests(byPath(primary), secondary)).toEqual(expected);
  });

  it('reads two stores by their columns, with the same result as lists', () => {
    const primary = [
      file('p'),
      dir('q'),
      file('q/inner'),
      file('same'),
      file('time', { mtimeMs: T + 5 }),
      file('size', { size: 3 }),
      file('mode', { mode: 0o600 }),
      dir('dmode', { mode: 0o700 }),
      link('l', 'x'),
      link('l2', 'y'),
      file('late', { mtimeMs: T + 0.5 }),
    ];
    const secondary = [
      dir('p'),
      file('p/old'),
      file('q'),
      file('same'),
      file('time'),
      file('gone'),
      file('size'),
      file('mode'),
      dir('dmode', { mtimeMs: 0 }),
      link('l', 'y'),
      link('l2', 'y'),
      file('late'),
    ];
    const store = (l: ManifestEntry[]) => {
      const s = new ManifestStore();
      for (const e of [...l, file('dropped')]) s.set(e.path, e);
      s.delete('dropped'); // a deleted slot is skipped
      return s;
    };
    const expected = diffManifests(primary, secondary);
    expect(expected.send).toHaveLength(8);
    expect(diffManifests(store(primary), store(secondary))).toEqual(expected);
    expect(diffManifests(new ManifestOverlay(store(primary)), store(secondary))).toEqual(expected);
    expect(diffManifests(store(primary), store(secondary), { mtimeWindowMs: 10 })).toEqual(
      diffManifests(primary, secondary, { mtimeWindowMs: 10 }),
    );
  });
});

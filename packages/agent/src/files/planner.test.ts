import type { ManifestEntry } from './scan';
import { applyRenames, expandScope, planSync } from './planner';

const file = (path: string, ino: number, size = 10, mtimeMs = 1000): ManifestEntry => ({
  path,
  type: 'file',
  size,
  mtimeMs,
  mode: 0o644,
  ino,
});
const dir = (path: string, ino: number): ManifestEntry => ({
  path,
  type: 'dir',
  size: 0,
  mtimeMs: 5,
  mode: 0o755,
  ino,
});
const map = (...es: ManifestEntry[]) => new Map(es.map((e) => [e.path, e]));
const remoteOf = (...es: ManifestEntry[]) => map(...es.map(({ ino: _ino, ...e }) => e));

describe('planSync', () => {
  it('turns a vanished path whose inode reappears into a rename, sending no content', () => {
    const previous = map(file('a.txt', 1));
    const plan = planSync(map(file('b.txt', 1)), remoteOf(file('a.txt', 1)), previous);
    expect(plan).toEqual({ renames: [{ from: 'a.txt', to: 'b.txt' }], remove: [], send: [] });
  });

  it('moves a directory with its contents in one rename', () => {
    const previous = map(dir('d', 1), file('d/x', 2), file('d/y', 3));
    const local = map(dir('e', 1), file('e/x', 2), file('e/y', 3));
    const plan = planSync(local, remoteOf(dir('d', 1), file('d/x', 2), file('d/y', 3)), previous);
    expect(plan.renames).toEqual([{ from: 'd', to: 'e' }]);
    expect(plan.remove).toEqual([]);
    expect(plan.send).toEqual([]);
  });

  it('sends the content when the receiver copy at the old path differs', () => {
    const previous = map(file('a.txt', 1));
    const plan = planSync(map(file('b.txt', 1, 10, 2000)), remoteOf(file('a.txt', 1)), previous);
    expect(plan.renames).toEqual([]);
    expect(plan.remove.map((e) => e.path)).toEqual(['a.txt']);
    expect(plan.send.map((s) => s.entry.path)).toEqual(['b.txt']);
  });

  it('limits the comparison to the scope, and widens a directory scope to its subtree', () => {
    const local = map(dir('n', 4), file('n/1', 5), file('other', 6));
    const remote = remoteOf(dir('old', 7), file('old/f', 8));
    const scope = expandScope(new Set(['n', 'old']), local, remote);
    expect([...scope].sort()).toEqual(['n', 'n/1', 'old', 'old/f']);
    const plan = planSync(local, remote, new Map(), scope);
    expect(plan.send.map((s) => s.entry.path)).toEqual(['n', 'n/1']);
    expect(plan.remove.map((e) => e.path)).toEqual(['old/f', 'old']);
  });

  it('applyRenames moves subtrees and lists the new paths', () => {
    const { map: m, moved } = applyRenames(remoteOf(dir('a', 1), file('a/b', 2), file('c', 3)), [
      { from: 'a', to: 'z' },
    ]);
    expect([...m.keys()].sort()).toEqual(['c', 'z', 'z/b']);
    expect(moved.sort()).toEqual(['z', 'z/b']);
  });
});

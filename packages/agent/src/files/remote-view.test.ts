import type { ManifestEntry } from './entry';
import { entryToWire } from './frames';
import { runAtOnce } from './loop-slice';
import { ManifestPacker } from './manifest-codec';
import { ManifestStore } from './manifest-store';
import { planSync } from './planner';
import { remoteView, type Listing } from './remote-view';

const file = (path: string, ino: number, size = 10, mtimeMs = 1000, mode = 0o644): ManifestEntry => ({
  path,
  type: 'file',
  size,
  mtimeMs,
  mode,
  ino,
});
const dir = (path: string, ino: number, mtimeMs = 5): ManifestEntry => ({
  path,
  type: 'dir',
  size: 0,
  mtimeMs,
  mode: 0o755,
  ino,
});
const link = (path: string, ino: number, target: string): ManifestEntry => ({
  path,
  type: 'symlink',
  size: 0,
  mtimeMs: 7,
  mode: 0o777,
  ino,
  linkTarget: target,
});
const store = (...es: ManifestEntry[]) => {
  const s = new ManifestStore();
  for (const e of es) s.set(e.path, e);
  return s;
};
const receiverOf = (...es: ManifestEntry[]) => es.map(({ ino: _ino, ...e }) => e);
/** Packed in parts of a few entries each, as a receiver answers. */
const packed = (es: ManifestEntry[]): Listing => {
  const packer = new ManifestPacker(40);
  const parts: Uint8Array[] = [];
  for (const e of es) {
    packer.add(e);
    if (packer.full) parts.push(packer.take());
  }
  if (!packer.empty) parts.push(packer.take());
  return { parts, entries: [] };
};

const local = [
  dir('d', 1),
  file('d/same', 2),
  file('d/size', 3, 20),
  file('d/mtime', 4, 10, 5000),
  file('d/near', 5, 10, 1000.4), // within the 1 ms window: equal
  file('d/mode', 6, 10, 1000, 0o600),
  dir('kind', 7),
  link('ln', 8, 'd/same'),
  link('ln2', 9, 'd/same'),
  file('new', 10),
];
const remote = receiverOf(
  dir('d', 1, 99), // a directory's mtime is not compared
  file('d/same', 2),
  file('d/size', 3),
  file('d/mtime', 4),
  file('d/near', 5),
  file('d/mode', 6),
  file('kind', 7),
  link('ln', 8, 'd/same'),
  link('ln2', 9, 'elsewhere'),
  file('only-there', 11),
);

describe('remoteView', () => {
  it("keeps this side's entries where the receiver's are equal, the receiver's where they differ", () => {
    const ours = store(...local);
    const view = runAtOnce(remoteView(ours, packed(remote)));
    expect([...view.changedPaths()].sort()).toEqual(
      ['d/mode', 'd/mtime', 'd/size', 'kind', 'ln2', 'new', 'only-there'].sort(),
    );
    expect(view.get('d/same')).toEqual(ours.get('d/same'));
    expect(view.get('d/size')).toEqual(remote.find((e) => e.path === 'd/size'));
    expect(view.has('new')).toBe(false);
    expect(view.size).toBe(remote.length);
  });

  it('finds exactly the differences of the whole list, packed or as entries', () => {
    const ours = store(...local);
    const expected = planSync(ours, new Map(remote.map((e) => [e.path, e])), ours);
    expect(expected.send.length + expected.remove.length).toBeGreaterThan(0);
    for (const listing of [packed(remote), { parts: [], entries: remote.map(entryToWire) }]) {
      const view = runAtOnce(remoteView(ours, listing));
      expect(planSync(ours, view, ours)).toEqual(expected);
    }
  });

  it('finds the same differences whatever order the receiver lists its paths in', () => {
    const many = Array.from({ length: 300 }, (_, i) => file(`d${i % 3}/f${i}`, i + 1, 10 + (i % 2)));
    const ours = store(...many);
    const theirs = receiverOf(...many.map((e, i) => (i % 17 === 0 ? { ...e, size: 99 } : e)));
    const listings = [
      theirs, // the same order
      [...theirs].reverse(),
      theirs.filter((_, i) => i % 5 !== 0), // paths missing there, in order
      theirs.flatMap((e, i) => (i % 7 === 0 ? [...receiverOf(file(`x${i}`, 0)), e] : [e])), // paths only there
      [...theirs.slice(150), ...theirs.slice(0, 150)],
    ];
    for (const listed of listings) {
      const view = runAtOnce(remoteView(ours, packed(listed)));
      const whole = new Map(listed.map((e) => [e.path, e]));
      expect([...view.keys()].sort()).toEqual([...whole.keys()].sort());
      expect(planSync(ours, view, ours)).toEqual(planSync(ours, whole, ours));
    }
  });

  it('is this side itself when the receiver lists the same entries', () => {
    const ours = store(...local);
    const view = runAtOnce(remoteView(ours, packed(receiverOf(...local))));
    expect([...view.changedPaths()]).toEqual([]);
    expect(planSync(ours, view, ours)).toEqual({ send: [], remove: [], renames: [] });
  });

  it('sees a rename when the receiver still has the old path', () => {
    const previous = store(file('a.txt', 1), file('b', 2));
    const ours = store(file('c.txt', 1), file('b', 2));
    const view = runAtOnce(remoteView(ours, packed(receiverOf(file('a.txt', 1), file('b', 2)))));
    expect(planSync(ours, view, previous)).toEqual({
      renames: [{ from: 'a.txt', to: 'c.txt' }],
      remove: [],
      send: [],
    });
  });
});

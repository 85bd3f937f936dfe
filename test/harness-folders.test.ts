// The tree comparison every file test relies on: equal within the product's 1 ms mtime window
// (also across a whole-ms boundary, which rounding flipped), different otherwise.
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTree, makeFolderPair, sameTree } from './harness/folders';

const T0 = 1_700_000_000; // seconds

describe('harness: sameTree', () => {
  const f = makeFolderPair('cmp');
  afterAll(() => {
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  });

  const write = (dir: string, content: string, mtimeS: number) => {
    writeFileSync(join(dir, 'a file.txt'), content);
    utimesSync(join(dir, 'a file.txt'), mtimeS, mtimeS);
  };

  it('takes mtimes either side of a whole millisecond as equal', () => {
    write(f.src, 'x', T0 + 0.0095004);
    write(f.dst, 'x', T0 + 0.0094996);
    const [a, b] = [describeTree(f.src), describeTree(f.dst)];
    expect(a).not.toEqual(b);
    expect(sameTree(a, b)).toBe(true);
  });

  it('tells apart mtimes 1 ms or more apart, and different content', () => {
    write(f.src, 'x', T0 + 0.01);
    write(f.dst, 'x', T0 + 0.0115);
    expect(sameTree(describeTree(f.src), describeTree(f.dst))).toBe(false);
    write(f.dst, 'y', T0 + 0.01);
    expect(sameTree(describeTree(f.src), describeTree(f.dst))).toBe(false);
    write(f.dst, 'x', T0 + 0.01);
    expect(sameTree(describeTree(f.src), describeTree(f.dst))).toBe(true);
  });
});

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderConfig } from './folder-config';
import { compileExcludes } from './glob';
import { tempFolder } from '@sparesync/devkit/testing';
import { watchFolder, type FolderWatcher } from './watcher';

describe('watchFolder', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let watcher: FolderWatcher;
  const seen = new Set<string>();
  const eventually = async (path: string) => {
    for (let i = 0; i < 200 && !seen.has(path); i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toContain(path);
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await tempFolder('watch'));
    await mkdir(join(dir, 'old/deep'), { recursive: true });
    await mkdir(join(dir, 'skip'));
    seen.clear();
    const cfg = { root: dir, excluded: compileExcludes(['skip']) } as FolderConfig;
    watcher = await watchFolder(
      cfg,
      (p) => seen.add(p),
      (e) => {
        throw e;
      },
    );
  });
  afterEach(async () => {
    await watcher.close();
    await cleanup();
  });

  it('reports files at any depth, but not excluded or internal paths', async () => {
    await writeFile(join(dir, 'skip/x.txt'), 'x');
    await mkdir(join(dir, '.deleted'));
    await writeFile(join(dir, 'old/deep/a.txt'), 'a');
    await eventually('old/deep/a.txt');
    expect([...seen].filter((p) => p.startsWith('skip/') || p.startsWith('.deleted/'))).toEqual([]);
  });

  it('watches a directory that appears, and reports what was already in it', async () => {
    const outside = join(dir, '..', `${Date.now()}-moved-in`);
    await mkdir(join(outside, 'sub'), { recursive: true });
    await writeFile(join(outside, 'sub/early.txt'), 'before the watch');
    await rename(outside, join(dir, 'new'));
    await eventually('new/sub/early.txt');
    await writeFile(join(dir, 'new/sub/late.txt'), 'after');
    await eventually('new/sub/late.txt');
  });

  it('reports a removed directory and keeps watching the rest', async () => {
    await rm(join(dir, 'old'), { recursive: true });
    await eventually('old');
    await writeFile(join(dir, 'top.txt'), 't');
    await eventually('top.txt');
  });
});

describe('watchFolder without its own walk (the sender first scan sets the watches)', () => {
  it('watches only the directories named to watchDirectory, and what appears in them', async () => {
    const { dir, cleanup } = await tempFolder('watch-scan');
    await mkdir(join(dir, 'a'));
    await mkdir(join(dir, 'b'));
    const seen = new Set<string>();
    const cfg = { root: dir, excluded: compileExcludes([]) } as FolderConfig;
    const watcher = await watchFolder(
      cfg,
      (p) => seen.add(p),
      (e) => {
        throw e;
      },
      { walk: false },
    );
    try {
      watcher.watchDirectory('');
      watcher.watchDirectory('a');
      await writeFile(join(dir, 'b/unwatched.txt'), 'b');
      await writeFile(join(dir, 'a/x.txt'), 'x');
      for (let i = 0; i < 200 && !seen.has('a/x.txt'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toContain('a/x.txt');
      expect(seen).not.toContain('b/unwatched.txt');
      await mkdir(join(dir, 'c'));
      for (let i = 0; i < 200 && !seen.has('c'); i++) await new Promise((r) => setTimeout(r, 10));
      await writeFile(join(dir, 'c/late.txt'), 'c');
      for (let i = 0; i < 200 && !seen.has('c/late.txt'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toContain('c/late.txt');
    } finally {
      await watcher.close();
      await cleanup();
    }
  });
});

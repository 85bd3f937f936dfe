import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PREFIX } from './names';
import { collectManifest, scanFolder } from './scan';
import { tempFolder } from '@sparesync/devkit/testing';

let dir: string;
let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('scan'));
  root = join(dir, 'site');
  await mkdir(join(root, 'b', 'c'), { recursive: true });
  await mkdir(join(root, 'cache', 'x'), { recursive: true });
  await mkdir(join(root, '.deleted', 'site'), { recursive: true });
  await mkdir(join(dir, 'outside'));
  await writeFile(join(dir, 'outside', 'secret'), 's');
  await writeFile(join(root, 'a.txt'), 'hello');
  await writeFile(join(root, 'b', 'c', 'd.bin'), Buffer.alloc(1000));
  await writeFile(join(root, 'b', 'empty'), '');
  await writeFile(join(root, 'b', 'ünï code + space.txt'), 'u');
  await writeFile(join(root, 'b', 'x.tmp'), 't');
  await writeFile(join(root, 'cache', 'x', 'y'), 'y');
  await writeFile(join(root, '.deleted', 'site', 'old'), 'o');
  await writeFile(join(root, 'b', `${TEMP_PREFIX}abc`), 'partial');
  await symlink('a.txt', join(root, 'link-in'));
  await symlink(join(dir, 'outside'), join(root, 'link-out'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  await chmod(join(root, 'a.txt'), 0o640);
  await utimes(join(root, 'a.txt'), 1_700_000_000.5, 1_700_000_000.25);
});
afterAll(() => cleanup());

describe('scanFolder', () => {
  it('lists files, directories and symlinks in a stable order, a directory before its contents', async () => {
    const entries = await collectManifest(scanFolder(root));
    expect(entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      'file a.txt',
      'dir b',
      `dir b/c`,
      'file b/c/d.bin',
      'file b/empty',
      'file b/x.tmp',
      'file b/ünï code + space.txt',
      'dir cache',
      'dir cache/x',
      'file cache/x/y',
      'symlink link-in',
      'symlink link-out', // listed, never followed: nothing from outside/ appears
    ]);
  });

  it('reports size, mtime, permission bits and link targets', async () => {
    const byPath = new Map((await collectManifest(scanFolder(root))).map((e) => [e.path, e]));
    expect(byPath.get('a.txt')).toEqual({
      path: 'a.txt',
      type: 'file',
      size: 5,
      mtimeMs: 1_700_000_000_250,
      mode: 0o640,
      ino: expect.any(Number),
    });
    expect(byPath.get('b/c/d.bin')?.size).toBe(1000);
    expect(byPath.get('b')?.size).toBe(0);
    expect(byPath.get('link-in')?.linkTarget).toBe('a.txt');
    expect(byPath.get('link-out')?.linkTarget).toBe(join(dir, 'outside'));
  });

  it('leaves out excluded paths and everything under an excluded directory', async () => {
    const paths = (await collectManifest(scanFolder(root, { exclude: ['*.tmp', 'cache/', '/b/c'] }))).map(
      (e) => e.path,
    );
    expect(paths).toEqual(['a.txt', 'b', 'b/empty', 'b/ünï code + space.txt', 'link-in', 'link-out']);
  });

  it('tells about special files and names that are not UTF-8, and leaves them out', async () => {
    const odd = join(dir, 'odd');
    await mkdir(odd);
    await writeFile(Buffer.concat([Buffer.from(odd + '/'), Buffer.from([0x61, 0xff, 0x62])]), 'latin-1 name');
    execFileSync('mkfifo', [join(odd, 'pipe')]);
    await writeFile(join(odd, 'ok'), 'ok');
    await writeFile(join(odd, 'valid \ufffd'), 'U+FFFD itself is a valid name');
    const skipped: string[] = [];
    const entries = await collectManifest(
      scanFolder(odd, { onSkip: (p, why) => skipped.push(`${p}: ${why}`) }),
    );
    expect(entries.map((e) => e.path)).toEqual(['ok', 'valid \ufffd']);
    expect(skipped.sort()).toEqual([
      'a\ufffdb: name is not valid UTF-8',
      'pipe: not a file, directory or symlink',
    ]);
  });

  it('can skip symlinks', async () => {
    const entries = await collectManifest(scanFolder(root, { symlinks: 'skip' }));
    expect(entries.some((e) => e.type === 'symlink')).toBe(false);
  });

  it('fails, rather than returning a partial list, when the folder is missing or not a directory', async () => {
    await expect(collectManifest(scanFolder(join(dir, 'missing')))).rejects.toThrow(/ENOENT/);
    await expect(collectManifest(scanFolder(join(root, 'a.txt')))).rejects.toThrow(/is not a directory/);
  });
});

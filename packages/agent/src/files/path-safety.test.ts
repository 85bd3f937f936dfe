import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';
import { resolveInside, resolveInsideSync } from './path-safety';
import { tempFolder } from '@sparesync/devkit/testing';

let dir: string;
let root: string;
let outside: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('paths'));
  root = join(dir, 'root');
  outside = join(dir, 'outside');
  await mkdir(join(root, 'a', 'b'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(root, 'file'), 'x');
  await symlink(outside, join(root, 'out-abs'));
  await symlink('../outside', join(root, 'out-rel'));
  await symlink('a/b', join(root, 'in'));
  await symlink(join(root, 'missing'), join(root, 'dangling'));
  await symlink('../../../outside', join(root, 'a', 'b', 'deep-out'));
  await symlink('file', join(root, 'to-file'));
});
afterAll(() => cleanup());

async function reason(rel: string): Promise<string> {
  const e = await resolveInside(root, rel).catch((x: unknown) => x);
  let sync: unknown = null;
  try {
    resolveInsideSync(root, rel);
  } catch (x) {
    sync = x;
  }
  expect((sync as Error | null)?.message).toBe((e as Error).message); // both variants agree
  expect(e).toBeInstanceOf(SpareSyncError);
  expect((e as SpareSyncError).code).toBe('PathRejected');
  expect((e as SpareSyncError).message).toContain(JSON.stringify(rel));
  return (e as SpareSyncError).message;
}

describe('resolveInside', () => {
  it('returns the absolute path of a well-formed path, existing or not', async () => {
    expect(await resolveInside(root, 'a/b/c.txt')).toBe(join(root, 'a', 'b', 'c.txt'));
    expect(await resolveInside(root, 'new/dir/x')).toBe(join(root, 'new', 'dir', 'x'));
    expect(await resolveInside(root, 'ünï cødé/ x ')).toBe(join(root, 'ünï cødé', ' x '));
  });

  it.each([
    ['../x', "'..' segment"],
    ['a/../../x', "'..' segment"],
    ['a/..', "'..' segment"],
    ['/etc/passwd', 'is absolute'],
    ['', 'empty path'],
    ['a//b', 'empty segment'],
    ['a/', 'empty segment'],
    ['./a', "'.' segment"],
    ['a\0b', 'NUL'],
    ['a\\..\\x', 'backslash'],
  ])('rejects %j: %s', async (rel, why) => {
    expect(await reason(rel)).toContain(why);
  });

  it('rejects a path through a symlinked parent that leads outside (absolute or relative link)', async () => {
    expect(await reason('out-abs/passwd')).toContain('symlink leading outside the folder');
    expect(await reason('out-rel/x/y')).toContain('symlink leading outside the folder');
    expect(await reason('in/deep-out/x')).toContain('symlink leading outside the folder');
  });

  it('rejects dangling symlinks and files as parents', async () => {
    expect(await reason('dangling/x')).toContain('dangling symlink');
    expect(await reason('file/x')).toContain('not a directory');
    expect(await reason('to-file/x')).toContain('not a directory');
  });

  it('allows a symlinked parent that stays inside, and a symlink as the last segment', async () => {
    expect(await resolveInside(root, 'in/c')).toBe(join(root, 'in', 'c'));
    expect(await resolveInside(root, 'out-abs')).toBe(join(root, 'out-abs'));
    expect(resolveInsideSync(root, 'in/c')).toEqual({ abs: join(root, 'in', 'c'), parentsExist: true });
  });

  it('resolveInsideSync tells whether every parent exists', () => {
    expect(resolveInsideSync(root, 'a/b/c.txt')).toEqual({
      abs: join(root, 'a', 'b', 'c.txt'),
      parentsExist: true,
    });
    expect(resolveInsideSync(root, 'top.txt')).toEqual({ abs: join(root, 'top.txt'), parentsExist: true });
    expect(resolveInsideSync(root, 'a/new/x')).toEqual({
      abs: join(root, 'a', 'new', 'x'),
      parentsExist: false,
    });
  });

  it('with a batch record, remembers each parent that passed and refuses below a bad one every time', () => {
    const checked = new Map<string, boolean>();
    expect(resolveInsideSync(root, 'a/b/c.txt', checked).parentsExist).toBe(true);
    expect(resolveInsideSync(root, 'a/new/x', checked).parentsExist).toBe(false);
    expect(resolveInsideSync(root, 'top.txt', checked).abs).toBe(join(root, 'top.txt'));
    expect([...checked]).toEqual([
      ['a/b', true],
      ['a/new', false],
      ['', true],
    ]);
    for (const rel of ['out-abs/x', 'out-abs/y']) {
      expect(() => resolveInsideSync(root, rel, checked)).toThrow(/symlink leading outside/);
    }
    expect(checked.has('out-abs')).toBe(false);
    expect(() => resolveInsideSync(root, 'a/../x', checked)).toThrow(/'\.\.' segment/);
  });
});

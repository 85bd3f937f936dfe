import { mkdir, readFile, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomically } from './atomic-write';
import {
  archiveBeforeReplace,
  archiveRootFor,
  archivedAt,
  pruneArchive,
  stampedName,
} from './deleted-archive';
import { tempFolder } from '@sparesync/devkit/testing';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('archive')));
afterAll(() => cleanup());

const DAY = 86_400_000;
let n = 0;
async function folder(): Promise<{ root: string; archive: string }> {
  const root = join(dir, `site-${++n}`);
  await mkdir(join(root, 'B'), { recursive: true });
  return { root, archive: archiveRootFor(root, 'site') };
}

describe('archiveBeforeReplace', () => {
  it('moves the file to <folder>/.deleted/<name>/<path>, keeping its structure and mtime', async () => {
    const { root, archive } = await folder();
    expect(archive).toBe(join(root, '.deleted', 'site'));
    await writeFile(join(root, 'B', 'file.txt'), 'v1');
    await utimes(join(root, 'B', 'file.txt'), 1_600_000_000, 1_600_000_000);
    const archived = await archiveBeforeReplace(root, 'B/file.txt', archive);
    expect(archived).toBe(join(archive, 'B', 'file.txt'));
    expect(await readFile(archived!, 'utf8')).toBe('v1');
    expect((await stat(archived!)).mtimeMs).toBe(1_600_000_000_000);
    expect(await readdir(join(root, 'B'))).toEqual([]);
  });

  it('two archivings of one path at once both succeed, each copy kept', async () => {
    const { root, archive } = await folder();
    await writeFile(join(root, 'B', 'same.txt'), 'v1');
    const both = await Promise.all(
      [1, 2, 3].map(() => archiveBeforeReplace(root, 'B/same.txt', archive, { leaveInPlace: true })),
    );
    expect(both).toEqual([1, 2, 3].map(() => join(archive, 'B', 'same.txt')));
    const kept = await readdir(join(archive, 'B'));
    expect(kept).toHaveLength(3);
    expect(await readFile(join(root, 'B', 'same.txt'), 'utf8')).toBe('v1');
  });

  it('returns null when there is nothing to archive', async () => {
    const { root, archive } = await folder();
    expect(await archiveBeforeReplace(root, 'B/none', archive)).toBeNull();
  });

  it('keeps every version on collisions, the older ones renamed with their archive time', async () => {
    const { root, archive } = await folder();
    for (const v of ['v1', 'v2', 'v3']) {
      await writeFile(join(root, 'B', 'file.txt'), v);
      await archiveBeforeReplace(root, 'B/file.txt', archive);
    }
    const names = (await readdir(join(archive, 'B'))).sort();
    expect(names).toHaveLength(3);
    expect(await readFile(join(archive, 'B', 'file.txt'), 'utf8')).toBe('v3');
    const older = names.filter((x) => x !== 'file.txt');
    for (const x of older) {
      expect(x).toMatch(/^file\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z(-\d+)?\.txt$/);
      expect(Math.abs(archivedAt(x, { ctimeMs: Infinity }) - Date.now())).toBeLessThan(60_000);
    }
    const contents = await Promise.all(older.map((x) => readFile(join(archive, 'B', x), 'utf8')));
    expect(contents.sort()).toEqual(['v1', 'v2']);
  });

  it('hard-links in place for a replacement: the target never goes missing', async () => {
    const { root, archive } = await folder();
    const target = join(root, 'B', 'page.html');
    await writeFile(target, 'old page');
    await archiveBeforeReplace(root, 'B/page.html', archive, { leaveInPlace: true });
    expect(await readFile(target, 'utf8')).toBe('old page');
    await writeAtomically(target, Buffer.from('new page'), { mtimeMs: Date.now(), mode: 0o644 });
    expect(await readFile(target, 'utf8')).toBe('new page');
    expect(await readFile(join(archive, 'B', 'page.html'), 'utf8')).toBe('old page');
  });

  it('archives a directory file by file, then removes it', async () => {
    const { root, archive } = await folder();
    await mkdir(join(root, 'B', 'sub', 'deeper'), { recursive: true });
    await writeFile(join(root, 'B', 'sub', 'a'), 'a');
    await writeFile(join(root, 'B', 'sub', 'deeper', 'b'), 'b');
    await symlink('a', join(root, 'B', 'sub', 'link'));
    await archiveBeforeReplace(root, 'B/sub', archive);
    expect(await readdir(join(root, 'B'))).toEqual([]);
    expect(await readFile(join(archive, 'B', 'sub', 'deeper', 'b'), 'utf8')).toBe('b');
    expect((await readdir(join(archive, 'B', 'sub'))).sort()).toEqual(['a', 'deeper', 'link']);
  });

  it('moves an archived file aside when a directory of that name is needed', async () => {
    const { root, archive } = await folder();
    await writeFile(join(root, 'x'), 'file x');
    await archiveBeforeReplace(root, 'x', archive);
    await mkdir(join(root, 'x'));
    await writeFile(join(root, 'x', 'y'), 'y');
    await archiveBeforeReplace(root, 'x/y', archive);
    const names = await readdir(archive);
    expect(names).toContain('x');
    expect(names.find((x) => x.startsWith('x.'))).toBeDefined();
    expect(await readFile(join(archive, 'x', 'y'), 'utf8')).toBe('y');
  });

  it('refuses paths that escape, and a .deleted that is not a real directory', async () => {
    const { root, archive } = await folder();
    await expect(archiveBeforeReplace(root, '../x', archive)).rejects.toMatchObject({ code: 'PathRejected' });
    const other = join(dir, `outside-${n}`);
    await mkdir(other);
    await symlink(other, join(root, '.deleted'));
    await writeFile(join(root, 'B', 'f'), 'f');
    await expect(archiveBeforeReplace(root, 'B/f', archive)).rejects.toMatchObject({ code: 'PathRejected' });
    expect(await readdir(other)).toEqual([]);
  });
});

describe('pruneArchive', () => {
  it('removes entries older than the retention and the folders left empty', async () => {
    const { root, archive } = await folder();
    await mkdir(join(root, 'B', 'old'));
    await writeFile(join(root, 'B', 'old', 'f'), 'f');
    await archiveBeforeReplace(root, 'B/old/f', archive);
    expect(await pruneArchive(archive, 7, Date.now() + 6 * DAY)).toEqual([]);
    expect(await pruneArchive(archive, 7, Date.now() + 8 * DAY)).toEqual([join(archive, 'B', 'old', 'f')]);
    expect(await readdir(archive)).toEqual([]);
  });

  it('takes the time in a renamed version’s name, not its newer ctime', async () => {
    const { archive } = await folder();
    await mkdir(archive, { recursive: true });
    const stale = stampedName('report.pdf', Date.now() - 10 * DAY);
    await writeFile(join(archive, stale), 'old');
    await writeFile(join(archive, 'report.pdf'), 'new');
    expect(await pruneArchive(archive, 7, Date.now())).toEqual([join(archive, stale)]);
    expect(await readdir(archive)).toEqual(['report.pdf']);
  });

  it('does nothing when there is no archive yet', async () => {
    expect(await pruneArchive(join(dir, 'no-such'), 7, Date.now())).toEqual([]);
  });
});

describe('stampedName', () => {
  it('puts the stamp before the extension, or at the end', () => {
    const t = Date.parse('2024-05-01T10:20:30.123Z');
    expect(stampedName('report.txt', t)).toBe('report.2024-05-01T10-20-30-123Z.txt');
    expect(stampedName('.htaccess', t)).toBe('.htaccess.2024-05-01T10-20-30-123Z');
    expect(stampedName('README', t, 2)).toBe('README.2024-05-01T10-20-30-123Z-2');
    expect(archivedAt(stampedName('a.tar.gz', t, 1), { ctimeMs: Infinity })).toBe(t);
    expect(archivedAt('plain.txt', { ctimeMs: 42 })).toBe(42);
  });
});

import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempFolder } from '@sparesync/devkit/testing';
import { entryOf, replicablePath, type EntryRule } from './entry';
import { compileExcludes } from './glob';
import { TEMP_PREFIX } from './names';

let root: string;
let cleanup: () => Promise<void>;
const keep: EntryRule = { excluded: compileExcludes(['*.tmp', '/cache/']), symlinks: 'keep' };
const at = (rel: string, rule: EntryRule = keep) => entryOf(rel, lstatSync(join(root, rel)), rule);

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempFolder('entry'));
  await mkdir(join(root, 'cache'));
  await mkdir(join(root, '.deleted'));
  await writeFile(join(root, 'a.txt'), 'hello');
  await writeFile(join(root, 'x.tmp'), 't');
  await writeFile(join(root, `${TEMP_PREFIX}1`), 'partial');
  await symlink('a.txt', join(root, 'link'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
});
afterAll(() => cleanup());

describe('entryOf: the one rule for scan, sender and watcher', () => {
  it('describes files, directories and symlinks with their figures', () => {
    expect(at('a.txt')).toMatchObject({ path: 'a.txt', type: 'file', size: 5 });
    expect(at('link')).toMatchObject({ type: 'symlink', size: 0 });
    expect(at('cache', { ...keep, excluded: compileExcludes([]) })).toMatchObject({ type: 'dir', size: 0 });
  });

  it("leaves out SpareSync's own names, excluded paths and symlinks when they are skipped", () => {
    expect(at('.deleted')).toBe('left out');
    expect(at(`${TEMP_PREFIX}1`)).toBe('left out');
    expect(at('x.tmp')).toBe('left out');
    expect(at('cache')).toBe('left out'); // '/cache/' matches the directory only
    expect(at('link', { ...keep, symlinks: 'skip' })).toBe('left out');
  });

  it('names sockets, FIFOs and devices as special, for the operator to be told', () => {
    expect(at('fifo')).toBe('special');
  });

  it('replicablePath applies the same name rule before any stat', () => {
    expect(replicablePath('a.txt', false, keep)).toBe(true);
    expect(replicablePath('x.tmp', false, keep)).toBe(false);
    expect(replicablePath('.deleted/a', false, keep)).toBe(false);
    expect(replicablePath('cache', true, keep)).toBe(false);
    expect(replicablePath('cache', false, keep)).toBe(true);
  });
});

import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectIndent, serializeSettings, writeFileAtomic } from './write';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sparesync-write-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the content, keeps the mode and leaves no temp file', () => {
    const file = join(dir, 'sparesync.json');
    writeFileSync(file, '{}\n');
    chmodSync(file, 0o640);
    const inode = statSync(file).ino;
    writeFileAtomic(file, '{ "a": 1 }\n');
    expect(readFileSync(file, 'utf8')).toBe('{ "a": 1 }\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // A new inode: the old file was replaced by rename, never rewritten in place.
    expect(statSync(file).ino).not.toBe(inode);
    expect(readdirSync(dir)).toEqual(['sparesync.json']);
  });

  it('creates a missing file with mode 0644', () => {
    const file = join(dir, 'new.json');
    writeFileAtomic(file, 'x');
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('fails without leaving a temp file when the folder does not exist', () => {
    expect(() => writeFileAtomic(join(dir, 'nope', 'a.json'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('serializeSettings', () => {
  it("keeps the file's indentation", () => {
    expect(detectIndent('{\n    "a": 1\n}')).toBe('    ');
    expect(detectIndent('{\n\t"a": 1\n}')).toBe('\t');
    expect(detectIndent('{}')).toBe('  ');
    expect(serializeSettings({ a: 1 }, '{\n    "b": 2\n}\n')).toBe('{\n    "a": 1\n}\n');
    expect(serializeSettings({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});

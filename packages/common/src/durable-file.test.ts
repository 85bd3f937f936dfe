// The one durable write: content whole or not at all, the exact mode, the old mode kept on
// request, an existing file refused when exclusive, and no temp file left behind by a failure.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMP_PREFIX, writeFileDurably, writeFileDurablySync } from './durable-file';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sparesync-durable-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const mode = (p: string) => statSync(p).mode & 0o7777;

test('writes new content with mode 0600 by default, or the mode asked for, whatever the umask', async () => {
  writeFileDurablySync(join(dir, 'a.json'), '{"a":1}\n');
  expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('{"a":1}\n');
  expect(mode(join(dir, 'a.json'))).toBe(0o600);
  const old = process.umask(0o077);
  try {
    await writeFileDurably(join(dir, 'marker.htm'), '<h1>offline</h1>', { mode: 0o644 });
  } finally {
    process.umask(old);
  }
  expect(mode(join(dir, 'marker.htm'))).toBe(0o644);
});

test("'keep' keeps the replaced file's mode (0644 for a new one); mkdir makes the folder", () => {
  const file = join(dir, 'sparesync.json');
  writeFileSync(file, 'old');
  chmodSync(file, 0o640);
  writeFileDurablySync(file, 'new', { mode: 'keep' });
  expect([readFileSync(file, 'utf8'), mode(file)]).toEqual(['new', 0o640]);
  writeFileDurablySync(join(dir, 'fresh.json'), 'x', { mode: 'keep' });
  expect(mode(join(dir, 'fresh.json'))).toBe(0o644);
  writeFileDurablySync(join(dir, 'data', 'state.json'), 'y', { mkdir: true });
  expect(mode(join(dir, 'data'))).toBe(0o700);
});

test('exclusive refuses an existing file with EEXIST and leaves it as it was', async () => {
  const key = join(dir, 'pair.key');
  writeFileSync(key, 'the old key');
  await expect(writeFileDurably(key, 'a new key', { exclusive: true, mode: 0o600 })).rejects.toMatchObject({
    code: 'EEXIST',
  });
  expect(() => writeFileDurablySync(key, 'a new key', { exclusive: true })).toThrow(/EEXIST/);
  expect(readFileSync(key, 'utf8')).toBe('the old key');
  expect(readdirSync(dir)).toEqual(['pair.key']);
});

test('a failure while writing leaves the old content and no temp file', async () => {
  const file = join(dir, 'index.json');
  writeFileSync(file, 'old');
  await expect(
    writeFileDurably(file, async (out) => {
      await out.write('half');
      throw new Error('disk full');
    }),
  ).rejects.toThrow('disk full');
  expect(readFileSync(file, 'utf8')).toBe('old');
  expect(readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
});

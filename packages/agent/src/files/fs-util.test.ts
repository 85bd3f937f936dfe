import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopSyncHelper, syncFileSystem } from './fs-util';

describe('syncFileSystem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncfs-'));
  afterAll(() => stopSyncHelper());

  it('flushes through one helper shell, one flush at a time', async () => {
    writeFileSync(join(dir, 'a'), 'alpha');
    expect(await syncFileSystem(dir)).toBe(true);
    expect(await syncFileSystem(join(dir, 'a'))).toBe(true);
  });

  it('lets requests for a file system already waiting share its flush', async () => {
    const first = syncFileSystem(dir, 'fs');
    expect(syncFileSystem(join(dir, 'a'), 'fs')).toBe(first); // not started yet: joins it
    await new Promise((r) => setImmediate(r)); // the first has started
    const second = syncFileSystem(dir, 'fs'); // after writes the first may miss: a flush of its own
    expect(second).not.toBe(first);
    expect(syncFileSystem(dir, 'fs')).toBe(second);
    expect(await Promise.all([first, second])).toEqual([true, true]);
  });

  it('answers false for a path that is not there (the caller fsyncs instead)', async () => {
    expect(await syncFileSystem(join(dir, 'missing', 'x'))).toBe(false);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathSettingProblems } from './files-check';

describe('pathSettingProblems', () => {
  let dir: string;
  let settingsFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparesync-files-check-'));
    mkdirSync(join(dir, 'conf', 'certs'), { recursive: true });
    settingsFile = join(dir, 'conf', 'sparesync.json');
    for (const f of ['ca.crt', 'a.crt', 'a.key']) writeFileSync(join(dir, 'conf', 'certs', f), 'x');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const doc = (pairKeyFile: string) => ({
    tls: { ca: 'certs/ca.crt', cert: 'certs/a.crt', key: 'certs/a.key' },
    pairKeyFile,
  });

  it('resolves relative paths against the settings file folder, not the working directory', () => {
    writeFileSync(join(dir, 'conf', 'certs', 'pair.key'), 'x');
    expect(pathSettingProblems(doc('certs/pair.key'), settingsFile)).toEqual([]);
    expect(process.cwd()).not.toBe(join(dir, 'conf'));
  });

  it('names each missing file with its setting, the value written and the full path', () => {
    rmSync(join(dir, 'conf', 'certs', 'a.key'));
    expect(pathSettingProblems(doc('certs/pair.key'), settingsFile)).toEqual([
      {
        path: '/tls/key',
        value: 'certs/a.key',
        message: `expected an existing file, but ${join(dir, 'conf', 'certs', 'a.key')} does not exist`,
      },
      {
        path: '/pairKeyFile',
        value: 'certs/pair.key',
        message: `expected an existing file, but ${join(dir, 'conf', 'certs', 'pair.key')} does not exist`,
      },
    ]);
  });

  it('accepts absolute paths and rejects a folder where a file belongs', () => {
    const abs = join(dir, 'pair.key');
    writeFileSync(abs, 'x');
    expect(pathSettingProblems(doc(abs), settingsFile)).toEqual([]);
    expect(pathSettingProblems(doc('certs'), settingsFile)).toEqual([
      {
        path: '/pairKeyFile',
        value: 'certs',
        message: `expected a file, but ${join(dir, 'conf', 'certs')} is not a regular file`,
      },
    ]);
  });

  it("rejects this server's folder of a pair when it is a regular file; a missing one is the agent's to report", () => {
    writeFileSync(join(dir, 'conf', 'certs', 'pair.key'), 'x');
    writeFileSync(join(dir, 'www-file'), 'not a folder');
    const folders = [
      { name: 'a', primaryPath: '../www-file', secondaryPath: '/srv/a' },
      { name: 'b', primaryPath: 'certs', secondaryPath: '../www-file' },
      { name: 'c', primaryPath: '../not-yet', secondaryPath: '/srv/c' },
    ];
    const on = (role: string) =>
      pathSettingProblems({ ...doc('certs/pair.key'), role, folders }, settingsFile);
    expect(on('primary')).toEqual([
      {
        path: '/folders/0/primaryPath',
        value: '../www-file',
        message: `expected a folder, but ${join(dir, 'www-file')} is not a directory`,
      },
    ]);
    expect(on('secondary').map((p) => p.path)).toEqual(['/folders/1/secondaryPath']);
  });

  it('skips settings that are absent or not strings (the schema reports those)', () => {
    expect(pathSettingProblems({ tls: 5, pairKeyFile: 7 }, settingsFile)).toEqual([]);
    expect(pathSettingProblems(null, settingsFile)).toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import ts from 'typescript';
import { applyDeltaAtomically } from './apply-delta';
import { sweepStaleTemps, tempPathFor, writeAtomically, writeSmallAtomically } from './atomic-write';
import { collectManifest, scanFolder } from './scan';
import { delta } from './delta';
import { TEMP_PREFIX } from './names';
import { signature } from './signature';
import { pseudoRandomBytes, tempFolder } from '@sparesync/devkit/testing';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempFolder('atomic')));
afterAll(() => cleanup());

const temps = async (d: string) => (await readdir(d)).filter((n) => n.startsWith(TEMP_PREFIX));
const mtime = Date.parse('2021-03-04T05:06:07.891Z');

describe('writeAtomically', () => {
  it('replaces the target with the new content, mode and mtime, leaving no temp file', async () => {
    const target = join(dir, 'a.txt');
    await writeFile(target, 'old');
    await writeAtomically(target, Buffer.from('new content'), { mtimeMs: mtime, mode: 0o640 });
    const st = await stat(target);
    expect(await readFile(target, 'utf8')).toBe('new content');
    expect(st.mode & 0o7777).toBe(0o640);
    expect(Math.abs(st.mtimeMs - mtime)).toBeLessThan(1);
    expect(await temps(dir)).toEqual([]);
  });

  it('replaces a symlink at the target by a file, leaving the link target alone', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'keep me');
    await symlink(victim, join(dir, 'link'));
    await writeAtomically(join(dir, 'link'), Buffer.from('file now'), { mtimeMs: mtime, mode: 0o644 });
    expect((await lstat(join(dir, 'link'))).isFile()).toBe(true);
    expect(await readFile(victim, 'utf8')).toBe('keep me');
  });

  it('leaves the target and no temp file when the source fails', async () => {
    const target = join(dir, 'b.txt');
    await writeFile(target, 'old');
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('source broke');
    }
    await expect(writeAtomically(target, failing(), { mtimeMs: mtime, mode: 0o644 })).rejects.toThrow(
      'source broke',
    );
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await temps(dir)).toEqual([]);
  });
});

describe('writeSmallAtomically', () => {
  it('replaces the target with the chunks, mode and mtime, leaving no temp file', async () => {
    const target = join(dir, 'small.txt');
    await writeFile(target, 'old');
    await writeSmallAtomically(target, [Buffer.from('new '), Buffer.from('content')], {
      mtimeMs: mtime,
      mode: 0o640,
    });
    const st = await stat(target);
    expect(await readFile(target, 'utf8')).toBe('new content');
    expect(st.mode & 0o7777).toBe(0o640);
    expect(Math.abs(st.mtimeMs - mtime)).toBeLessThan(1);
    expect(await temps(dir)).toEqual([]);
  });

  it('writes an empty file', async () => {
    const target = join(dir, 'small-empty');
    await writeSmallAtomically(target, [], { mtimeMs: mtime, mode: 0o600 }, { deferDirSync: true });
    expect((await stat(target)).size).toBe(0);
  });

  it('runs beforeRename before the new content appears; its failure leaves the target', async () => {
    const target = join(dir, 'small-hook.txt');
    await writeFile(target, 'old');
    let seen = '';
    await writeSmallAtomically(
      target,
      [Buffer.from('new')],
      { mtimeMs: mtime, mode: 0o644 },
      {
        beforeRename: async () => {
          seen = await readFile(target, 'utf8');
        },
      },
    );
    expect(seen).toBe('old');
    const failing = writeSmallAtomically(
      target,
      [Buffer.from('newer')],
      { mtimeMs: mtime, mode: 0o644 },
      {
        beforeRename: () => Promise.reject(new Error('archive failed')),
      },
    );
    await expect(failing).rejects.toThrow('archive failed');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await temps(dir)).toEqual([]);
  });
});

describe('applyDeltaAtomically', () => {
  it('uses the current target as the basis and publishes the result', async () => {
    const target = join(dir, 'delta-target');
    const source = join(dir, 'delta-source');
    const old = pseudoRandomBytes(50_000, 1);
    const next = Buffer.concat([old.subarray(0, 20_000), Buffer.from('inserted'), old.subarray(20_000)]);
    await writeFile(target, old);
    await writeFile(source, next);
    const ops = delta(source, await signature(target, 1024));
    const r = await applyDeltaAtomically(target, ops, { blockSize: 1024, mtimeMs: mtime, mode: 0o600 });
    expect(r.size).toBe(next.length);
    expect((await readFile(target)).equals(next)).toBe(true);
  });

  it('leaves the target untouched when verification fails', async () => {
    const target = join(dir, 'verify-target');
    const old = pseudoRandomBytes(10_000, 2);
    await writeFile(target, old);
    async function* bad() {
      yield { kind: 'data' as const, data: Buffer.from('x') };
      yield { kind: 'end' as const, size: 1, sha256: Buffer.alloc(32) };
    }
    await expect(
      applyDeltaAtomically(target, bad(), { blockSize: 1024, mtimeMs: mtime, mode: 0o600 }),
    ).rejects.toThrow(/differs from the sender's/);
    expect((await readFile(target)).equals(old)).toBe(true);
    expect(await temps(dir)).toEqual([]);
  });
});

describe('sweepStaleTemps, told by a scan', () => {
  it("removes the temp files an earlier process left at any depth on the first complete scan, never this process's", async () => {
    const root = join(dir, 'clean');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(join(root, 'x', 'y'), { recursive: true });
    await mkdir(elsewhere);
    await writeFile(join(root, `${TEMP_PREFIX}1`), '');
    await writeFile(join(root, 'x', 'y', `${TEMP_PREFIX}2`), '');
    await writeFile(join(root, 'x', 'keep.txt'), '');
    const live = tempPathFor(join(root, 'x', 'being-written.txt'));
    await writeFile(live, 'a write in progress');
    await writeFile(join(elsewhere, `${TEMP_PREFIX}3`), '');
    await symlink(elsewhere, join(root, 'link'));
    const sweep = sweepStaleTemps(root);
    const listed = (await collectManifest(scanFolder(root, { onTemp: sweep.onTemp }))).map((e) => e.path);
    expect(listed).toEqual(['link', 'x', 'x/keep.txt', 'x/y']);
    expect(sweep.done().sort()).toEqual([
      join(root, `${TEMP_PREFIX}1`),
      join(root, 'x', 'y', `${TEMP_PREFIX}2`),
    ]);
    expect((await readdir(join(root, 'x'))).sort()).toEqual([basename(live), 'keep.txt', 'y']);
    expect(await readdir(elsewhere)).toEqual([`${TEMP_PREFIX}3`]);
    expect(await readlink(join(root, 'link'))).toBe(elsewhere);
    // Later scans leave temp files alone: only the first one after the start knows they are stale.
    expect(sweepStaleTemps(root).onTemp).toBeUndefined();
  });
});

/** A scan of `folder` as the first after a start: the stale temp files it removed. */
async function firstScan(folder: string): Promise<string[]> {
  const sweep = sweepStaleTemps(folder);
  await collectManifest(scanFolder(folder, { onTemp: sweep.onTemp }));
  return sweep.done();
}

/** atomic-write.ts and its imports, compiled to plain JS so a bare `node` child can run them. */
async function compileForChild(): Promise<string> {
  const out = join(dir, 'child-js');
  await mkdir(out, { recursive: true });
  for (const name of ['atomic-write', 'fs-util', 'loop-slice', 'names']) {
    const src = await readFile(join(__dirname, `${name}.ts`), 'utf8');
    const js = ts.transpileModule(src, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(out, `${name}.js`), js.outputText);
  }
  return out;
}

describe('a crash (SIGKILL) in the middle of writeAtomically', () => {
  const OLD = 'O'.charCodeAt(0);
  const NEW = 'N'.charCodeAt(0);
  const oldSize = 3 * 2 ** 20;
  const newSize = 32 * 2 ** 20;

  /** Starts a child writing `newSize` bytes of 'N' over `target`, kills it after `delayMs` (-1: once it writes). */
  async function crashWhileWriting(
    js: string,
    target: string,
    delayMs: number,
  ): Promise<'killed' | 'finished'> {
    const code = `
      const { writeAtomically } = require(${JSON.stringify(join(js, 'atomic-write.js'))});
      async function* chunks() {
        const chunk = Buffer.alloc(1 << 20, ${NEW});
        for (let i = 0; i < ${newSize / 2 ** 20}; i++) {
          if (i === 4) {
            process.stdout.write('writing\\n');
            // Killed "once it writes": it stays mid-write until the kill, however slow the parent is.
            ${delayMs < 0 ? 'await new Promise(() => setInterval(() => {}, 1000));' : ''}
          }
          yield chunk;
        }
      }
      writeAtomically(${JSON.stringify(target)}, chunks(), { mtimeMs: ${mtime}, mode: 0o644 })
        .then(() => process.stdout.write('done\\n'));`;
    // names.ts takes TEMP_PREFIX from @sparesync/common: the child finds it in this package's modules.
    const env = { ...process.env, NODE_PATH: join(__dirname, '..', '..', 'node_modules') };
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (delayMs < 0 && out.includes('writing')) resolve();
      });
      if (delayMs >= 0) setTimeout(resolve, delayMs);
      void exited.then(() => resolve());
    });
    child.kill('SIGKILL');
    await exited;
    return out.includes('done') ? 'finished' : 'killed';
  }

  async function expectOldOrNew(target: string): Promise<'old' | 'new'> {
    const content = await readFile(target);
    const allOld = content.equals(Buffer.alloc(oldSize, OLD));
    const allNew = content.equals(Buffer.alloc(newSize, NEW));
    expect(allOld || allNew).toBe(true);
    return allOld ? 'old' : 'new';
  }

  it("leaves the old file while writing; the folder's first scan removes the temp file", async () => {
    const js = await compileForChild();
    const folder = join(dir, 'crash-mid');
    await mkdir(folder);
    const target = join(folder, 'big.bin');
    await writeFile(target, Buffer.alloc(oldSize, OLD));
    expect(await crashWhileWriting(js, target, -1)).toBe('killed');
    expect(await expectOldOrNew(target)).toBe('old');
    expect(await temps(folder)).toHaveLength(1);
    expect(await firstScan(folder)).toHaveLength(1);
    expect(await temps(folder)).toEqual([]);
  }, 20_000);

  it('leaves the old or the new file, whole, wherever the kill lands', async () => {
    const js = await compileForChild();
    const seen = new Set<string>();
    for (const [i, delayMs] of [0, 60, 120, 180, 250, 400, 5000].entries()) {
      const folder = join(dir, `crash-${i}`);
      await mkdir(folder);
      const target = join(folder, 'big.bin');
      await writeFile(target, Buffer.alloc(oldSize, OLD));
      await crashWhileWriting(js, target, delayMs);
      seen.add(await expectOldOrNew(target));
      await firstScan(folder);
      expect(await temps(folder)).toEqual([]);
    }
    expect(seen).toEqual(new Set(['old', 'new'])); // the delays cover both outcomes
  }, 30_000);
});

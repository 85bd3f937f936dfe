import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageSmallFile } from './atomic-write';
import { CommitGroup, CommitPipeline } from './commit-group';
import { stopSyncHelper } from './fs-util';

const meta = { mtimeMs: 1_700_000_000_000, mode: 0o644 };

describe('CommitGroup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'commit-group-'));

  it('settles nobody before commit, then everyone in the order added', async () => {
    const g = new CommitGroup(8);
    const settled: string[] = [];
    let finishFirst!: () => void;
    const first = new Promise<{ dir: string }>((r) => (finishFirst = () => r({ dir })));
    g.add('a', first, async (e) => void settled.push(`a:${e?.message ?? 'ok'}`));
    g.add('b', Promise.resolve({ dir }), async (e) => void settled.push(`b:${e?.message ?? 'ok'}`));
    expect(g.size).toBe(2);
    expect(g.has('a')).toBe(true);
    const committing = g.commit();
    await new Promise((r) => setImmediate(r));
    expect(settled).toEqual([]); // 'a' is still being written: nothing is acknowledged yet
    finishFirst();
    await committing;
    expect(settled).toEqual(['a:ok', 'b:ok']);
    expect(g.size).toBe(0);
    expect(g.has('a')).toBe(false);
  });

  it('reports a failed write to its member only', async () => {
    const g = new CommitGroup(8);
    const settled: string[] = [];
    g.add('bad', Promise.reject(new Error('disk full')), async (e) => void settled.push(e?.message ?? 'ok'));
    g.add('good', Promise.resolve({ dir }), async (e) => void settled.push(e?.message ?? 'ok'));
    await g.commit();
    expect(settled).toEqual(['disk full', 'ok']);
  });

  it('fails the members of a directory that cannot be synced: they are not durable', async () => {
    const g = new CommitGroup(8);
    const settled: string[] = [];
    const gone = join(dir, 'missing');
    g.add('x', Promise.resolve({ dir: gone }), async (e) => void settled.push(e ? 'failed' : 'ok'));
    g.add('y', Promise.resolve({ dir }), async (e) => void settled.push(e ? 'failed' : 'ok'));
    await g.commit();
    expect(settled).toEqual(['failed', 'ok']);
  });
});

describe('CommitGroup with staged files (durable together: syncfs, then renames, then syncfs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'commit-staged-'));
  const stage = (name: string, text: string, beforeRename?: () => Promise<void>) =>
    stageSmallFile(join(dir, name), [Buffer.from(text)], meta, beforeRename).then((staged) => ({
      dir,
      staged,
    }));

  it('publishes nothing before the commit, then every file, and settles after', async () => {
    const g = new CommitGroup(8);
    const settled: string[] = [];
    g.add('a', stage('a', 'alpha'), async (e) => void settled.push(`a:${e?.message ?? 'ok'}`));
    g.add('b', stage('b', 'beta'), async (e) => void settled.push(`b:${e?.message ?? 'ok'}`));
    await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(join(dir, 'a'))).toBe(false); // staged only: the target keeps its old state
    await g.commit();
    expect(settled).toEqual(['a:ok', 'b:ok']);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('alpha');
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('beta');
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']); // no temp file left
  });

  it('fails a member whose publish fails, alone, and removes its temp file', async () => {
    const g = new CommitGroup(8);
    const settled: string[] = [];
    const refuse = () => Promise.reject(new Error('archive failed'));
    g.add('c', stage('c', 'gamma', refuse), async (e) => void settled.push(e?.message ?? 'ok'));
    g.add('d', stage('d', 'delta'), async (e) => void settled.push(e?.message ?? 'ok'));
    await g.commit();
    expect(settled).toEqual(['archive failed', 'ok']);
    expect(existsSync(join(dir, 'c'))).toBe(false);
    expect(readdirSync(dir).filter((n) => !['a', 'b'].includes(n))).toEqual(['d']);
  });
});

describe('CommitPipeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'commit-pipeline-'));

  it('commits a sealed group in the background; drain() waits for every group', async () => {
    const p = new CommitPipeline(2);
    const settled: string[] = [];
    let finish!: () => void;
    const slow = new Promise<{ dir: string }>((r) => (finish = () => r({ dir })));
    p.add('a', slow, async () => void settled.push('a'));
    await p.seal(); // returns while 'a' is still being written
    expect(p.size).toBe(0);
    expect(p.has('a')).toBe(true); // a later version of 'a' must wait for this one
    p.add('b', Promise.resolve({ dir }), async () => void settled.push('b'));
    await p.seal();
    for (let i = 0; i < 200 && settled.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(settled).toEqual(['b']); // groups commit independently: 'b' is not held up by 'a'
    const draining = p.drain();
    finish();
    await draining;
    expect(settled).toEqual(['b', 'a']);
    expect(p.has('a')).toBe(false);
  });

  it('waits in seal() while too many groups commit', async () => {
    const p = new CommitPipeline(1, 1);
    let finish!: () => void;
    p.add('a', new Promise((r) => (finish = () => r({ dir }))), async () => undefined);
    await p.seal();
    p.add('b', Promise.resolve({ dir }), async () => undefined);
    let sealed = false;
    const sealing = p.seal().then(() => (sealed = true));
    await new Promise((r) => setImmediate(r));
    expect(sealed).toBe(false);
    finish();
    await sealing;
    await p.drain();
  });

  it('throws a failed commit (an ack that could not be written) from the next call', async () => {
    const p = new CommitPipeline(4);
    p.add('a', Promise.resolve({ dir }), () => Promise.reject(new Error('stream closed')));
    await p.seal();
    await expect(p.drain()).rejects.toThrow('stream closed');
  });
});

describe('CommitGroup where syncfs cannot run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'commit-nosyncfs-'));
  it('fsyncs each staged file and directory instead, and still publishes', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-bin');
    stopSyncHelper(); // the next flush starts a helper shell, which is not found now
    try {
      const g = new CommitGroup(8);
      const settled: string[] = [];
      const staged = await stageSmallFile(join(dir, 'e'), [Buffer.from('epsilon')], meta);
      g.add('e', Promise.resolve({ dir, staged }), async (e) => void settled.push(e?.message ?? 'ok'));
      await g.commit();
      expect(settled).toEqual(['ok']);
      expect(readFileSync(join(dir, 'e'), 'utf8')).toBe('epsilon');
    } finally {
      process.env.PATH = path;
      stopSyncHelper();
    }
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommitGroup } from './commit-group';

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

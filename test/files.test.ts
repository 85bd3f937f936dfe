// File replication between two real agents: changes on the primary's folder appear on the
// secondary's exactly (content, mode, mtime), through the watcher and through full comparisons.
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Pair, runCli, waitFor } from './harness/pair';
import {
  describeTree,
  sameTree,
  foldersPatch,
  makeFolderPair,
  waitForSameTree,
  type FolderPair,
} from './harness/folders';

describe('file replication between a linked pair', () => {
  let pair: Pair;
  let f: FolderPair;
  beforeAll(async () => {
    f = makeFolderPair('www');
    mkdirSync(join(f.src, 'sub dir/ünï'), { recursive: true });
    writeFileSync(join(f.src, 'index.html'), '<h1>hello</h1>\n');
    writeFileSync(join(f.src, 'sub dir/ünï/naïve file.txt'), 'unicode and spaces');
    writeFileSync(join(f.src, 'empty'), '');
    writeFileSync(join(f.dst, 'only-on-secondary.txt'), 'removed by the first comparison');
    pair = await Pair.create({
      both: foldersPatch([f], { scanIntervalSeconds: 1, exclude: ['*.tmp', 'cache/'] }),
    });
    await pair.startBoth();
  });
  afterAll(async () => {
    await pair.stop();
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  });

  it('makes the secondary equal at start-up, archiving what exists only there', async () => {
    const tree = await waitForSameTree(f);
    expect(tree).toEqual(expect.arrayContaining([expect.stringMatching(/^file empty 644 [0-9.]+ 0 /)]));
    expect(readFileSync(join(f.dst, '.deleted/www/only-on-secondary.txt'), 'utf8')).toMatch(/removed/);
    const s = await pair.waitForStatus('primary', 'scan done', (x) => (x.folders?.[0]?.lastScanMs ?? 0) > 0);
    expect(s.folders?.[0]).toMatchObject({ name: 'www', direction: 'send', problem: '' });
  });

  it('replicates create, modify, chmod, mtime, delete and rename of files and directories', async () => {
    writeFileSync(join(f.src, 'new.txt'), 'new');
    writeFileSync(join(f.src, 'index.html'), '<h1>changed</h1>\n');
    chmodSync(join(f.src, 'new.txt'), 0o600);
    utimesSync(
      join(f.src, 'empty'),
      new Date('2020-01-02T03:04:05.678Z'),
      new Date('2020-01-02T03:04:05.678Z'),
    );
    mkdirSync(join(f.src, 'd/e'), { recursive: true });
    writeFileSync(join(f.src, 'd/e/deep.txt'), 'deep');
    await waitForSameTree(f);
    const sentBefore = (await pair.status('primary')).folders![0]!.bytesSent;
    renameSync(join(f.src, 'new.txt'), join(f.src, 'renamed.txt'));
    renameSync(join(f.src, 'd'), join(f.src, 'd2'));
    rmSync(join(f.src, 'sub dir'), { recursive: true });
    await waitForSameTree(f);
    expect(readdirSync(join(f.dst, '.deleted/www'))).toContain('sub dir');
    // Renames moved content on the secondary: no file data was sent for them.
    expect((await pair.status('primary')).folders![0]!.bytesSent).toBe(sentBefore);
  });

  it('replicates many small files at once exactly: content, mode and mtime of each', async () => {
    mkdirSync(join(f.src, 'many'));
    for (let i = 0; i < 300; i++) {
      const p = join(f.src, 'many', `m${i}.bin`);
      writeFileSync(p, Buffer.alloc(100 + ((i * 977) % 20_000), i));
      chmodSync(p, [0o600, 0o640, 0o644, 0o755][i % 4]!);
      const t = new Date(1_600_000_000_000 + i * 1_234_567);
      utimesSync(p, t, t);
    }
    const tree = await waitForSameTree(f);
    expect(tree.filter((l) => l.startsWith('file many/'))).toHaveLength(300);
    const m3 = tree.find((l) => l.startsWith('file many/m3.bin '))!.split(' ');
    expect(m3[2]).toBe('755');
    expect(Math.abs(Number(m3[3]) - 1_600_003_703_701)).toBeLessThan(1); // utimes keeps µs
  });

  it('leaves excluded paths alone on both sides', async () => {
    writeFileSync(join(f.src, 'x.tmp'), 'excluded');
    mkdirSync(join(f.src, 'cache'));
    writeFileSync(join(f.src, 'cache/c'), 'excluded');
    writeFileSync(join(f.dst, 'keep.tmp'), 'excluded on the secondary');
    writeFileSync(join(f.src, 'marker'), 'sent after the excluded ones');
    await waitFor('marker', async () => (readdirSync(f.dst).includes('marker') ? true : undefined));
    const skip = (r: string) => r.startsWith('.deleted') || r.endsWith('.tmp') || r.startsWith('cache');
    const [dst, src] = [describeTree(f.dst, skip), describeTree(f.src, skip)];
    if (!sameTree(dst, src)) expect(dst).toEqual(src); // shows the difference
    expect(readdirSync(f.dst)).toEqual(expect.arrayContaining(['keep.tmp']));
    expect(readdirSync(f.dst)).not.toContain('x.tmp');
    expect(readdirSync(f.dst)).not.toContain('cache');
  });
});

describe('the demo pair', () => {
  it('replicates its sample folder primary/www to secondary/www', async () => {
    const pair = await Pair.create({ both: { network: { sendDelaySeconds: 0.05 } } });
    try {
      await pair.startBoth();
      const www = (side: string) => join(pair.files.dir, side, 'www');
      await waitForSameTree({ name: 'www', src: www('primary'), dst: www('secondary') });
      writeFileSync(join(www('primary'), 'added.html'), 'added');
      await waitFor('added.html', async () =>
        readdirSync(www('secondary')).includes('added.html') ? true : undefined,
      );
    } finally {
      await pair.stop();
    }
  });
});

describe('status while changes wait for the send delay', () => {
  it('counts them per folder, and `sparesync status` shows a line per folder', async () => {
    const pair = await Pair.create({ both: { network: { sendDelaySeconds: 30 } } });
    try {
      await pair.startBoth();
      const www = join(pair.files.dir, 'primary', 'www');
      await pair.waitForStatus('primary', 'first comparison', (s) => (s.folders?.[0]?.lastScanMs ?? 0) > 0);
      writeFileSync(join(www, 'a.html'), 'a');
      writeFileSync(join(www, 'b.html'), 'b');
      const s = await pair.waitForStatus(
        'primary',
        'two changes waiting',
        (x) => x.folders?.[0]?.changesWaiting === 2,
      );
      expect(s.folders?.[0]).toMatchObject({ filesPending: 0, direction: 'send' });
      const text = runCli(['status', '-c', pair.config('primary')]).stdout;
      expect(text).toMatch(
        /^folder +www \(.*primary\/www\): send, 0 file\(s\) \/ 0 B pending, 2 change\(s\) waiting for the send delay, last comparison \d+ s ago/m,
      );
      expect(readdirSync(join(pair.files.dir, 'secondary', 'www'))).not.toContain('a.html');
    } finally {
      await pair.stop();
    }
  });
});

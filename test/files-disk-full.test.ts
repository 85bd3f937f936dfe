// The receiver's disk fills up: files that fail with ENOSPC leave the folder WorkingWithErrors
// (not Working, no problems), are retried with backoff, and reach the secondary once space is
// free, after which the problem clears. The secondary's folder is a small tmpfs (mounted as root,
// as CI runs).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pair } from './harness/pair';
import { foldersPatch, makeFolderPair, waitForSameTree, type FolderPair } from './harness/folders';

const MiB = 1024 * 1024;
const mount = (...args: string[]) => spawnSync('mount', args, { encoding: 'utf8' });

describe('a full disk on the receiver', () => {
  let pair: Pair;
  let f: FolderPair;
  beforeAll(async () => {
    f = makeFolderPair('www');
    const r = mount('-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', f.dst);
    if (r.status !== 0) throw new Error(`this test mounts a tmpfs as root: ${r.stderr}`);
    pair = await Pair.create({ both: foldersPatch([f], { scanIntervalSeconds: 0 }) });
    await pair.startBoth();
  });
  afterAll(async () => {
    await pair?.stop();
    spawnSync('umount', [f.dst]);
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  });

  it('fails files with ENOSPC as WorkingWithErrors, retries them, and recovers once space is free', async () => {
    for (let i = 0; i < 6; i++) writeFileSync(join(f.src, `big${i}.bin`), randomBytes(MiB));
    const full = await pair.waitForStatus(
      'primary',
      'WorkingWithErrors with the failed files',
      (s) => s.local.state === 'WorkingWithErrors',
      60_000,
    );
    expect(full.local.reason).toMatch(
      /folder www: files could not be sent and are retried until they are: .*(ENOSPC|no space)/i,
    );
    expect(full.folders?.[0]?.errors.join('\n')).toMatch(/ENOSPC|no space/i);
    // Space is freed: the retries take the files across, and the warning ends.
    expect(mount('-o', 'remount,size=64m', f.dst).status).toBe(0);
    await waitForSameTree(f, 120_000);
    const ok = await pair.waitForState('primary', 'Working', 120_000);
    expect(ok.local.reason).toBe('connected to the peer, no problems');
  });
});

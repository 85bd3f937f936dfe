// The sending agent outlives its peer's crashes and restarts: the secondary is killed (-9 or
// SIGTERM) again and again at moments drawn from a printed seed while files are created, rewritten
// in place and deleted on the primary. The primary's agent must never die and never log an
// internal error (an unhandled failure), and the trees must end equal.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { rng, seedFromEnv } from './harness/chaos';
import { Pair, waitFor } from './harness/pair';
import { foldersPatch, makeFolderPair, waitForSameTree, type FolderPair } from './harness/folders';

const MiB = 1024 * 1024;
const ROUNDS = 12;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the primary while its peer crashes and restarts', () => {
  let pair: Pair;
  let f: FolderPair;
  const seed = seedFromEnv();
  const random = rng(seed);

  beforeAll(async () => {
    f = makeFolderPair('www');
    mkdirSync(join(f.src, 'big'));
    writeFileSync(join(f.src, 'big/blob.bin'), randomBytes(8 * MiB));
    pair = await Pair.create({ both: foldersPatch([f], { scanIntervalSeconds: 1 }) });
    await pair.startBoth();
    await waitForSameTree(f, 60_000);
  });
  afterAll(async () => {
    await pair.stop();
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  });

  /** One burst of changes: new small files, scattered writes into the large one, deletes. */
  function changeFiles(round: number): void {
    const dir = join(f.src, `r${round}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 150; i++)
      writeFileSync(join(dir, `f${i}.txt`), randomBytes(200 + ((i * 131) % 9000)));
    const fd = openSync(join(f.src, 'big/blob.bin'), 'r+');
    for (let i = 0; i < 20; i++)
      writeSync(fd, randomBytes(4096), 0, 4096, Math.floor(random() * (8 * MiB - 4096)));
    closeSync(fd);
    if (round > 0) rmSync(join(f.src, `r${round - 1}`, 'f7.txt'), { force: true });
  }

  it(`survives ${ROUNDS} kills and restarts of the secondary during transfer (seed printed)`, async () => {
    process.stdout.write(`peer-restarts seed ${seed} (replay with SPARESYNC_SEED=${seed})\n`);
    const primary = pair.procs.primary!;
    for (let round = 0; round < ROUNDS; round++) {
      changeFiles(round);
      // Somewhere inside the transfer the changes start: right away, or after a few batches.
      await sleep(Math.floor(random() * 400));
      await pair.signal('secondary', random() < 0.6 ? 'SIGKILL' : 'SIGTERM');
      expect({ round, seed, primaryExit: primary.child.exitCode }).toEqual({
        round,
        seed,
        primaryExit: null,
      });
      pair.start('secondary');
      // Half the rounds kill it again while it is still starting or just linked: a restart storm.
      if (random() < 0.5) await pair.waitForState('secondary', 'Working', 60_000);
      else await sleep(Math.floor(random() * 1500));
    }
    await pair.waitForState('secondary', 'Working', 60_000);
    await waitForSameTree(f, 120_000);
    expect(primary.child.exitCode).toBeNull();
    expect(primary.child.signalCode).toBeNull();
    const internal = pair
      .consoleOutput('primary')
      .split('\n')
      .filter((l) => /internal error|Unhandled|unhandled/.test(l));
    expect({ seed, internal }).toEqual({ seed, internal: [] });
    // And it still reports honestly: the folder is sending, nothing pending once equal.
    const st = await waitFor(
      'the primary to show the folder in sync',
      async () => {
        const s = await pair.status('primary');
        const folder = s.folders?.[0];
        return folder && folder.direction === 'send' && folder.filesPending === 0 ? s : undefined;
      },
      60_000,
    );
    expect(st.local.state).toMatch(/^Working/);
  });
});

// File scenarios of the fault suite: the primary's folder changes as an application's would while
// one agent is killed, stopped, frozen, restarted in a storm, or its disk fills up. Every content
// is recorded before it becomes visible, so the secondary's tree can be sampled against it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempFiles, Versions, type ScenarioResult } from '../harness/chaos';
import { foldersPatch, makeFolderPair, waitForSameTree, type FolderPair } from '../harness/folders';
import { Pair, type Side } from '../harness/pair';
import { between, MiB, random, scenario, sleep } from './context';

/** The primary's folder changing as an application's would; every content is recorded first. */
export class Workload {
  private readonly big: Buffer;
  private n = 0;
  constructor(
    private readonly f: FolderPair,
    readonly versions = new Versions(),
    private readonly bigBytes = 4 * MiB,
  ) {
    this.big = randomBytes(bigBytes);
    this.write('big.bin', this.big);
  }

  /** Writes one file of the primary's folder, its content recorded first. */
  write(rel: string, data: Buffer): void {
    this.versions.record(rel, ''); // truncated for a moment while it is rewritten
    this.versions.record(rel, data);
    writeFileSync(join(this.f.src, rel), data);
  }

  /** New small files, rewrites, scattered writes into the large file, deletes. */
  burst(files = 60): void {
    const round = this.n++;
    mkdirSync(join(this.f.src, `r${round}`), { recursive: true });
    for (let i = 0; i < files; i++)
      this.write(`r${round}/f${i}.bin`, randomBytes(100 + Math.floor(random() * 20_000)));
    if (round > 0) {
      for (let i = 0; i < 5; i++) this.write(`r${round - 1}/f${i}.bin`, randomBytes(3000));
      rmSync(join(this.f.src, `r${round - 1}/f9.bin`), { force: true });
    }
    const fd = openSync(join(this.f.src, 'big.bin'), 'r+');
    for (let i = 0; i < 8; i++) {
      const at = Math.floor(random() * (this.big.length - 4096));
      randomBytes(4096).copy(this.big, at);
      this.versions.record('big.bin', this.big); // each write is a version the sender may read
      writeSync(fd, this.big, at, 4096, at);
    }
    closeSync(fd);
  }

  /** Samples the secondary: every file some version the primary wrote. */
  sample(r: ScenarioResult, when: string): void {
    const torn = this.versions.unknownIn(this.f.dst);
    r.violations['torn or unknown file'] += torn.length;
    if (torn.length) r.notes.push(`${when}: not a version the primary wrote: ${torn.slice(0, 3).join(', ')}`);
  }
}

/** The invariants once the faults stop: both agents linked again, the trees equal, no temp file
 * left, no agent dead, no internal error logged. */
export async function checkAfterQuiet(r: ScenarioResult, pair: Pair, f: FolderPair): Promise<void> {
  try {
    await pair.waitForState('primary', 'Working', 60_000);
    await pair.waitForState('secondary', 'Working', 60_000);
    await waitForSameTree(f, 120_000);
  } catch (e) {
    r.violations['trees differ after quiet']++;
    r.notes.push(String(e).slice(0, 300));
  }
  r.violations['temp files left'] += tempFiles(f.dst).length;
  for (const side of ['primary', 'secondary'] as const) {
    if (/internal error|Unhandled/.test(pair.consoleOutput(side)))
      r.notes.push(`${side} logged an internal error`);
    if (pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
  }
}

/** A pair replicating one folder, in sync; `body` runs the trials, then the quiet check. */
async function withFolderPair(
  r: ScenarioResult,
  body: (pair: Pair, work: Workload, f: FolderPair) => Promise<void>,
  prepare: (f: FolderPair) => void = () => {},
  cleanup: (f: FolderPair) => void = () => {},
): Promise<ScenarioResult> {
  const f = makeFolderPair('www');
  prepare(f);
  const work = new Workload(f);
  const pair = await Pair.create({ both: foldersPatch([f], { scanIntervalSeconds: 1 }) });
  try {
    await pair.startBoth();
    await waitForSameTree(f, 60_000);
    await body(pair, work, f);
    await checkAfterQuiet(r, pair, f);
  } finally {
    await pair.stop();
    cleanup(f);
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  }
  return r;
}

const other = (side: Side): Side => (side === 'primary' ? 'secondary' : 'primary');

/** Kill -9 or SIGTERM of one agent at a random moment of a transfer, then a restart; repeated. */
export function killDuringTransfer(victim: Side, trials: number): Promise<ScenarioResult> {
  const r = scenario(`files: kill -9/SIGTERM of the ${victim} during transfer`, trials);
  return withFolderPair(r, async (pair, work) => {
    for (let t = 0; t < trials; t++) {
      work.burst();
      await sleep(between(0, 300));
      const signal = random() < 0.6 ? 'SIGKILL' : 'SIGTERM';
      await pair.signal(victim, signal);
      work.sample(r, `trial ${t} (${signal})`);
      if (pair.procs[other(victim)]!.child.exitCode !== null) r.violations['agent died']++;
      pair.start(victim);
      if (random() < 0.5) await pair.waitForState(victim, 'Working', 60_000);
      else await sleep(between(0, 1500));
    }
  });
}

/** The receiver frozen (SIGSTOP) for 1-6 s in the middle of a transfer, then thawed. */
export function frozenReceiver(trials: number): Promise<ScenarioResult> {
  const r = scenario('files: the secondary frozen (SIGSTOP) 1-6 s during transfer', trials);
  return withFolderPair(r, async (pair, work) => {
    for (let t = 0; t < trials; t++) {
      work.burst();
      await sleep(between(0, 300));
      await pair.signal('secondary', 'SIGSTOP');
      await sleep(between(1000, 6000));
      work.sample(r, `trial ${t}`);
      await pair.signal('secondary', 'SIGCONT');
      if (pair.procs.primary!.child.exitCode !== null) r.violations['agent died']++;
    }
  });
}

/**
 * A restart storm: one agent stopped and started again 4-8 times in a few seconds, never waiting
 * for it to link (a service manager with a crash loop, an operator hammering restart), while the
 * primary's folder changes.
 */
export function restartStorm(victim: Side, trials: number): Promise<ScenarioResult> {
  const r = scenario(`files: a restart storm of the ${victim} (4-8 restarts in seconds)`, trials);
  return withFolderPair(r, async (pair, work) => {
    for (let t = 0; t < trials; t++) {
      const restarts = between(4, 9);
      for (let k = 0; k < restarts; k++) {
        if (k % 2 === 0) work.burst(20);
        await pair.signal(victim, random() < 0.5 ? 'SIGKILL' : 'SIGTERM');
        pair.start(victim);
        await sleep(between(50, 800));
      }
      work.sample(r, `trial ${t}`);
      if (pair.procs[other(victim)]!.child.exitCode !== null) r.violations['agent died']++;
      await pair.waitForState(victim, 'Working', 60_000);
    }
  });
}

const mount = (...args: string[]) => spawnSync('mount', args, { encoding: 'utf8' });

/**
 * The receiver's disk full: the secondary's folder is a small tmpfs (mounted as root, as CI runs)
 * that the transfer fills; after a while the space is freed. Files that failed are retried and
 * arrive; nothing torn is left.
 */
export function fullDisk(trials: number): Promise<ScenarioResult> {
  const r = scenario("files: the secondary's disk full during transfer, then freed", trials);
  return withFolderPair(
    r,
    async (pair, work, f) => {
      for (let t = 0; t < trials; t++) {
        // A few MiB more than the secondary holds now: the next files fill it.
        const fs = statfsSync(f.dst);
        const usedMiB = Math.ceil(((fs.blocks - fs.bfree) * fs.bsize) / MiB);
        expect(mount('-o', `remount,size=${usedMiB + between(2, 6)}m`, f.dst).status).toBe(0);
        for (let k = 0; k < 4; k++) work.burst(40);
        for (let i = 0; i < 4; i++) work.write(`fill-${t}-${i}.bin`, randomBytes(2 * MiB));
        await pair
          .waitForStatus('primary', 'files failing', (s) => s.local.state === 'WorkingWithErrors', 60_000)
          .catch(() => r.notes.push(`trial ${t}: the disk never filled (no failed files seen)`));
        await sleep(between(0, 2000));
        work.sample(r, `trial ${t}, disk full`);
        expect(mount('-o', `remount,size=${usedMiB + 256}m`, f.dst).status).toBe(0);
        await waitForSameTree(f, 120_000);
        if (pair.procs.primary!.child.exitCode !== null) r.violations['agent died']++;
      }
    },
    (f) => {
      const m = mount('-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', f.dst);
      if (m.status !== 0) throw new Error(`the full-disk scenario mounts a tmpfs as root: ${m.stderr}`);
    },
    (f) => spawnSync('umount', [f.dst]),
  );
}

// The fault suite (`pnpm chaos`; its short form runs in CI with the e2e tests): real agents, real
// BIND9, faults at moments drawn from a printed seed, and invariants checked after every trial.
// It prints one table: scenario, trials, seed, violations of each invariant. CHAOS_TRIALS sets the
// trials per scenario (the long form), SPARESYNC_SEED replays a run.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatTable,
  newResult,
  rng,
  seedFromEnv,
  tempFiles,
  trialsFromEnv,
  Versions,
  type ScenarioResult,
} from './harness/chaos';
import { sqliteEngine } from './db/engines';
import { DbPair, twoDatabases } from './harness/db-pair';
import { failoverSuite } from './harness/failover';
import { LinkProxy, type ProxyMode } from './harness/link-proxy';
import { foldersPatch, makeFolderPair, waitForSameTree, type FolderPair } from './harness/folders';
import { loadSettings } from '@sparesync/common';
import { Pair, runCli, waitFor, type Side } from './harness/pair';

jest.setTimeout(30 * 60_000);

const MiB = 1024 * 1024;
const seed = seedFromEnv();
const random = rng(seed);
const results: ScenarioResult[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  process.stdout.write(
    `\nfault suite, seed ${seed} (replay: SPARESYNC_SEED=${seed})\n${formatTable(results)}\n`,
  );
});

/** The primary's folder changing as an application's would; every content is recorded first. */
class Workload {
  private readonly big: Buffer;
  private n = 0;
  constructor(
    private readonly f: FolderPair,
    readonly versions = new Versions(),
  ) {
    this.big = randomBytes(4 * MiB);
    this.write('big.bin', this.big);
  }

  private write(rel: string, data: Buffer): void {
    this.versions.record(rel, ''); // truncated for a moment while it is rewritten
    this.versions.record(rel, data);
    writeFileSync(join(this.f.src, rel), data);
  }

  /** New small files, rewrites, scattered writes into the large file, deletes. */
  burst(): void {
    const round = this.n++;
    mkdirSync(join(this.f.src, `r${round}`), { recursive: true });
    for (let i = 0; i < 60; i++)
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
}

/** Kill -9 or SIGTERM of one agent at a random moment of a transfer, then a restart; repeated. */
async function killDuringTransfer(victim: Side, trials: number): Promise<ScenarioResult> {
  const r = newResult(`files: kill -9/SIGTERM of the ${victim} during transfer`, trials, seed);
  const f = makeFolderPair('www');
  const work = new Workload(f);
  const pair = await Pair.create({ both: foldersPatch([f], { scanIntervalSeconds: 1 }) });
  const other: Side = victim === 'primary' ? 'secondary' : 'primary';
  try {
    await pair.startBoth();
    await waitForSameTree(f, 60_000);
    for (let t = 0; t < trials; t++) {
      work.burst();
      await sleep(Math.floor(random() * 300));
      const signal = random() < 0.6 ? 'SIGKILL' : 'SIGTERM';
      await pair.signal(victim, signal);
      const torn = work.versions.unknownIn(f.dst);
      r.violations['torn or unknown file'] += torn.length;
      if (torn.length)
        r.notes.push(
          `trial ${t} (${signal}): not a version the primary wrote: ${torn.slice(0, 3).join(', ')}`,
        );
      if (pair.procs[other]!.child.exitCode !== null) r.violations['agent died']++;
      pair.start(victim);
      if (random() < 0.5) await pair.waitForState(victim, 'Working', 60_000);
      else await sleep(Math.floor(random() * 1500));
    }
    await checkAfterQuiet(r, pair, f);
  } finally {
    await pair.stop();
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  }
  results.push(r);
  return r;
}

/** The invariants once the faults stop: both agents linked again, the trees equal, no temp file
 * left, no agent dead, no internal error logged. */
async function checkAfterQuiet(r: ScenarioResult, pair: Pair, f: FolderPair): Promise<void> {
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

/** The receiver frozen (SIGSTOP) for 1-6 s in the middle of a transfer, then thawed. */
async function frozenReceiver(trials: number): Promise<ScenarioResult> {
  const r = newResult('files: the secondary frozen (SIGSTOP) 1-6 s during transfer', trials, seed);
  const f = makeFolderPair('www');
  const work = new Workload(f);
  const pair = await Pair.create({ both: foldersPatch([f], { scanIntervalSeconds: 1 }) });
  try {
    await pair.startBoth();
    await waitForSameTree(f, 60_000);
    for (let t = 0; t < trials; t++) {
      work.burst();
      await sleep(Math.floor(random() * 300));
      await pair.signal('secondary', 'SIGSTOP');
      await sleep(1000 + Math.floor(random() * 5000));
      const torn = work.versions.unknownIn(f.dst);
      r.violations['torn or unknown file'] += torn.length;
      await pair.signal('secondary', 'SIGCONT');
      if (pair.procs.primary!.child.exitCode !== null) r.violations['agent died']++;
    }
    await checkAfterQuiet(r, pair, f);
  } finally {
    await pair.stop();
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  }
  results.push(r);
  return r;
}

const ok = (r: ScenarioResult) => ({ violations: r.violations, notes: r.notes });
const none = () => ({ violations: newResult('', 0, 0).violations, notes: [] });

describe('fault suite', () => {
  const suite = failoverSuite('chaos.test');

  test('files: the secondary killed or stopped at random moments of a transfer', async () => {
    expect(ok(await killDuringTransfer('secondary', trialsFromEnv(6)))).toEqual(none());
  });

  test('files: the primary killed or stopped at random moments of a transfer', async () => {
    expect(ok(await killDuringTransfer('primary', trialsFromEnv(6)))).toEqual(none());
  });

  test('files: the secondary frozen for seconds in the middle of a transfer', async () => {
    expect(ok(await frozenReceiver(Math.max(1, Math.round(trialsFromEnv(6) / 3))))).toEqual(none());
  });

  describe('rows (SQLite)', () => {
    const engine = sqliteEngine();
    beforeAll(() => engine.start());
    afterAll(() => engine.stop());

    test.each<Side>(['secondary', 'primary'])(
      'rows: the %s killed or stopped at random moments while rows change',
      async (victim) => {
        const trials = trialsFromEnv(6);
        const r = newResult(
          `rows (SQLite): kill -9/SIGTERM of the ${victim} while rows change`,
          trials,
          seed,
        );
        const [p, q] = await twoDatabases(
          engine,
          'CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)',
        );
        const dp = await DbPair.create(p, q);
        const other: Side = victim === 'primary' ? 'secondary' : 'primary';
        let next = 1;
        try {
          await dp.startReplicating();
          for (let t = 0; t < trials; t++) {
            // Inserts, updates and deletes in transactions, some while the victim dies.
            const change = async () => {
              const statements: string[] = [];
              for (let i = 0; i < 20; i++)
                statements.push(`INSERT INTO items VALUES (${next++}, 'v${t}', ${i})`);
              statements.push(`UPDATE items SET n = n + 1 WHERE id % 7 = ${t % 7}`);
              statements.push(`DELETE FROM items WHERE id % 11 = ${t % 11} AND id < ${next - 30}`);
              await p.transaction(statements);
            };
            await change();
            const dying = sleep(Math.floor(random() * 300)).then(() =>
              dp.pair.signal(victim, random() < 0.6 ? 'SIGKILL' : 'SIGTERM'),
            );
            for (let k = 0; k < 5; k++) {
              await change();
              await sleep(Math.floor(random() * 80));
            }
            await dying;
            if (dp.pair.procs[other]!.child.exitCode !== null) r.violations['agent died']++;
            dp.pair.start(victim);
            await dp.pair.waitForState(victim, 'Working', 60_000);
          }
          try {
            await dp.converged(120_000);
          } catch (e) {
            r.violations['trees differ after quiet']++;
            r.notes.push(String(e).slice(0, 400));
          }
          for (const side of ['primary', 'secondary'] as const) {
            if (dp.pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
          }
        } finally {
          await dp.stop();
          await p.close();
          await q.close();
        }
        results.push(r);
        expect(ok(r)).toEqual(none());
      },
    );
  });

  test('partitions of the link alone (both ways, one way, reset, blackhole) while the test pages answer: no switch, never both serving, in sync after', async () => {
    // Each pattern: the mode of the proxy in front of the primary's link port and of the one in
    // front of the secondary's. "to primary cut": nothing reaches the primary's agent.
    const patterns: [string, ProxyMode, ProxyMode][] = [
      ['reset, both ways', 'reset', 'reset'],
      ['blackhole, both ways', 'blackhole', 'blackhole'],
      ['blackhole toward the primary only', 'only-from-agent', 'only-to-agent'],
      ['blackhole toward the secondary only', 'only-to-agent', 'only-from-agent'],
    ];
    const perPattern = Math.max(1, Math.round(trialsFromEnv(6) / 5));
    const maxMs = Number(process.env.CHAOS_PARTITION_MAX_S ?? 10) * 1000;
    const f = makeFolderPair('www');
    const s = await suite.system({ both: foldersPatch([f], { scanIntervalSeconds: 2 }) });
    const port = (side: Side) => loadSettings(s.pair.config(side)).settings.listen.port;
    const toPrimary = await LinkProxy.start(port('primary'));
    const toSecondary = await LinkProxy.start(port('secondary'));
    s.pair.patchSettings('secondary', { peer: { port: toPrimary.port } });
    s.pair.patchSettings('primary', { peer: { port: toSecondary.port } });
    let both = 0;
    let switched = false;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = Date.now();
        const [p, q] = await Promise.all([s.appAnswers('primary'), s.appAnswers('secondary')]);
        const st = await s.pair.status('secondary').catch(() => undefined);
        if (st && /Switch/.test(st.local.state)) switched = true;
        await sleep(Math.max(0, 100 - (Date.now() - t0)));
        if (p && q) both += Date.now() - t0;
      }
    })();
    try {
      await s.pair.startBoth();
      for (const [name, a, b] of patterns) {
        const r = newResult(`partition: ${name}, ${Math.round(maxMs / 1000)} s at most`, perPattern, seed);
        for (let t = 0; t < perPattern; t++) {
          both = 0;
          switched = false;
          const rel = `p-${name.replace(/\W+/g, '-')}-${t}.txt`;
          toPrimary.set(a);
          toSecondary.set(b);
          await sleep(Math.floor(random() * 500));
          writeFileSync(join(f.src, rel), `written during the partition ${name}`);
          const cutAt = Date.now();
          // The partition must be real: at least one agent sees its link go down.
          const seen = await waitFor(
            'an agent to see the link down',
            async () => {
              for (const side of ['primary', 'secondary'] as const) {
                const st = await s.pair.status(side).catch(() => undefined);
                if (st && !st.link.connected) return side;
              }
              return undefined;
            },
            30_000,
          ).catch(() => undefined);
          if (!seen) r.notes.push(`trial ${t}: no agent saw the link go down`);
          await sleep(
            Math.max(0, 3000 + Math.floor(random() * Math.max(0, maxMs - 3000)) - (Date.now() - cutAt)),
          );
          toPrimary.set('open');
          toSecondary.set('open');
          try {
            await s.pair.waitForStatus(
              'secondary',
              'linked again',
              (x) => x.local.state === 'Working' && x.remote.state === 'Working',
              90_000,
            );
            await s.pair.waitForStatus(
              'primary',
              'linked again',
              (x) => x.local.state === 'Working' && x.remote.state === 'Working',
              90_000,
            );
            await waitForSameTree(f, 90_000);
          } catch (e) {
            r.violations['trees differ after quiet']++;
            r.notes.push(`trial ${t}: ${String(e).slice(0, 300)}`);
          }
          if (switched)
            r.notes.push(`trial ${t}: the secondary started a switch while the primary's test page answered`);
          if (both > 0) {
            r.violations['both serving (ms over allowance)'] += both;
            r.notes.push(`trial ${t}: both answered for ${both} ms`);
          }
          for (const side of ['primary', 'secondary'] as const) {
            if (s.pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
          }
        }
        r.violations['temp files left'] += tempFiles(f.dst).length;
        results.push(r);
        expect(ok(r)).toEqual(none());
      }
    } finally {
      polling = false;
      await poller;
      await toPrimary.close();
      await toSecondary.close();
      for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
    }
  });

  test('failover: the primary server dies; it comes back with its app started; never both serving', async () => {
    const trials = Math.max(1, Math.round(trialsFromEnv(6) / 4));
    const r = newResult('failover: primary dies, returns with its app up', trials, seed);
    // How long both may answer: the returning agent's start, link and stop command.
    const allowanceMs = 10_000;
    const s = await suite.system();
    let both = 0;
    const bothPerTrial: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = Date.now();
        const [p, q] = await Promise.all([s.appAnswers('primary'), s.appAnswers('secondary')]);
        await sleep(Math.max(0, 100 - (Date.now() - t0)));
        if (p && q) both += Date.now() - t0;
      }
    })();
    try {
      await s.pair.startBoth();
      for (let t = 0; t < trials; t++) {
        both = 0;
        await sleep(Math.floor(random() * 1000));
        await s.pair.signal('primary', 'SIGKILL');
        s.app('primary', 'stop');
        await s.pair.waitForState('secondary', 'Switched', 60_000);
        // The server reboots: its service manager starts the app before the agent.
        s.app('primary', 'start');
        await sleep(Math.floor(random() * 1000));
        s.pair.start('primary');
        await s.pair.waitForStatus('primary', 'fenced', (x) => x.local.state === 'Switched', 60_000);
        await waitFor(
          'the old primary app stopped',
          async () => (s.app('primary', 'status') !== 0 ? true : undefined),
          60_000,
        );
        bothPerTrial.push(both);
        if (both > allowanceMs) {
          r.violations['both serving (ms over allowance)'] += both - allowanceMs;
          r.notes.push(`trial ${t}: both answered for ${both} ms`);
        }
        if (t + 1 < trials) {
          const back = runCli([
            'switch',
            '--yes',
            '--to',
            'primary',
            '--config',
            s.pair.config('secondary'),
            '--json',
          ]);
          if (back.code !== 0)
            r.notes.push(`trial ${t}: switch back exited ${back.code}: ${back.stderr.slice(0, 200)}`);
          await s.pair.waitForStatus(
            'primary',
            'serving again',
            (x) => x.local.state === 'Working' && x.local.epoch % 2 === 0 && x.remote.state === 'Working',
            120_000,
          );
        }
        for (const side of ['primary', 'secondary'] as const) {
          if (s.pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
        }
      }
    } finally {
      polling = false;
      await poller;
    }
    const sorted = [...bothPerTrial].sort((a, b) => a - b);
    r.figures.push(
      `both answered per trial (the returning app until its agent fences it): median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms; allowance ${allowanceMs} ms`,
    );
    results.push(r);
    expect(ok(r)).toEqual(none());
  });
});

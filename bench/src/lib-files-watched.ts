// A pair watching a large, already synced folder (issue 16), next to lsyncd watching the same
// tree and a no-op rsync of it: resident memory and idle CPU of each agent, the time and CPU of a
// rescan of the unchanged files, and a restart of the sender until its first comparison is done.
// Both sides start with the same tree (cp -a keeps mtimes), so no comparison sends anything.
// The pair runs with the product's defaults (heartbeat 5 s) except a short scanIntervalSeconds,
// so that rescans can be timed: one starts RESCAN_S after the previous one ended.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ControlClient, controlTargetFromSettings, loadSettings } from '@sparesync/common';
import { startAgentProcess, writeLocalPair, type AgentProcess } from '@sparesync/devkit';
import { loopDelayDuring, loopProbeEnv, pauseLoopProbe } from './lib-loop-probe';
import { cpuSeconds, rssMb } from './lib-proc';
import { percentile, printTable } from './lib-table';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const progress = (msg: string) =>
  console.error(`  [watched ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Seconds between the end of one comparison and the start of the next. */
const RESCAN_S = 90;
/**
 * The idle window, from IDLE_FROM_S to IDLE_TO_S after a comparison ended: an agent's steady
 * state. The first ~30 s after a comparison hold its own after-work (the collections that return
 * its garbage, V8's memory reducer, compiling), a burst of 0.1-1.8 CPU-s that belongs to the
 * comparison, as the rescan rows count it; until 2026-12-07 the window was 5-35 s and held it.
 */
const IDLE_FROM_S = 40;
const IDLE_TO_S = 88;
const RESCANS = 3;

/** `files` tiny files (a dozen bytes each) under `src`, in directories of 100. */
export function writeTinyTree(src: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const dir = join(src, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    if (i > 0 && i % 100_000 === 0) progress(`${i} of ${files} files written`);
    writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n`);
  }
}

export interface WatchedFigures {
  rss: { sender: number; receiver: number; lsyncd: number };
  /** CPU seconds per minute while nothing changes. */
  idle: { sender: number; receiver: number; lsyncd: number };
  /** A rescan of the unchanged tree: wall ms (median) and CPU seconds per side (median). */
  rescan: { ms: number; senderCpu: number; receiverCpu: number; rsyncMs: number; rsyncCpu: number };
  /** SIGTERM of the sender, start, until its first comparison is done: ms. */
  restartMs: number;
  /** Event-loop delay over the rescans (p99 of the worst second, max; ms) per side. */
  loop: { sender: { p99: number; max: number }; receiver: { p99: number; max: number } };
}

async function lastScan(client: ControlClient): Promise<number> {
  const st = await client.getStatus(2000).catch(() => null);
  return st?.folders?.[0]?.lastScanMs ?? 0;
}

async function nextScan(client: ControlClient, after: number, timeoutMs = 600_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const at = await lastScan(client);
    if (at > after) return at;
    if (performance.now() - t0 > timeoutMs) throw new Error('no comparison finished in time');
    await sleep(50);
  }
}

/** lsyncd (default.rsync, no initial sync) watching `src`; ready once it has set its watches. */
async function startLsyncd(
  base: string,
  src: string,
  dst: string,
): Promise<{ pid: number; stop: () => void }> {
  const log = join(base, 'lsyncd.log');
  const conf = join(base, 'lsyncd.lua');
  writeFileSync(
    conf,
    `settings { logfile = "${log}", nodaemon = true, insist = true }\n` +
      `sync { default.rsync, source = "${src}", target = "${dst}", delay = 0, init = false }\n`,
  );
  const child = spawn('lsyncd', [conf], { stdio: 'ignore' });
  // Its start-up adds one inotify watch per directory; wait until its CPU time stops growing.
  let before = -1;
  for (;;) {
    await sleep(1000);
    const now = cpuSeconds(child.pid!);
    if (now === before) break;
    before = now;
  }
  return { pid: child.pid!, stop: () => child.kill() };
}

function rsyncNoop(src: string, dst: string): { ms: number; cpu: number } {
  const t0 = performance.now();
  const out = execFileSync('bash', ['-c', `{ time -p rsync -a "${src}/" "${dst}/"; } 2>&1`], {
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  const sec = (k: string) => Number(new RegExp(`^${k} ([\\d.]+)`, 'm').exec(out)?.[1] ?? NaN);
  return { ms, cpu: sec('user') + sec('sys') };
}

export async function watchedFolder(base: string, files: number): Promise<WatchedFigures> {
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  progress(`writing ${files} tiny files`);
  writeTinyTree(src, files);
  progress('copying the tree to the target (cp -a)');
  execFileSync('cp', ['-a', src, dst]);
  execFileSync('sync');
  const pair = await writeLocalPair({
    dir: join(base, 'pair'),
    overrides: {
      both: {
        network: { remoteCheckIntervalSeconds: 5 },
        folders: [{ name: 'mem', primaryPath: src, secondaryPath: dst, scanIntervalSeconds: RESCAN_S }],
        log: { level: 'warn' },
      },
    },
  });
  progress('starting lsyncd');
  const lsyncd = await startLsyncd(base, src, dst);
  const target = () => controlTargetFromSettings(loadSettings(pair.primaryConfig));
  let client = new ControlClient(target());
  const loopFile = (side: string) => join(base, `loop-${side}.txt`);
  const procs: AgentProcess[] = [
    startAgentProcess(pair.primaryConfig, undefined, loopProbeEnv(loopFile('sender'))),
    startAgentProcess(pair.secondaryConfig, undefined, loopProbeEnv(loopFile('receiver'))),
  ];
  const pid = (i: number) => procs[i]!.child.pid!;
  try {
    progress('agents started; waiting for the first comparison');
    let done = await nextScan(client, 0);
    progress(`idle for ${IDLE_TO_S - IDLE_FROM_S} s`);
    // The probe's 10 ms timer alone costs ~0.35 CPU-s a minute: it is off while idle CPU is read.
    for (const side of ['sender', 'receiver']) pauseLoopProbe(loopFile(side), true);
    await sleep(done + IDLE_FROM_S * 1000 - Date.now());
    const cpu0 = [cpuSeconds(pid(0)), cpuSeconds(pid(1)), cpuSeconds(lsyncd.pid)];
    await sleep(done + IDLE_TO_S * 1000 - Date.now());
    const perMin = (i: number, now: number) => ((now - cpu0[i]!) * 60) / (IDLE_TO_S - IDLE_FROM_S);
    const idle = {
      sender: perMin(0, cpuSeconds(pid(0))),
      receiver: perMin(1, cpuSeconds(pid(1))),
      lsyncd: perMin(2, cpuSeconds(lsyncd.pid)),
    };
    const rss = { sender: rssMb(pid(0)), receiver: rssMb(pid(1)), lsyncd: rssMb(lsyncd.pid) };
    for (const side of ['sender', 'receiver']) pauseLoopProbe(loopFile(side), false);

    const rescansFrom = Date.now();
    const walls: number[] = [];
    const cpus: [number[], number[]] = [[], []];
    for (let r = 0; r < RESCANS; r++) {
      progress(`rescan ${r + 1} of ${RESCANS}`);
      await sleep(done + (RESCAN_S - 1) * 1000 - Date.now());
      const c0 = [cpuSeconds(pid(0)), cpuSeconds(pid(1))];
      const next = await nextScan(client, done);
      walls.push(next - done - RESCAN_S * 1000);
      await sleep(300); // the receiver's side of the exchange is over by now
      cpus[0].push(cpuSeconds(pid(0)) - c0[0]!);
      cpus[1].push(cpuSeconds(pid(1)) - c0[1]!);
      done = next;
    }
    const loop = {
      sender: loopDelayDuring(loopFile('sender'), rescansFrom, Date.now()),
      receiver: loopDelayDuring(loopFile('receiver'), rescansFrom, Date.now()),
    };
    // Steady state after rescans, once the agents' delayed collection has shrunk the young
    // generation again (keepYoungGenerationSmall: 5-10 s after a comparison ends).
    await sleep(15_000);
    rss.sender = Math.max(rss.sender, rssMb(pid(0)));
    rss.receiver = Math.max(rss.receiver, rssMb(pid(1)));
    lsyncd.stop();

    progress('restarting the sender');
    client.close();
    procs[0]!.child.kill('SIGTERM');
    await procs[0]!.exited;
    const t0 = performance.now();
    procs[0] = startAgentProcess(pair.primaryConfig);
    client = new ControlClient(target());
    await nextScan(client, 0);
    const restartMs = performance.now() - t0;

    progress('no-op rsync (3 runs)');
    const rs = [0, 1, 2].map(() => rsyncNoop(src, dst));
    const med = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    return {
      rss,
      idle,
      rescan: {
        ms: med(walls),
        senderCpu: med(cpus[0]),
        receiverCpu: med(cpus[1]),
        rsyncMs: med(rs.map((r) => r.ms)),
        rsyncCpu: med(rs.map((r) => r.cpu)),
      },
      restartMs,
      loop,
    };
  } finally {
    lsyncd.stop();
    client.close();
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
  }
}

/**
 * The watched-folder table per size (comma-separated; 0 or empty: left out). The goals are stated
 * at 100,000 and 1,000,000 files, whatever the scale; the 1,000,000 row takes several minutes.
 */
const WATCHED = (process.env.BENCH_FILES_WATCHED ?? '100000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

/** `pnpm bench files`' watched-folder tables, one per size in BENCH_FILES_WATCHED, under `dir`. */
export async function watchedTables(dir: string): Promise<void> {
  for (const files of WATCHED) {
    await watchedTable(join(dir, String(files)), files);
    execFileSync('rm', ['-rf', join(dir, String(files))]);
  }
}

async function watchedTable(dir: string, files: number): Promise<void> {
  const w = await watchedFolder(dir, files);
  const big = files >= 1_000_000;
  const ratio = (a: number, b: number) => (a / b).toFixed(1) + 'x';
  const worse = (x: { sender: number; receiver: number }) => Math.max(x.sender, x.receiver);
  printTable(
    [`watching ${files} unchanged tiny files`, 'sender', 'receiver', 'peer', 'ratio', 'goal'],
    [
      [
        'resident memory: MB (peer lsyncd)',
        w.rss.sender,
        w.rss.receiver,
        w.rss.lsyncd,
        ratio(worse(w.rss), w.rss.lsyncd),
        big ? '<= 300 MB' : '<= 60 MB',
      ],
      ['idle CPU: s per minute (peer lsyncd)', w.idle.sender, w.idle.receiver, w.idle.lsyncd, '', '<= 0.05'],
      [
        'rescan: ms (peer a no-op rsync -a)',
        w.rescan.ms,
        '',
        w.rescan.rsyncMs,
        ratio(w.rescan.ms, w.rescan.rsyncMs),
        '<= 1.5x',
      ],
      [
        '  CPU s per side (rsync: all its processes)',
        w.rescan.senderCpu,
        w.rescan.receiverCpu,
        w.rescan.rsyncCpu,
        '',
        '',
      ],
      [
        '  event-loop delay over the rescans: p99 / max ms',
        `${w.loop.sender.p99.toFixed(0)} / ${w.loop.sender.max.toFixed(0)}`,
        `${w.loop.receiver.p99.toFixed(0)} / ${w.loop.receiver.max.toFixed(0)}`,
        '',
        '',
        '< 50 (p99)',
      ],
      ['sender restart until its first comparison: ms', w.restartMs, '', '', '', big ? '' : '<= 2000'],
    ],
  );
}

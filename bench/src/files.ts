// `pnpm bench files`: file replication between two real agent processes on loopback, with rsync
// (daemon on 127.0.0.1, so its delta algorithm is used) on the same data in the same run.
// REDUCED data set by default (BENCH_FILES_SCALE=1 for the full sizes): small files and
// the large file are scaled down; the table says which sizes were measured.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ControlClient, controlTargetFromSettings, loadSettings } from '@sparesync/common';
import { freePort, startAgentProcess, writeLocalPair } from '@sparesync/devkit';
import { publishFloorMs } from './lib-files-floor';
import { manyFilesInitialSync } from './lib-files-many';
import { watchedTables } from './lib-files-watched';
import { loopDelayDuring, loopProbeEnv } from './lib-loop-probe';
import { cpuSeconds, rssMb } from './lib-proc';
import { percentile, printTable } from './lib-table';

const SCALE = Number(process.env.BENCH_FILES_SCALE ?? 0.2);
const SMALL = Math.round(10_000 * SCALE);
const BIG = Math.max(1, Math.round(20 * SCALE));
const LARGE = Math.round(1024 * SCALE) * 1024 * 1024;
const MiB = 1024 * 1024;
/** The initial sync of this many tiny files into an empty target, last (0: left out). */
const MANY = Number(process.env.BENCH_FILES_MANY ?? 100_000);
/**
 * BENCH_FILES_ONLY=initial: the initial sync rows alone (their floors, and the many-files row);
 * BENCH_FILES_ONLY=watched: the watched-folder table alone (memory, idle CPU, rescan, restart).
 */
const INITIAL_ONLY = process.env.BENCH_FILES_ONLY === 'initial';
const WATCHED_ONLY = process.env.BENCH_FILES_ONLY === 'watched';
/**
 * BENCH_FILES_ONLY=large: the initial sync, then only the new large file and its CPU row,
 * BENCH_FILES_LARGE_RUNS times (new files each time) [1].
 */
const LARGE_ONLY = process.env.BENCH_FILES_ONLY === 'large';
const LARGE_RUNS = LARGE_ONLY ? Number(process.env.BENCH_FILES_LARGE_RUNS ?? 1) : 1;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, timeoutMs = 600_000): Promise<number> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error('timed out');
    await sleep(2);
  }
  return performance.now() - t0;
}

function writeRandom(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  for (let at = 0; at < bytes; at += 8 * MiB) writeSync(fd, randomBytes(Math.min(8 * MiB, bytes - at)));
  closeSync(fd);
}

function makeTree(root: string): number {
  let total = 0;
  for (let i = 0; i < SMALL; i++) {
    const dir = join(root, `d${i % 100}`);
    mkdirSync(dir, { recursive: true });
    const size = 1024 + ((i * 7919) % (15 * 1024));
    writeFileSync(join(dir, `f${i}.bin`), randomBytes(size));
    total++;
  }
  mkdirSync(join(root, 'big'), { recursive: true });
  for (let i = 0; i < BIG; i++) writeRandom(join(root, 'big', `b${i}.bin`), 8 * MiB);
  return total + BIG;
}

const sameSize = (a: string, b: string) => {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.size === y.size && Math.abs(x.mtimeMs - y.mtimeMs) < 1;
  } catch {
    return false;
  }
};

function patch(path: string, offsets: number[], len: number): void {
  const fd = openSync(path, 'r+');
  for (const o of offsets) writeSync(fd, randomBytes(len), 0, len, o);
  closeSync(fd);
}

/** One daemon, two modules: `d` for rsync as-is, `f` (its own copy) for rsync --fsync. */
async function rsyncDaemon(
  base: string,
): Promise<{ url: string; fsyncUrl: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const conf = join(base, 'rsyncd.conf');
  let text = `port = ${port}\naddress = 127.0.0.1\nuse chroot = no\nuid = ${process.getuid!()}\ngid = ${process.getgid!()}\n`;
  for (const m of ['d', 'f']) {
    const dst = join(base, `rsync-dst-${m}`);
    mkdirSync(dst, { recursive: true });
    text += `[${m}]\npath = ${dst}\nread only = no\n`;
  }
  writeFileSync(conf, text);
  const child = spawn('rsync', ['--daemon', '--no-detach', `--config=${conf}`], { stdio: 'ignore' });
  await sleep(300);
  return {
    url: `rsync://127.0.0.1:${port}/d/`,
    fsyncUrl: `rsync://127.0.0.1:${port}/f/`,
    pid: child.pid!,
    stop: () => child.kill(),
  };
}

/**
 * Waits until the data written so far is on disk. Every measurement starts from there: the
 * kernel writing back the previous one's files made the next one up to 3x slower here.
 */
function settle(): void {
  execFileSync('sync');
}

let rsyncDaemonPid = 0;

/**
 * `fsync`: rsync --fsync, every received file fsynced as SpareSync does (rsync 3.2.3+). `cpu`:
 * CPU seconds of the client and the daemon's child (counted once the daemon has reaped it).
 */
function rsync(src: string, url: string, fsync = false): { ms: number; sent: number; cpu: number } {
  settle();
  const cpu0 = cpuSeconds(process.pid) + cpuSeconds(rsyncDaemonPid);
  const t0 = performance.now();
  const args = ['-a', '--stats', ...(fsync ? ['--fsync'] : []), src, url];
  const out = execFileSync('rsync', args, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  execFileSync('sleep', ['0.2']); // the daemon reaps its child
  const cpu = cpuSeconds(process.pid) + cpuSeconds(rsyncDaemonPid) - cpu0;
  const m = /Total bytes sent: ([\d,.]+)/.exec(out);
  return { ms, sent: m ? Number(m[1]!.replace(/[,.]/g, '')) : NaN, cpu };
}

/** A pair watching `files` files next to lsyncd and a no-op rsync (issue 16's goals), per size. */
async function main(): Promise<void> {
  const base = join(tmpdir(), `sparesync-bench-files-${process.pid}`);
  if (WATCHED_ONLY) {
    await watchedTables(join(base, 'watched'));
    execFileSync('rm', ['-rf', base]);
    return;
  }
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  mkdirSync(src, { recursive: true });
  mkdirSync(dst, { recursive: true });
  const count = makeTree(src);
  settle();
  const pair = await writeLocalPair({
    dir: join(base, 'pair'),
    overrides: {
      both: {
        network: { remoteCheckIntervalSeconds: 0.25, sendDelaySeconds: 0, compression: false },
        folders: [{ name: 'bench', primaryPath: src, secondaryPath: dst, scanIntervalSeconds: 0 }],
        log: { level: 'warn' },
      },
    },
  });
  const rs = await rsyncDaemon(base);
  rsyncDaemonPid = rs.pid;
  const rows: (string | number)[][] = [];
  const client = new ControlClient(controlTargetFromSettings(loadSettings(pair.primaryConfig)));
  const bytesSent = async () => (await client.getStatus(2000)).folders?.[0]?.bytesSent ?? NaN;
  const last = join('big', `b${BIG - 1}.bin`);

  const t0 = performance.now();
  const loopFile = (side: string) => join(base, `loop-${side}.txt`);
  const procs = [
    startAgentProcess(pair.primaryConfig, undefined, loopProbeEnv(loopFile('primary'))),
    startAgentProcess(pair.secondaryConfig, undefined, loopProbeEnv(loopFile('secondary'))),
  ];
  /** Both agents' event-loop delay (p99 of the worst second / max, ms) since `fromMs`. */
  const loopRow = (label: string, fromMs: number): (string | number)[] => {
    const f = (side: string) => {
      const d = loopDelayDuring(loopFile(side), fromMs, Date.now());
      return `${d.p99.toFixed(0)} / ${d.max.toFixed(0)}`;
    };
    return [
      `  ${label} event-loop delay p99 / max ms, sender | receiver`,
      f('primary'),
      f('secondary'),
      '',
      '',
    ];
  };
  /** Both agents' CPU seconds when the link came up (polled), for the initial sync's CPU row. */
  const cpuAt = (): number[] => procs.map((p) => cpuSeconds(p.child.pid!));
  let cpuAtLinkUp: number[] | undefined;
  void (async () => {
    while (!cpuAtLinkUp) {
      const st = await client.getStatus(2000).catch(() => null);
      if (st?.link.connected) cpuAtLinkUp = cpuAt();
      else await sleep(20);
    }
  })();
  const finish = async () => {
    client.close();
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    if (!INITIAL_ONLY && !LARGE_ONLY) await watchedTables(join(base, 'watched'));
    if (MANY > 0) {
      const many = await manyFilesInitialSync(join(base, 'many'), MANY);
      const r = rsync(join(base, 'many', 'src') + '/', rs.url + 'many/');
      rows.push([
        `initial sync of ${MANY} tiny files into an empty target (incl. agent start): ms`,
        many.ms,
        r.ms,
        '',
        (many.ms / r.ms).toFixed(2) + 'x',
      ]);
      const loop = (d: { p99: number; max: number }) => `${d.p99.toFixed(0)} / ${d.max.toFixed(0)}`;
      rows.push([
        '  event-loop delay p99 / max ms, sender | receiver',
        loop(many.loop.primary),
        loop(many.loop.secondary),
        '',
        '',
      ]);
      rows.push([`  link drops / agents that died`, many.drops, many.died.join(' ') || 'none', '', '']);
    }
    rs.stop();
    printTable(['measure (SCALE=' + SCALE + ')', 'sparesync', 'rsync', 'rsync --fsync', 'ratio / p95'], rows);
    execFileSync('rm', ['-rf', base]);
  };
  /** When the last large and the last small file arrived (they go over different streams). */
  let bigAt = 0;
  let smallAt = 0;
  await until(() => {
    bigAt ||= sameSize(join(src, last), join(dst, last)) ? Date.now() : 0;
    const lastSmall = join('d99', `f${SMALL - 1}.bin`);
    smallAt ||= sameSize(join(src, lastSmall), join(dst, lastSmall)) ? Date.now() : 0;
    return bigAt > 0 && smallAt > 0;
  });
  await until(
    () =>
      execFileSync('find', [dst, '-type', 'f', '-not', '-path', '*/.deleted/*']).toString().split('\n')
        .length -
        1 >=
      count,
  );
  const initial = performance.now() - t0;
  const syncedAt = Date.now();
  const cpuSynced = cpuAt();
  const linkUpAt = (await client.getStatus(2000)).link.connectedSinceMs;
  const r0 = rsync(src + '/', rs.url);
  const f0 = rsync(src + '/', rs.fsyncUrl, true);
  rows.push([
    `initial sync: ${SMALL} files 1-16 KiB in 100 dirs + ${BIG} x 8 MiB (incl. agent start)`,
    initial,
    r0.ms,
    f0.ms,
    '',
  ]);
  // rsync's daemon is already running; the agents' own start (~0.8 s here) is not sync work.
  rows.push([
    '  the same, from the link up',
    syncedAt - linkUpAt,
    r0.ms,
    f0.ms,
    ((syncedAt - linkUpAt) / r0.ms).toFixed(2) + 'x',
  ]);
  rows.push([
    '  last large file | last small file there, from the link up: ms',
    `${bigAt - linkUpAt} | ${smallAt - linkUpAt}`,
    '',
    '',
    '',
  ]);
  const cpu = (i: number) => (cpuSynced[i]! - (cpuAtLinkUp?.[i] ?? NaN)).toFixed(2);
  rows.push([
    '  CPU s from the link up: sender + receiver | rsync client + daemon',
    `${cpu(0)} + ${cpu(1)}`,
    r0.cpu.toFixed(2),
    f0.cpu.toFixed(2),
    '',
  ]);
  // From a second after the link is up: the agents' start (loading modules) is not sync work.
  rows.push(loopRow('initial sync (from the link up):', linkUpAt + 1000));
  if (!LARGE_ONLY) await floorRows();
  async function floorRows(): Promise<void> {
    settle();
    const floorSynced = await publishFloorMs(join(base, 'floor-fsync'), SMALL, true);
    settle();
    const floorUnsynced = await publishFloorMs(join(base, 'floor-no-fsync'), SMALL, false);
    rows.push([`  floor: the ${SMALL} small files published locally, each fsynced`, floorSynced, '', '', '']);
    rows.push([`  floor: the same without the files' fsyncs`, floorUnsynced, '', '', '']);
  }

  if (INITIAL_ONLY) return finish();
  // The large file is written beside the folder and renamed in: the agents replicate a whole new
  // file (its writing is not timed), rsync then sends the same new file to its daemon.
  const large = join(src, 'large.bin');
  for (let run = 1; run < LARGE_RUNS; run++) {
    const name = `large-${run}.bin`;
    await newLargeFile(join(src, name), join(dst, name));
    execFileSync('rm', ['-f', join(src, name)]);
    settle();
  }
  await newLargeFile(large, join(dst, 'large.bin'));
  if (LARGE_ONLY) return finish();
  async function newLargeFile(large: string, target: string): Promise<void> {
    writeRandom(join(base, 'large.tmp'), LARGE);
    settle();
    const cpuL0 = cpuAt();
    const tL = performance.now();
    renameSync(join(base, 'large.tmp'), large);
    await until(() => sameSize(large, target));
    const largeMs = performance.now() - tL;
    const cpuL = cpuAt().map((c, i) => c - cpuL0[i]!);
    const rL = rsync(src + '/', rs.url);
    const fL = rsync(src + '/', rs.fsyncUrl, true);
    const perGiB = (cpu: number) => ((cpu * 1024 * MiB) / LARGE).toFixed(2);
    rows.push([`${LARGE / MiB} MiB new file: ms`, largeMs, rL.ms, fL.ms, (largeMs / rL.ms).toFixed(2) + 'x']);
    rows.push([
      '  CPU s per GiB: sender + receiver | rsync client + daemon',
      `${perGiB(cpuL[0]!)} + ${perGiB(cpuL[1]!)}`,
      perGiB(rL.cpu),
      perGiB(fL.cpu),
      ((cpuL[0]! + cpuL[1]!) / rL.cpu).toFixed(2) + 'x',
    ]);
  }
  for (const [label, offsets, len] of [
    [
      '100 scattered 4 KiB writes',
      Array.from({ length: 100 }, (_, i) => Math.floor((i * LARGE) / 100) + 1234),
      4096,
    ],
    [
      '1% changed (10 runs)',
      Array.from({ length: 10 }, (_, i) => Math.floor((i * LARGE) / 10) + 999),
      Math.floor(LARGE / 1000),
    ],
  ] as const) {
    settle();
    patch(large, offsets, len);
    const s0 = await bytesSent();
    const t = performance.now();
    await until(() => sameSize(large, join(dst, 'large.bin')));
    const ms = performance.now() - t;
    const sent = (await bytesSent()) - s0;
    const r = rsync(src + '/', rs.url);
    const f = rsync(src + '/', rs.fsyncUrl, true);
    rows.push([`${LARGE / MiB} MiB file, ${label}: ms`, ms, r.ms, f.ms, '']);
    rows.push([`  bytes sent`, sent, r.sent, f.sent, (sent / r.sent).toFixed(2) + 'x']);
  }

  const lat: number[] = [];
  for (let i = 0; i < 50; i++) {
    const p = join(src, `one-${i}.bin`);
    const t = performance.now();
    writeFileSync(p, randomBytes(4096));
    await until(() => sameSize(p, join(dst, `one-${i}.bin`)), 10_000);
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  rows.push([
    'one 4 KiB file until complete on the secondary: median / p95 ms',
    percentile(lat, 50),
    '',
    '',
    percentile(lat, 95),
  ]);

  mkdirSync(join(src, 'burst'));
  const tb = performance.now();
  for (let i = 0; i < 1000; i++) writeFileSync(join(src, 'burst', `n${i}.txt`), randomBytes(512));
  await until(() => sameSize(join(src, 'burst', 'n999.txt'), join(dst, 'burst', 'n999.txt')));
  await until(
    () =>
      execFileSync('ls', [join(dst, 'burst')])
        .toString()
        .split('\n').length -
        1 >=
      1000,
  );
  rows.push(['1,000 new files at once: ms until all there', performance.now() - tb, '', '', '']);

  rows.push([
    `resident memory, sender after the runs above (${count + 1051} files): MB`,
    rssMb(procs[0]!.child.pid!),
    '',
    '',
    '',
  ]);

  await finish();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

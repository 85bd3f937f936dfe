// `pnpm bench switchback` (issue 6): switchback downtime after failover traffic. A real pair
// (lib-system.ts: the sample app on each side, DNS on the secondary's embedded server, the demo's
// SQLite database, settings of `pnpm bench failover`) fails over (kill -9 of the primary agent and
// its app), the old primary returns (fenced, kept caught up by the secondary while Switched), the
// secondary takes BENCH_SWITCHBACK_MINUTES (default 10) of traffic at 100 row changes/s and 10 file
// changes/s, then `sparesync switch --to primary` runs while both test pages are polled every
// ~50 ms. The traffic stops when the offline marker appears (the managed system going offline).
// Downtime: from the switch's start to the primary answering. "Time to apply the last delta": the
// reverse-sync step. Goals: downtime < 10 s, and ≤ 2 s above the reverse-sync step.
// BENCH_SWITCHBACK_RUNS (default 3) repeats it; the table shows medians.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Status, SwitchLog } from '@sparesync/common';
import { AvailabilityPoller } from './lib-availability';
import { Load, loadFiles, notesDigest } from './lib-switchback-load';
import { shellQuote, type SampleSystem } from '@sparesync/devkit';
import { benchSettings, benchSystem, sleep, until, type BenchSystem, type Side } from './lib-system';
import { percentile, printTable } from './lib-table';

const MINUTES = Number(process.env.BENCH_SWITCHBACK_MINUTES ?? 10);
const RUNS = Number(process.env.BENCH_SWITCHBACK_RUNS ?? 3);
const ROWS_PER_S = 100;
const FILES_PER_S = 10;
const ALLOWABLE_S = 5;
const KEEP = !!process.env.BENCH_KEEP_DIRS;
/**
 * BENCH_SWITCHBACK_STOP=signal: the secondary stops its app with SIGTERM and waits until the
 * process has exited, instead of the sample app's `stop` (which also counts an unreaped zombie as
 * stopped since ec48b64; before, it waited ~1 s here for pid 1 to reap it).
 */
const STOP = process.env.BENCH_SWITCHBACK_STOP === 'signal' ? 'signal' : 'sample';

function signalStop(sys: SampleSystem, side: Side): object | undefined {
  if (STOP !== 'signal' || side !== 'secondary') return undefined;
  const pidFile = shellQuote(join(sys.appDir(side), 'sample-app.pid'));
  const cmd =
    `p=$(cat ${pidFile} 2>/dev/null) || exit 0; kill -TERM "$p" 2>/dev/null || exit 0; ` +
    `while [ -e /proc/$p ] && ! grep -q '^State:.*Z' /proc/$p/status 2>/dev/null; do sleep 0.01; done`;
  return { managedSystem: { stopCommand: `/bin/sh -c ${shellQuote(cmd)}` } };
}

const cliMain = join(dirname(require.resolve('@sparesync/cli/package.json')), 'dist', 'main.js');

interface RunResult {
  /** Switch start (the agent's lastSwitch.startedAtMs) → the primary's test page answers. */
  downtimeMs: number;
  /** Time no side answered, after the switch was asked for. */
  unavailableMs: number;
  /** Duration of each step, from the previous step's end (or the switch's start). */
  steps: Record<string, number>;
  /** persist-epoch done → the primary's agent takes the managed system (it hears of the epoch). */
  primaryLearnsMs: number;
  /** The primary's agent takes the managed system → its test page answers. */
  primaryStartsMs: number;
  /** The traffic's last file change → the reverse-sync step done. */
  lastFileToSyncedMs: number;
  rowsPending: number;
  rowsPendingStatus: number;
  filesPending: number;
  filesPendingStatus: number;
  /** Largest lag seen while the primary was kept caught up (sampled every 5 s). */
  maxLagRows: number;
  rowChanges: number;
  fileChanges: number;
  rowsOk: boolean;
  filesOk: boolean;
  detail: string;
}

const dbFile = (s: BenchSystem, side: 'primary' | 'secondary') => join(s.dir, side, 'app.sqlite');
const www = (s: BenchSystem, side: 'primary' | 'secondary') => join(s.dir, side, 'www');

/** `sparesync switch --to primary --json` on the secondary, as a process. */
function switchToPrimary(s: BenchSystem): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      cliMain,
      'switch',
      '--yes',
      '--to',
      'primary',
      '--config',
      s.config('secondary'),
      '--json',
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function failOverAndReturn(s: BenchSystem): Promise<void> {
  s.app('primary', 'start');
  s.startAgent('primary');
  s.startAgent('secondary');
  await s.waitStatus(
    'primary',
    'Working, the database following after the first reinitialisation',
    (st) =>
      st.local.state === 'Working' && st.remote.state === 'Working' && st.database?.phase === 'following',
    120_000,
  );
  await s.killAgent('primary');
  s.app('primary', 'stop');
  await s.waitStatus(
    'secondary',
    'Switched after the failover',
    (st) => st.local.state === 'Switched',
    60_000,
  );
  await until('the app on the secondary', async () => ((await s.appAnswers('secondary')) ? true : undefined));
  s.startAgent('primary');
  await s.waitStatus(
    'primary',
    'back, fenced at epoch 1',
    (st) => st.local.state === 'Switched' && st.local.epoch === 1,
    60_000,
  );
  await s.waitStatus(
    'secondary',
    'sending rows to the returned primary',
    (st) => st.database?.phase === 'following' && st.link.connected,
    120_000,
  );
}

async function once(run: number): Promise<RunResult> {
  const s = await benchSystem({
    name: 'switchback',
    both: benchSettings(ALLOWABLE_S),
    side: signalStop,
    sampleDatabase: true,
  });
  let keep = KEEP;
  let load: Load | undefined;
  try {
    await failOverAndReturn(s);
    load = new Load({
      dbFile: dbFile(s, 'secondary'),
      folder: www(s, 'secondary'),
      rowsPerSecond: ROWS_PER_S,
      filesPerSecond: FILES_PER_S,
      offlineMarker: s.sys.markerFile('secondary'),
    });
    load.start();
    const l = load;
    // Traffic; every 5 s, how far behind the returned primary is (row changes).
    let maxLagRows = 0;
    const endAt = Date.now() + MINUTES * 60_000;
    while (Date.now() < endAt) {
      await sleep(Math.min(5000, endAt - Date.now()));
      const lag = (l.lastTick - l.markerTickIn(dbFile(s, 'primary'))) * (ROWS_PER_S / 10);
      maxLagRows = Math.max(maxLagRows, lag);
    }

    // What is still on its way at the switch's start (the traffic goes on until the marker).
    const before: Status = await s.status('secondary');
    const rowsPending = (l.lastTick - l.markerTickIn(dbFile(s, 'primary'))) * (ROWS_PER_S / 10);
    const filesPending = l.pendingFiles(www(s, 'primary'), 60_000);
    const poller = new AvailabilityPoller(s);
    await sleep(200); // both sides polled before the switch
    const askedAt = Date.now();
    const cli = await switchToPrimary(s);
    const figures = await l.finished();
    const primaryAt = await until(
      'the primary answering',
      async () => poller.firstAnswer('primary', askedAt),
      120_000,
    );
    await sleep(500);
    await poller.stop();
    const after = await s.status('secondary');
    const sw: SwitchLog | null = after.local.lastSwitch;
    if (cli.code !== 0 || !sw || sw.phase !== 'completed' || sw.startedAtMs < askedAt - 1000) {
      keep = true;
      throw new Error(`the switch back did not complete (CLI exit ${cli.code}): ${cli.out}`);
    }
    const steps: Record<string, number> = {};
    let prev = sw.startedAtMs;
    for (const st of sw.steps) {
      steps[st.step] = st.atMs - prev;
      prev = st.atMs;
    }

    // Everything written on the secondary is on the primary: rows now, files now.
    const [p, q] = [notesDigest(dbFile(s, 'primary')), notesDigest(dbFile(s, 'secondary'))];
    const rowsOk = p.sha === q.sha;
    const missing = l.missingFiles(www(s, 'primary'));
    const extra = loadFiles(www(s, 'primary')).filter((f) => !l.files.has(f));
    const filesOk = missing.length === 0 && extra.length === 0;
    if (!rowsOk || !filesOk) keep = true;
    const hist = (await s.status('primary')).history.filter((t) => t.atMs >= sw.startedAtMs);
    const primaryHist = hist.map((t) => `${t.from} -> ${t.to} +${t.atMs - sw.startedAtMs} ms (${t.reason})`);
    const takesAt = hist.find((t) => t.from === 'Switched')?.atMs ?? NaN;
    const epochAt = sw.steps.find((x) => x.step === 'persist-epoch')?.atMs ?? NaN;
    const r: RunResult = {
      downtimeMs: primaryAt - sw.startedAtMs,
      unavailableMs: poller.unavailableAfter(askedAt).totalMs,
      steps,
      primaryLearnsMs: takesAt - epochAt,
      lastFileToSyncedMs: (sw.steps.find((x) => x.step === 'reverse-sync')?.atMs ?? NaN) - l.lastFileAtMs,
      primaryStartsMs: primaryAt - takesAt,
      rowsPending,
      rowsPendingStatus: before.database?.rowsPending ?? -1,
      filesPending,
      filesPendingStatus: (before.folders ?? []).reduce((n, f) => n + f.filesPending, 0),
      maxLagRows,
      rowChanges: figures.rowChanges,
      fileChanges: figures.fileChanges,
      rowsOk,
      filesOk,
      detail: [
        `traffic ${figures.seconds.toFixed(0)} s, stopped by ${figures.stoppedBy}; CLI asked at -${sw.startedAtMs - askedAt} ms`,
        `rows: primary ${p.rows} / secondary ${q.rows}${rowsOk ? ' identical' : ' DIFFER'}; files: ${l.files.size} written, ${missing.length} missing or different, ${extra.length} unexpected on the primary`,
        `steps: ${sw.steps.map((x) => `${x.step} ${steps[x.step]} ms (${x.detail})`).join('; ')}`,
        `primary: ${primaryHist.join('; ')}`,
      ].join('\n  '),
    };
    console.log(
      `run ${run}: downtime ${r.downtimeMs} ms, reverse-sync ${steps['reverse-sync']} ms, ` +
        `last file change → reverse-sync done ${r.lastFileToSyncedMs} ms\n  ${r.detail}`,
    );
    return r;
  } finally {
    load?.close();
    if (keep) console.log(`kept ${s.dir} (agent logs in primary/logs, secondary/logs)`);
    await s.close(keep);
  }
}

async function main(): Promise<void> {
  const runs: RunResult[] = [];
  for (let i = 1; i <= RUNS; i++) runs.push(await once(i));
  const med = (f: (r: RunResult) => number) =>
    percentile(
      runs.map(f).sort((a, b) => a - b),
      50,
    );
  const s = (ms: number) => ms / 1000;
  const stepNames = Object.keys(runs[0]?.steps ?? {});
  const downtime = s(med((r) => r.downtimeMs));
  const delta = s(med((r) => r.steps['reverse-sync'] ?? NaN));
  const over = s(med((r) => r.downtimeMs - (r.steps['reverse-sync'] ?? NaN)));
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  printTable(
    ['switch back after failover traffic (SQLite, embedded DNS)', 'median', 'runs'],
    [
      [
        `traffic on the secondary: minutes at ${ROWS_PER_S} rows/s + ${FILES_PER_S} files/s`,
        MINUTES,
        runs.length,
      ],
      [
        'row changes / file changes written',
        `${med((r) => r.rowChanges)} / ${med((r) => r.fileChanges)}`,
        runs.length,
      ],
      [
        'largest lag of the returned primary while Switched: row changes',
        med((r) => r.maxLagRows),
        runs.length,
      ],
      [
        'pending at switch start: row changes (marker) / status rowsPending',
        `${med((r) => r.rowsPending)} / ${med((r) => r.rowsPendingStatus)}`,
        runs.length,
      ],
      [
        'pending at switch start: files (last 60 s checked) / status filesPending',
        `${med((r) => r.filesPending)} / ${med((r) => r.filesPendingStatus)}`,
        runs.length,
      ],
      ...stepNames.map((n): (string | number)[] => [
        `step ${n}: s`,
        s(med((r) => r.steps[n] ?? NaN)),
        runs.length,
      ]),
      [
        'persist-epoch done → the primary agent takes over (heartbeat): s',
        s(med((r) => r.primaryLearnsMs)),
        runs.length,
      ],
      ['the primary agent takes over → its app answers: s', s(med((r) => r.primaryStartsMs)), runs.length],
      ['downtime: switch start → the primary answers: s', downtime, runs.length],
      ['no side answering (polled every 50 ms): s', s(med((r) => r.unavailableMs)), runs.length],
      ['time to apply the last delta (reverse-sync step): s', delta, runs.length],
      ['downtime − reverse-sync step: s', over, runs.length],
      [
        'last file change → reverse-sync done (sendDelaySeconds 3): s',
        s(med((r) => r.lastFileToSyncedMs)),
        runs.length,
      ],
      [
        'all rows / all files on the primary',
        `${runs.every((r) => r.rowsOk) ? 'yes' : 'NO'} / ${runs.every((r) => r.filesOk) ? 'yes' : 'NO'}`,
        runs.length,
      ],
    ],
  );
  console.log(
    `goal downtime < 10 s: ${verdict(downtime < 10)}; goal ≤ 2 s above the last delta: ${verdict(over <= 2)} ` +
      `(system:fast, heartbeat 1 s, other settings default; secondary's app stopped by ${STOP === 'signal' ? 'SIGTERM and waiting for the exit' : 'the sample app stop command'})`,
  );
  if (!runs.every((r) => r.rowsOk && r.filesOk)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

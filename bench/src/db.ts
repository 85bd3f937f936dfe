// `pnpm bench db`: PostgreSQL → PostgreSQL replication between two real agent processes on
// loopback, in one private cluster (packages/devkit/src/local-postgres.ts: fsync off, as in the tests).
// Measures reinitialisation of the `big` table next to `pg_dump | psql` of the same table, lag
// under a steady load, and draining a backlog. BENCH_DB_SECONDS shortens the steady runs (default
// 60 s each); BENCH_DB_ROWS sizes `big` and the backlog (default 1,000,000).
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ControlClient,
  controlTargetFromSettings,
  loadSettings,
  type DatabaseStatus,
} from '@sparesync/common';
import { startAgentProcess, startPostgres, writeLocalPair, type AgentProcess } from '@sparesync/devkit';
import { SCHEMA, connect, fillSql, markerTick, sleep, steady, untilTick } from './lib-db-load';
import { percentile, printTable } from './lib-table';

const SECONDS = Number(process.env.BENCH_DB_SECONDS ?? 60);
const ROWS = Number(process.env.BENCH_DB_ROWS ?? 1_000_000);
const BACKLOG_TX_ROWS = 10_000;

async function waitDb(client: ControlClient, pred: (d: DatabaseStatus) => boolean): Promise<DatabaseStatus> {
  for (const t0 = performance.now(); performance.now() - t0 < 600_000; await sleep(50)) {
    const d = await client
      .getStatus(2000)
      .then((s) => s.database)
      .catch(() => undefined);
    if (d && pred(d)) return d;
  }
  throw new Error('timed out waiting for the database status');
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

async function main(): Promise<void> {
  const base = join(tmpdir(), `sparesync-bench-db-${process.pid}`);
  const pg = await startPostgres('bench_primary');
  const secondaryUrl = await pg.createDatabase('bench_secondary');
  const dumpUrl = await pg.createDatabase('bench_dump');
  const primary = await connect(pg.connectionString);
  const secondary = await connect(secondaryUrl);
  const procs: AgentProcess[] = [];
  const clients: ControlClient[] = [];
  try {
    for (const db of [primary, secondary]) await db.query(SCHEMA);
    const dump = await connect(dumpUrl);
    await dump.query(SCHEMA);
    await dump.end();
    await primary.query(fillSql(ROWS));
    await primary.query('VACUUM ANALYZE');

    const pair = await writeLocalPair({
      dir: join(base, 'pair'),
      overrides: {
        both: {
          network: { remoteCheckIntervalSeconds: 0.5, dbIterationPauseSeconds: 1 },
          log: { level: 'warn' },
        },
        primary: { database: { engine: 'postgres', connectionString: pg.connectionString } },
        secondary: { database: { engine: 'postgres', connectionString: secondaryUrl } },
      },
    });
    const control = (config: string) => {
      const c = new ControlClient(controlTargetFromSettings(loadSettings(config)));
      clients.push(c);
      return c;
    };
    const [pc, sc] = [control(pair.primaryConfig), control(pair.secondaryConfig)];
    const start = (config: string) => {
      const p = startAgentProcess(config, join(base, `${config.endsWith('primary.json') ? 'p' : 's'}.log`));
      procs.push(p);
      return p;
    };
    const rows: (string | number)[][] = [];

    // 1. Reinitialisation at first start (the secondary's own figures: first frame to last chunk).
    const t0 = performance.now();
    start(pair.primaryConfig);
    let secondaryAgent = start(pair.secondaryConfig);
    const reinit = (await waitDb(sc, (d) => !!d.reinit && !d.reinit.active && d.reinit.finishedAtMs > 0))
      .reinit!;
    if (reinit.error) throw new Error(`reinitialisation failed: ${reinit.error}`);
    await waitDb(pc, (d) => d.phase === 'following');
    const reinitS = (reinit.finishedAtMs - reinit.startedAtMs) / 1000;
    const startS = (performance.now() - t0) / 1000;
    const td = performance.now();
    const bin = pg.binDir;
    execFileSync('bash', [
      '-c',
      `set -o pipefail; "${bin}/pg_dump" --data-only -t public.big "${pg.connectionString}" | "${bin}/psql" -X -q -v ON_ERROR_STOP=1 "${dumpUrl}"`,
    ]);
    const dumpS = (performance.now() - td) / 1000;
    const ratio = dumpS / reinitS;
    rows.push([
      `reinitialisation of ${ROWS + 10_001} rows (big ${ROWS} + hot + marker): s`,
      reinitS,
      `pg_dump --data-only | psql, big alone into an empty table with its key: ${dumpS.toFixed(2)} s`,
      `speed ${ratio.toFixed(2)}x of pg_dump|psql (agents up + reinit: ${startS.toFixed(1)} s)`,
      `≥ 0.5x: ${verdict(ratio >= 0.5)}`,
    ]);

    // 2. Lag under a steady load.
    for (const rate of [1000, 5000]) {
      const r = await steady(primary, secondary, rate, SECONDS);
      const [p50, p95] = [percentile(r.lags, 50), percentile(r.lags, 95)];
      rows.push([
        `lag at ${rate} row changes/s for ${SECONDS} s: p50 / p95 ms`,
        p50,
        p95,
        `${r.lags.length} transactions, ${Math.round(r.achieved)} rows/s achieved, max ${percentile(r.lags, 100).toFixed(0)} ms`,
        rate === 1000 ? `p95 ≤ 1000 ms: ${verdict(p95 <= 1000)}` : '',
      ]);
    }

    // 3. A backlog: the secondary agent is stopped while the primary's database changes every row
    // of `big` (transactions of 10,000 rows); then it starts and the primary drains the backlog.
    secondaryAgent.child.kill('SIGTERM');
    await secondaryAgent.exited;
    for (let lo = 0; lo < ROWS; lo += BACKLOG_TX_ROWS) {
      await primary.query(`UPDATE big SET v = v + 1 WHERE id > ${lo} AND id <= ${lo + BACKLOG_TX_ROWS}`);
    }
    const last = (await markerTick(primary)) + 1;
    await primary.query(`UPDATE marker SET tick = ${last} WHERE id = 1`);
    const before = (await pc.getStatus(2000)).database!.rowsReplicated;
    const tb = performance.now();
    secondaryAgent = start(pair.secondaryConfig);
    await waitDb(pc, (d) => d.rowsReplicated > before);
    const firstS = (performance.now() - tb) / 1000;
    const drainS = firstS + (await untilTick(secondary, last)) / 1000;
    // The last acknowledgement reaches the primary's figures just after the rows are visible.
    const sent = (await waitDb(pc, (d) => d.rowsReplicated - before >= ROWS)).rowsReplicated - before;
    const perS = ROWS / (drainS - firstS);
    rows.push([
      `backlog of ${ROWS} changed rows (${ROWS / BACKLOG_TX_ROWS} transactions): rows/s`,
      perS,
      `${sent} rows sent, ${(drainS - firstS).toFixed(1)} s`,
      `from agent start: ${drainS.toFixed(1)} s (${Math.round(ROWS / drainS)} rows/s)`,
      `≥ 20000 rows/s: ${verdict(perS >= 20_000)}`,
    ]);
    printTable(
      ['measure (PostgreSQL 15, fsync off, 2 agents on loopback)', 'value', '', 'detail', 'goal'],
      rows,
    );
  } finally {
    for (const c of clients) c.close();
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await primary.end().catch(() => {});
    await secondary.end().catch(() => {});
    await pg.stop();
    execFileSync('rm', ['-rf', base]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

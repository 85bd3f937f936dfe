// The peers of `pnpm bench db`: PostgreSQL's own logical replication (a publication on the primary
// database, a subscription in a second local cluster), and pgbench as the application, run
// plain, with SpareSync capturing and replicating its tables (each capture), and with the native
// subscription, on one database of the primary cluster.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createAdapter } from '@sparesync/agent';
import { RowPipeline, type PostgresServer } from '@sparesync/devkit';
import { connect, type Pg } from './lib-db-load';

const run = promisify(execFile);

/** Subscribes `peerUrl` to `tables` of `sourceUrl` and waits until the first copy is done. */
export async function subscribe(
  sourceUrl: string,
  peerUrl: string,
  name: string,
  tables: string[],
): Promise<() => Promise<void>> {
  const source = await connect(sourceUrl);
  const peer = await connect(peerUrl);
  await source.query(`CREATE PUBLICATION ${name} FOR TABLE ${tables.join(', ')}`);
  await peer.query(`CREATE SUBSCRIPTION ${name} CONNECTION '${sourceUrl}' PUBLICATION ${name}`);
  for (;;) {
    const { rows } = await peer.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_subscription_rel WHERE srsubstate <> 'r'`,
    );
    if (rows[0]!.n === '0') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return async () => {
    await peer.query(`DROP SUBSCRIPTION ${name}`);
    await source.query(`DROP PUBLICATION ${name}`);
    await peer.end();
    await source.end();
  };
}

export interface PgbenchResult {
  mode: string;
  tps: number;
}

const pgbenchTables = ['pgbench_accounts', 'pgbench_branches', 'pgbench_tellers', 'pgbench_history'];

/**
 * pgbench (TPC-B like, 2 clients) on a fresh database of `primary` for `seconds` per run, in the
 * order plain, native logical replication, SpareSync logical capture, SpareSync triggers, plain.
 * SpareSync's runs replicate into `peer` through the real sender and receiver (devkit RowPipeline).
 */
export async function pgbenchRuns(
  primary: PostgresServer,
  peer: PostgresServer,
  seconds: number,
): Promise<PgbenchResult[]> {
  const appUrl = await primary.createDatabase('bench_app');
  const bin = primary.binDir;
  await run(`${bin}/pgbench`, ['-i', '-q', '-s', '1', appUrl]);
  const app = await connect(appUrl);
  // Every replicated table needs a primary key (the history table has none).
  await app.query('ALTER TABLE pgbench_history ADD COLUMN hid bigserial PRIMARY KEY');
  await app.query('VACUUM ANALYZE');
  const bench = async (mode: string): Promise<PgbenchResult> => {
    const out = (
      await run(`${bin}/pgbench`, ['-n', '-c', '2', '-j', '2', '-T', String(seconds), appUrl], {
        maxBuffer: 1 << 24,
        // Synchronous commits, as the lag rows' writer (lib-db-load.ts).
        env: { ...process.env, PGOPTIONS: '-c synchronous_commit=on' },
      })
    ).stdout;
    const m = /tps = ([\d.]+)/.exec(out);
    if (!m) throw new Error(`pgbench printed no tps:\n${out}`);
    return { mode, tps: Number(m[1]) };
  };
  const out: PgbenchResult[] = [await bench('plain')];

  let n = 0;
  const peerDb = async (): Promise<{ url: string; db: Pg }> => {
    const url = await peer.createDatabase(`bench_app_copy${++n}`);
    await run('bash', [
      '-c',
      `set -o pipefail; "${bin}/pg_dump" --schema-only --no-owner "${appUrl}" | "${bin}/psql" -X -q -v ON_ERROR_STOP=1 "${url}"`,
    ]);
    return { url, db: await connect(url) };
  };

  const native = await peerDb();
  const unsubscribe = await subscribe(appUrl, native.url, 'bench_native', pgbenchTables);
  out.push(await bench('native logical replication'));
  await unsubscribe();
  await native.db.end();

  for (const capture of ['logical', 'triggers'] as const) {
    const target = await peerDb();
    const P = createAdapter({ engine: 'postgres', connectionString: appUrl, capture })!;
    const S = createAdapter({ engine: 'postgres', connectionString: target.url, capture: 'triggers' })!;
    await P.install();
    await S.install();
    const rep = RowPipeline.open(P, S, { maxBatchKiB: 1024 });
    await rep.reinitialize(600_000);
    rep.start();
    try {
      out.push(await bench(`SpareSync, ${capture} capture`));
      await rep.sync(600_000);
    } finally {
      await rep.stop();
      await rep.close();
      await P.stopCapture?.();
      // Uninstall: the next run starts from a database without capture.
      await app.query(
        pgbenchTables
          .map(
            (t) =>
              `DROP TRIGGER IF EXISTS sparesync_capture ON ${t}; DROP TRIGGER IF EXISTS sparesync_truncate ON ${t};`,
          )
          .join(' ') + ' DROP PUBLICATION IF EXISTS sparesync',
      );
      await P.close();
      await S.close();
      await target.db.end();
    }
  }
  out.push(await bench('plain'));
  await app.end();
  return out;
}

// Load and observation for `pnpm bench db`: a steady writer on the primary database and a poller on
// the secondary that sees when each of the writer's transactions became visible there. Every
// transaction also sets marker.tick, so the poller reads one row and knows how far the secondary is.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PgClient } from '@sparesync/devkit';
import { percentile } from './lib-table';

export type Pg = InstanceType<typeof PgClient>;

const TICK_MS = 10;
export const HOT_ROWS = 10_000;

export const SCHEMA = `
CREATE TABLE big (id bigint PRIMARY KEY, v integer NOT NULL, pad text NOT NULL);
CREATE TABLE hot (id integer PRIMARY KEY, tick integer NOT NULL, pad text NOT NULL);
CREATE TABLE marker (id integer PRIMARY KEY, tick integer NOT NULL);`;

export function fillSql(bigRows: number): string {
  return `INSERT INTO big SELECT g, g % 1000, md5(g::text) FROM generate_series(1, ${bigRows}) g;
INSERT INTO hot SELECT g, 0, md5(g::text) FROM generate_series(1, ${HOT_ROWS}) g;
INSERT INTO marker VALUES (1, 0);`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function connect(url: string): Promise<Pg> {
  const c = new PgClient({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  return c;
}

export async function markerTick(db: Pg): Promise<number> {
  return Number((await db.query<{ tick: number }>('SELECT tick FROM marker WHERE id = 1')).rows[0]!.tick);
}

/** Polls the secondary's marker until it shows `tick`; resolves with the time that took (ms). */
export async function untilTick(db: Pg, tick: number, timeoutMs = 600_000): Promise<number> {
  const t0 = performance.now();
  while ((await markerTick(db)) !== tick) {
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`marker tick ${tick} not seen in ${timeoutMs} ms`);
    await sleep(2);
  }
  return performance.now() - t0;
}

export interface SteadyResult {
  /** Commit-to-visible lag of each transaction, sorted, ms: one list per secondary. */
  lags: number[][];
  /** Row changes per second the writer achieved. */
  achieved: number;
}

/**
 * Writes `rate` row changes per second for `seconds` as one transaction every 10 ms (rows of
 * `hot` plus the marker) and measures, per transaction and secondary, the time from COMMIT
 * returning on the primary to the marker showing it on that secondary (polled every ~2 ms).
 */
export async function steady(
  primary: Pg,
  secondaries: Pg[],
  rate: number,
  seconds: number,
): Promise<SteadyResult> {
  // The writer commits synchronously (PostgreSQL's default; the bench cluster's default is off):
  // logical decoding, SpareSync's and the native subscription's, sends only flushed WAL, and an
  // asynchronous commit waits for the WAL writer (up to wal_writer_delay, 200 ms).
  await primary.query('SET synchronous_commit = on');
  const perTick = Math.max(2, Math.round((rate * TICK_MS) / 1000));
  const committed = new Map<number, number>();
  const base = await markerTick(primary);
  let writing = true;
  let last = base;
  const polls = secondaries.map(async (secondary) => {
    const lags: number[] = [];
    let seen = base;
    while (writing || seen < last) {
      const tick = await markerTick(secondary);
      const now = performance.now();
      for (; seen < tick;) {
        const at = committed.get(++seen);
        if (at !== undefined) lags.push(now - at);
      }
      await sleep(2);
    }
    return lags.sort((a, b) => a - b);
  });
  const t0 = performance.now();
  let tick = base;
  let rows = 0;
  while (performance.now() - t0 < seconds * 1000) {
    tick++;
    const lo = ((tick * (perTick - 1)) % (HOT_ROWS - perTick)) + 1;
    await primary.query(
      `BEGIN; UPDATE hot SET tick = ${tick} WHERE id >= ${lo} AND id < ${lo + perTick - 1};` +
        ` UPDATE marker SET tick = ${tick} WHERE id = 1; COMMIT`,
    );
    committed.set(tick, performance.now());
    last = tick;
    rows += perTick;
    const next = t0 + (tick - base) * TICK_MS;
    if (next > performance.now()) await sleep(next - performance.now());
  }
  const elapsed = (performance.now() - t0) / 1000;
  writing = false;
  const lags = await Promise.race([Promise.all(polls), sleep(120_000).then(() => null)]);
  if (!lags) throw new Error('a secondary did not catch up within 120 s');
  return { lags, achieved: rows / elapsed };
}

/** The per-batch timings an agent logs at debug level (`batch sent`, `batch applied`) after byte `from` of its log. */
export function batchTimings(file: string, from: number, message: string): Record<string, number>[] {
  const text = readFileSync(file).subarray(from).toString('utf8');
  const marker = ` ${message} {`;
  const out: Record<string, number>[] = [];
  for (const line of text.split('\n')) {
    const i = line.indexOf(marker);
    if (i >= 0) out.push(JSON.parse(line.slice(i + marker.length - 1)) as Record<string, number>);
  }
  return out;
}

/** "p50/p95" of one timing over the lines that carry rows. */
export function stage(lines: Record<string, number>[], key: string): string {
  const v = lines
    .filter((l) => l.rows && typeof l[key] === 'number')
    .map((l) => l[key]!)
    .sort((a, b) => a - b);
  return v.length ? `${percentile(v, 50).toFixed(1)}/${percentile(v, 95).toFixed(1)}` : '-';
}

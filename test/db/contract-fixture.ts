// The shared half of the database adapter contract (DESIGN.md "Database adapters share one
// contract"): two real databases per test, joined by the agent's own row pipeline (the sending
// agent's RowSender, the receiving agent's RowReceiver) over an in-process Rows call that
// serializes every frame as the Link does (devkit row-pipeline.ts). The suites are split over
// test/db-contract*.test.ts; each reads the current test's databases through these live bindings.
import { createHash } from 'node:crypto';
import { RowPipeline } from '@sparesync/devkit';
import { tableChecksums, type DbAdapter } from '../../packages/agent/src/db';
import { mssqlEngine, postgresEngine, sqliteEngine, type Engine, type TestDb } from './engines';
import { twoDatabases } from '../harness/db-pair';

export const SCHEMA = `
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER);
CREATE TABLE lines (item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, line INTEGER NOT NULL,
  note TEXT, PRIMARY KEY (item_id, line));
CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
`;
export const MAX_BYTES = 64 * 1024;

/** Values with large ones replaced by type, length and SHA-256 (deep equality of MBs is slow in jest). */
export function exact(row: unknown[]): unknown[] {
  return row.map((v) => {
    const big = (Buffer.isBuffer(v) || typeof v === 'string') && v.length > 4096;
    return big ? `${typeof v}:${v.length}:${createHash('sha256').update(v).digest('hex')}` : v;
  });
}

export function values(from: number, to: number, row: (i: number) => string): string {
  return Array.from({ length: to - from + 1 }, (_, k) => row(from + k)).join(', ');
}

// Live bindings: set before each test, read by its body.
export let p: TestDb;
export let s: TestDb;
export let P: DbAdapter;
export let S: DbAdapter;
export let rep: RowPipeline;
let current: Engine;
const pipelines: RowPipeline[] = [];

/** The engine's name for a table of SCHEMA. */
export const T = (name: string): string => current.table(name);

/** A pipeline from P to S, closed after the test. */
export function pipeline(opts: Parameters<typeof RowPipeline.open>[2] = {}): RowPipeline {
  // link.maxMessageBytes above the default 4 MiB: the typed rows' several 1 MB values travel in
  // one transaction, and the sender refuses a batch larger than the link allows.
  const made = RowPipeline.open(P, S, { maxBatchKiB: MAX_BYTES / 1024, maxMessageBytes: 16 << 20, ...opts });
  pipelines.push(made);
  return made;
}

/** Capture on both sides (the secondary captures its own writes after a failover), then reinitialise. */
export async function pair(): Promise<void> {
  await P.install();
  await S.install();
  await rep.reinitialize();
}

export async function expectSame(): Promise<void> {
  const [a, b] = [await tableChecksums(P), await tableChecksums(S)];
  expect(Object.keys(a).sort()).toEqual([T('accounts'), T('items'), T('lines')].sort());
  expect(b).toEqual(a);
}

/** Rows in the change log, or the expected value where the engine keeps none of its own. */
export async function changeLogCount(db: TestDb, expected: number): Promise<number> {
  return current.changeLogCount === null ? expected : Number((await db.rows(current.changeLogCount))[0]![0]);
}

/** One describe per engine (SQL Server only where SPARESYNC_TEST_MSSQL names one), with fresh databases per test. */
export function contractSuite(title: string, tests: (engine: Engine) => void): void {
  const engines = [sqliteEngine(), postgresEngine(), postgresEngine('logical')];
  const mssql = process.env.SPARESYNC_TEST_MSSQL;
  if (mssql) engines.push(mssqlEngine(mssql));
  for (const engine of engines) {
    describe(`${engine.name}${engine.variant ? ` (${engine.variant})` : ''} adapter contract: ${title}`, () => {
      beforeAll(() => engine.start());
      afterAll(() => engine.stop());
      beforeEach(async () => {
        current = engine;
        [p, s] = await twoDatabases(engine, engine.schemaDdl ?? SCHEMA);
        P = p.adapter();
        S = s.adapter();
        rep = pipeline();
      });
      afterEach(async () => {
        for (const made of pipelines.splice(0)) await made.close();
        await p.close();
        await s.close();
      });
      tests(engine);
    });
  }
  if (!mssql) {
    describe(`mssql adapter contract: ${title}`, () => {
      it.skip('skipped: set SPARESYNC_TEST_MSSQL to a SQL Server connection string (no SQL Server runs on this machine)', () => {});
    });
  }
}

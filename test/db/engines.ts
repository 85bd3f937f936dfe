// Engines the database contract suite runs against. Each gives fresh empty databases with a
// native connection for the test's own writes, and the engine-specific parts of the suite
// (qualified names, a table of every type with exact values).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PostgresAdapter,
  SqliteAdapter,
  pgPoolConfig,
  type DbAdapter,
  type DbAdapterOptions,
  type DatabaseSettings,
} from '../../packages/agent/src/db';
import { PgClient, SqliteDatabase } from '@sparesync/devkit';
import { startPostgres, type PostgresServer } from '../harness/postgres';

export interface TestDb {
  /** The `database` settings that reach this database (for agent processes started by a test). */
  spec: DatabaseSettings;
  adapter(opts?: Partial<DbAdapterOptions>): DbAdapter;
  /** One or more statements. */
  exec(sql: string): Promise<void>;
  /** Statements in one transaction; rolled back (and the error rethrown) if one fails. */
  transaction(statements: string[]): Promise<void>;
  /** Rows as arrays of exact values (PostgreSQL: text forms; SQLite: storage values). */
  rows(sql: string): Promise<unknown[][]>;
  /** Inserts one row of the typed table from engine-native parameters. */
  insertTyped(row: unknown[]): Promise<void>;
  /** Another connection, for engines with concurrent writers (a transaction left open across steps). */
  session?(): Promise<{ exec(sql: string): Promise<void>; close(): Promise<void> }>;
  close(): Promise<void>;
}

export interface Engine {
  name: string;
  /** Describes a variant of the engine in the suite's title (PostgreSQL: the capture). */
  variant?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  create(): Promise<TestDb>;
  /** The name the adapter reports for a table created as `name`. */
  table(name: string): string;
  /** Rows in the engine's own change log; null where the engine keeps none (SQL Server Change Tracking). */
  changeLogCount: string | null;
  /** The suite's tables in this dialect, when the portable DDL does not work. */
  schemaDdl?: string;
  /** Adds a column `colour` to items. */
  addColumnSql: string;
  /** True when onChange reports commits (SQL Server Change Tracking has no notification). */
  notifies: boolean;
  /** False where the change log cleans itself up (SQL Server retention) instead of trim(). */
  trims: boolean;
  /** Folder the database server can write backups to; null skips the backup test. */
  backupDir(): string | null;
  /** A table whose id the database assigns (identity / autoincrement). */
  autoIdDdl: string;
  typedDdl: string;
  /** Rows for the typed table and, per row, column index → exact value the engine must return. */
  typedRows(): unknown[][];
}

export const noPrefs = { include: [], exclude: [] };
export const LARGE_TEXT = 'Größe ✓ 東京 🎉 '.repeat(80_000); // ~1.6 MB of UTF-8
export const LARGE_BINARY = randomBytes(1_200_000);
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
export const UNICODE = 'Zürich — 東京 🎉 \u202e rtl \t\n "quoted" \\ back\'slash';

/**
 * better-sqlite3's native part keeps the SqliteError class of the first jest module registry that
 * loaded it; in a reused jest worker its errors then fail `instanceof Error` and jest's toThrow.
 * Tests see them as plain Errors of their own realm.
 */
function ownRealm<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error) throw e;
    throw new Error(String((e as { message?: unknown }).message ?? e), { cause: e });
  }
}

export function sqliteEngine(): Engine {
  let dir = '';
  let n = 0;
  return {
    name: 'sqlite',
    start: async () => {
      dir = mkdtempSync(join(tmpdir(), 'sparesync-sqlite-'));
    },
    stop: async () => rmSync(dir, { recursive: true, force: true }),
    table: (name) => name,
    changeLogCount: 'SELECT count(*) FROM sparesync_changes',
    autoIdDdl: 'CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT)',
    addColumnSql: 'ALTER TABLE items ADD COLUMN colour TEXT',
    trims: true,
    notifies: true,
    backupDir: () => dir,
    create: async () => {
      const file = join(dir, `db${++n}.sqlite`);
      writeFileSync(file, '');
      const db = new SqliteDatabase(file);
      db.defaultSafeIntegers(true);
      db.pragma('busy_timeout = 10000');
      db.pragma('foreign_keys = ON');
      const adapters: DbAdapter[] = [];
      return {
        spec: { engine: 'sqlite', file },
        adapter: (opts) => {
          const a = new SqliteAdapter({ ...noPrefs, ...opts, file });
          adapters.push(a);
          return a;
        },
        exec: async (sql) => ownRealm(() => void db.exec(sql)),
        transaction: async (statements) =>
          ownRealm(() => db.transaction(() => statements.forEach((s) => db.exec(s)))()),
        rows: async (sql) => db.prepare(sql).raw().all() as unknown[][],
        insertTyped: async (row) =>
          void db.prepare(`INSERT INTO typed VALUES (${row.map(() => '?').join(', ')})`).run(...row),
        close: async () => {
          for (const a of adapters) await a.close().catch(() => {});
          db.close();
        },
      };
    },
    typedDdl: `CREATE TABLE typed (id INTEGER PRIMARY KEY, t TEXT, b BLOB, dec TEXT, i INTEGER, r REAL, ts TEXT,
      tstz TEXT, bo INTEGER, j TEXT, u TEXT, ub BLOB, nul TEXT, large_t TEXT, large_b BLOB, anyv)`,
    typedRows: () => [
      [
        1n,
        UNICODE,
        ALL_BYTES,
        '12345678901234567890.123456789012345678901234567890',
        9223372036854775807n,
        0.1,
        '2024-02-29 23:59:59.999999',
        '1999-12-31T23:59:59.123456+05:30',
        1n,
        '{"b": 1,   "a": [1, 2.50]}',
        '123e4567-e89b-12d3-a456-426614174000',
        Buffer.from('123e4567e89b12d3a456426614174000', 'hex'),
        null,
        LARGE_TEXT,
        LARGE_BINARY,
        1.5,
      ],
      [
        2n,
        '',
        Buffer.alloc(0),
        '-0.000000000000000001',
        -9223372036854775808n,
        1.7976931348623157e308,
        null,
        null,
        0n,
        'null',
        null,
        null,
        null,
        null,
        null,
        'text in a column without type',
      ],
      [
        3n,
        null,
        null,
        null,
        null,
        -5e-324,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Buffer.from([0, 255]),
      ],
    ],
  };
}

/** PostgreSQL with trigger capture, or (`logical`) capture from a logical replication slot. */
export function postgresEngine(capture: 'triggers' | 'logical' = 'triggers'): Engine {
  let server: PostgresServer | null = null;
  let n = 0;
  const logical = capture === 'logical';
  return {
    name: 'postgres',
    variant: `${capture} capture`,
    start: async () => {
      server = await startPostgres('sparesync_test', { logical });
    },
    stop: async () => server?.stop(),
    table: (name) => `public.${name}`,
    // Logical capture keeps no change log: the slot's confirmed position is its trim.
    changeLogCount: logical ? null : 'SELECT count(*)::int FROM sparesync.changes',
    autoIdDdl: 'CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text)',
    addColumnSql: 'ALTER TABLE items ADD COLUMN colour TEXT',
    trims: true,
    notifies: true,
    backupDir: () => tmpdir(),
    create: async () => {
      const connectionString = await server!.createDatabase(`db${++n}`);
      const client = new PgClient(pgPoolConfig({ connectionString }));
      client.on('error', () => {}); // the server stops at the end of the suite
      await client.connect();
      const adapters: DbAdapter[] = [];
      return {
        spec: { engine: 'postgres', connectionString, capture },
        adapter: (opts) => {
          const a = new PostgresAdapter({ ...noPrefs, ...opts, connectionString, capture });
          adapters.push(a);
          return a;
        },
        exec: async (sql) => void (await client.query(sql)),
        transaction: async (statements) => {
          await client.query('BEGIN');
          try {
            for (const s of statements) await client.query(s);
            await client.query('COMMIT');
          } catch (e) {
            await client.query('ROLLBACK');
            throw e;
          }
        },
        rows: async (sql) => (await client.query({ text: sql, rowMode: 'array' })).rows as unknown[][],
        session: async () => {
          const other = new PgClient(pgPoolConfig({ connectionString }));
          other.on('error', () => {});
          await other.connect();
          return { exec: async (sql) => void (await other.query(sql)), close: () => other.end() };
        },
        insertTyped: async (row) =>
          void (await client.query(
            `INSERT INTO typed VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`,
            row,
          )),
        close: async () => {
          for (const a of adapters) await a.close().catch(() => {});
          await client.end();
        },
      };
    },
    typedDdl: `CREATE TABLE typed (id bigint PRIMARY KEY, t text, b bytea, n numeric, n2 numeric(38,18),
      f8 double precision, f4 real, ts timestamp(6), tstz timestamptz, d date, tm time, bo boolean, j json, jb jsonb,
      u uuid, big bigint, iv interval, arr text[], nul text, large_t text, large_b bytea,
      serial_id bigint GENERATED BY DEFAULT AS IDENTITY, doubled bigint GENERATED ALWAYS AS (big / 2) STORED)`,
    // Strings are the exact text forms PostgreSQL returns with the adapter's session settings.
    typedRows: () => [
      [
        '1',
        UNICODE,
        ALL_BYTES,
        '12345678901234567890.123456789012345678901234567890',
        '-0.000000000000000001',
        '0.1',
        '3.4028235e+38',
        '2024-02-29 23:59:59.999999',
        '1999-12-31 18:29:59.123456+00',
        '0044-03-15 BC',
        '23:59:59.999999',
        true,
        '{"b": 1,   "a": [1, 2.50]}',
        '{"k": [1, "x", null]}',
        '123e4567-e89b-12d3-a456-426614174000',
        '9223372036854775807',
        '1 year 2 mons 3 days 04:05:06.789',
        '{a,"b c",NULL}',
        null,
        LARGE_TEXT,
        LARGE_BINARY,
        '7',
      ],
      [
        '2',
        '',
        Buffer.alloc(0),
        'NaN',
        '0.000000000000000000',
        '-1.7976931348623157e+308',
        '-Infinity',
        '1970-01-01 00:00:00',
        'infinity',
        '2000-01-01',
        '00:00:00',
        false,
        '[]',
        '{}',
        '00000000-0000-0000-0000-000000000000',
        '-9223372036854775808',
        '-00:00:00.000001',
        '{}',
        null,
        null,
        null,
        '8',
      ],
    ],
  };
}

export { mssqlEngine } from './engine-mssql';

// SQL Server adapter (mssql) on Change Tracking; SQL text in mssql-sql.ts. Not run on these
// machines (no SQL Server here): the contract suite runs it when SPARESYNC_TEST_MSSQL is set.
import { readFileSync } from 'node:fs';
import type * as sql from 'mssql';
import { SpareSyncError } from '@sparesync/common';
import type {
  BackupInfo,
  ChangeSet,
  DbAdapter,
  DbAdapterOptions,
  InstallResult,
  SchemaChange,
  SnapshotInfo,
  SnapshotOnly,
  TableInfo,
} from '../adapter';
import type { Batch, Position, Value } from '../batch';
import { RowBatchBuilder } from '../row-batch-builder';
import { readBackupPosition, writeBackupPosition } from '../backup-file';
import {
  applyFailed,
  asInstalled,
  diffSchema,
  refuseCopyLines,
  requirePrimaryKeys,
  tableMatcher,
  tableSignature,
} from '../tables';
import { discoverTables, identities, mssql, type MsTable } from './mssql-catalog';
import { readChanges } from './mssql-reader';
import * as q from './mssql-sql';

export interface MssqlOptions extends DbAdapterOptions {
  /** ADO-style connection string without the password. */
  connectionString: string;
  passwordFile?: string;
  /** Days Change Tracking keeps changes (CHANGE_RETENTION). */
  retentionDays?: number;
}

const PAGE = 1000;

function version(position: Position): bigint {
  if (!/^\d+$/.test(position)) {
    throw new SpareSyncError(
      'DbReinitRequired',
      `No valid SQL Server replication position (${JSON.stringify(position)})`,
    );
  }
  return BigInt(position);
}

function paramType(c: q.MsColumn): sql.ISqlType | (() => sql.ISqlType) {
  const t = c.type.toLowerCase();
  if (/^(binary|varbinary|image)\b/.test(t)) return mssql().VarBinary(mssql().MAX);
  if (t === 'bit') return mssql().Bit;
  return mssql().NVarChar(mssql().MAX);
}

export class MssqlAdapter implements DbAdapter {
  readonly engine = 'mssql' as const;
  private readonly pool: sql.ConnectionPool;
  private connected: Promise<sql.ConnectionPool> | null = null;
  private readonly matches: (name: string) => boolean;

  constructor(private readonly opts: MssqlOptions) {
    const config = mssql().ConnectionPool.parseConnectionString(opts.connectionString);
    if (opts.passwordFile) config.password = readFileSync(opts.passwordFile, 'utf8').split(/\r?\n/)[0];
    this.pool = new (mssql().ConnectionPool)(config);
    this.matches = tableMatcher(opts);
  }

  private async connect(): Promise<sql.ConnectionPool> {
    this.connected ??= this.pool.connect().catch((e: unknown) => {
      this.connected = null;
      throw new SpareSyncError('DbUnavailable', `SQL Server connection failed: ${(e as Error).message}`, {
        cause: e,
      });
    });
    return this.connected;
  }

  private async tx<T>(level: sql.IIsolationLevel, fn: (t: sql.Transaction) => Promise<T>): Promise<T> {
    const t = (await this.connect()).transaction();
    await t.begin(level);
    try {
      const out = await fn(t);
      await t.commit();
      return out;
    } catch (e) {
      await t.rollback().catch(() => {});
      throw e;
    }
  }

  private discover(t: sql.Transaction | sql.ConnectionPool): Promise<MsTable[]> {
    return discoverTables(t, this.matches);
  }

  async listTables(): Promise<TableInfo[]> {
    return this.discover(await this.connect());
  }

  async install(): Promise<InstallResult> {
    const pool = await this.connect();
    // ALTER DATABASE cannot run inside a transaction.
    for (const stmt of q.enableDatabaseSql(this.opts.retentionDays ?? 2)) await pool.request().batch(stmt);
    return this.tx(mssql().ISOLATION_LEVEL.READ_COMMITTED, async (t) => {
      const tables = await this.discover(t);
      requirePrimaryKeys(tables);
      const before = (
        await t.request().query<{ name: string }>('SELECT name FROM sparesync.tables')
      ).recordset.map((r) => r.name);
      const removed = before.filter((n) => !tables.some((x) => x.name === n));
      for (const name of removed)
        await t
          .request()
          .batch(q.disableTableSql(name))
          .catch(() => {});
      await t.request().batch('DELETE FROM sparesync.tables');
      for (const x of tables) {
        await t.request().batch(q.enableTableSql(x.name));
        await t
          .request()
          .input('n', x.name)
          .input('s', tableSignature(x))
          .query('INSERT INTO sparesync.tables (name, signature) VALUES (@n, @s)');
      }
      return { tables: tables.map((x) => x.name), removed };
    });
  }

  /** Tables whose columns are as installed; one whose columns changed waits for install(). */
  private async tracked(t: sql.Transaction): Promise<MsTable[]> {
    const recorded = new Map(
      (
        await t
          .request()
          .query<{ name: string; signature: string }>('SELECT name, signature FROM sparesync.tables')
      ).recordset.map((r) => [r.name, r.signature]),
    );
    if (!recorded.size)
      throw new SpareSyncError(
        'DbSetupInvalid',
        'Change tracking is not installed in this SQL Server database',
      );
    return asInstalled(recorded, await this.discover(t));
  }

  async detectSchemaChange(): Promise<SchemaChange> {
    const pool = await this.connect();
    const rows = (
      await pool
        .request()
        .query<{ name: string; signature: string }>('SELECT name, signature FROM sparesync.tables')
    ).recordset;
    return diffSchema(
      rows.length ? new Map(rows.map((r) => [r.name, r.signature])) : null,
      await this.discover(pool),
    );
  }

  async currentPosition(): Promise<Position> {
    const r = await (
      await this.connect()
    )
      .request()
      .query<{ v: string }>('SELECT CAST(CHANGE_TRACKING_CURRENT_VERSION() AS varchar(20)) AS v');
    return r.recordset[0]!.v ?? '0';
  }

  async changesSince(position: Position, maxBytes: number): Promise<ChangeSet> {
    const from = version(position);
    const batch = await this.tx(mssql().ISOLATION_LEVEL.SNAPSHOT, async (t) =>
      readChanges(t, await this.tracked(t), position, from, maxBytes),
    );
    return { batch, nextPosition: batch.to };
  }

  async snapshot(maxBytes: number, only?: SnapshotOnly): Promise<SnapshotInfo> {
    const t = (await this.connect()).transaction();
    await t.begin(mssql().ISOLATION_LEVEL.SNAPSHOT);
    try {
      const tables = (await this.tracked(t)).filter((x) => !only || only.tables.includes(x.name));
      const position =
        only?.position ??
        (
          await t
            .request()
            .query<{ v: string }>('SELECT CAST(CHANGE_TRACKING_CURRENT_VERSION() AS varchar(20)) AS v')
        ).recordset[0]!.v;
      const counts = [];
      for (const x of tables) {
        counts.push({
          name: x.name,
          rows: (await t.request().query<{ n: number }>(`SELECT COUNT_BIG(*) AS n FROM ${q.qname(x.name)}`))
            .recordset[0]!.n,
        });
      }
      const sequences = await identities(t, tables);
      const chunks = async function* (): AsyncGenerator<Batch> {
        try {
          let builder = new RowBatchBuilder('snapshot', '');
          let n = 0;
          for (const x of tables) {
            builder.truncate(x);
            for (let offset = 0; ; offset += PAGE) {
              const req = t.request();
              (req as unknown as { arrayRowMode: boolean }).arrayRowMode = true;
              const res = await req
                .input('offset', mssql().Int, offset)
                .input('page', mssql().Int, PAGE)
                .query(q.snapshotPageSql(x.name, x.cols, x.pkColumns));
              const rows = res.recordset as unknown as Value[][];
              for (const row of rows) {
                if (builder.full(builder.cost(x, row), maxBytes)) {
                  yield builder.build('', false);
                  builder = new RowBatchBuilder('snapshot', '');
                }
                builder.put(x, String(n++), [], row);
              }
              if (rows.length < PAGE) break;
            }
          }
          yield builder.build(position, true, sequences);
          await t.commit();
        } catch (e) {
          await t.rollback().catch(() => {});
          throw e;
        }
      };
      return { position, tables: counts, chunks: chunks() };
    } catch (e) {
      await t.rollback().catch(() => {});
      throw e;
    }
  }

  async apply(batch: Batch): Promise<void> {
    refuseCopyLines(batch, this.engine);
    await this.tx(mssql().ISOLATION_LEVEL.READ_COMMITTED, async (t) => {
      const applied =
        (
          await t
            .request()
            .query<{ value: string }>(
              `SELECT value FROM sparesync.state WITH (UPDLOCK) WHERE [key] = 'applied'`,
            )
        ).recordset[0]?.value ?? '';
      if (batch.kind === 'changes' && applied !== batch.from) {
        throw new SpareSyncError(
          'DbReinitRequired',
          `Batch from position ${batch.from || '(none)'} does not follow the applied position ${applied || '(none)'}`,
        );
      }
      const local = new Map((await this.discover(t)).map((x) => [x.name, x]));
      for (const tb of batch.tables) {
        const x = local.get(tb.table);
        if (!x)
          throw new SpareSyncError('DbSetupInvalid', `Table ${tb.table} does not exist on this database`);
        const col = (name: string): q.MsColumn => {
          const c = x.cols.find((y) => y.name === name);
          if (!c)
            throw new SpareSyncError(
              'DbSetupInvalid',
              `Column ${name} of ${tb.table} does not exist on this database`,
            );
          return c;
        };
        try {
          if (tb.truncate)
            await t
              .request()
              .batch(`WITH CHANGE_TRACKING_CONTEXT (${q.CONTEXT}) DELETE FROM ${q.qname(tb.table)}`);
          await this.run(
            t,
            tb.deletes,
            tb.pkColumns.map(col),
            (n) => q.deleteSql(tb.table, tb.pkColumns.map(col), n),
            'd',
          );
          await this.run(
            t,
            tb.upserts,
            tb.columns.map(col),
            (n) => q.mergeSql(tb.table, tb.columns.map(col), tb.pkColumns, n, x.identity),
            'u',
          );
        } catch (e) {
          throw applyFailed(tb.table, e);
        }
      }
      for (const [name, v] of Object.entries(batch.sequences)) {
        await t
          .request()
          .batch(`DBCC CHECKIDENT (${q.nlit(q.qname(name))}, RESEED, ${BigInt(v)}) WITH NO_INFOMSGS`);
      }
      await t
        .request()
        .input('v', batch.to)
        .query(
          `MERGE sparesync.state AS T USING (SELECT 'applied' AS [key]) AS S ON T.[key] = S.[key]
         WHEN MATCHED THEN UPDATE SET value = @v WHEN NOT MATCHED THEN INSERT ([key], value) VALUES ('applied', @v);`,
        );
    });
  }

  private async run(
    t: sql.Transaction,
    rows: Value[][],
    cols: q.MsColumn[],
    text: (n: number) => string,
    prefix: string,
  ): Promise<void> {
    const per = q.rowsPerStatement(cols.length);
    for (let i = 0; i < rows.length; i += per) {
      const slice = rows.slice(i, i + per);
      const req = t.request();
      slice.forEach((row, r) =>
        row.forEach((v, c) => req.input(`${prefix}${r}_${c}`, paramType(cols[c]!), v)),
      );
      await req.query(text(slice.length));
    }
  }

  async appliedPosition(): Promise<Position> {
    const r = await (
      await this.connect()
    )
      .request()
      .query<{ value: string }>(`SELECT value FROM sparesync.state WHERE [key] = 'applied'`);
    return r.recordset[0]?.value ?? '';
  }

  async setAppliedPosition(position: Position): Promise<void> {
    await (
      await this.connect()
    )
      .request()
      .input('v', position)
      .query(
        `UPDATE sparesync.state SET value = @v WHERE [key] = 'applied'; IF @@ROWCOUNT = 0 INSERT INTO sparesync.state ([key], value) VALUES ('applied', @v);`,
      );
  }

  /** Change Tracking cleans up by itself after CHANGE_RETENTION; nothing to trim. */
  async trim(position: Position): Promise<void> {
    version(position);
  }

  async backup(file: string): Promise<BackupInfo> {
    // COPY_ONLY leaves the operator's backup chain alone. A backup is consistent as of its end, so
    // it holds every change up to the version read before it started; changes committed while it
    // ran are sent again after the restore, which upserts make harmless.
    // `file` is a path on the database server (database.backup.folder).
    const pool = await this.connect();
    const before = await this.currentPosition();
    await pool
      .request()
      .input('f', file)
      .batch(`DECLARE @db sysname = DB_NAME(); BACKUP DATABASE @db TO DISK = @f WITH COPY_ONLY, INIT`);
    return writeBackupPosition(file, this.engine, before);
  }

  async restore(file: string): Promise<BackupInfo> {
    const info = await readBackupPosition(file, this.engine);
    const pool = await this.connect();
    const db = (await pool.request().query<{ db: string }>('SELECT DB_NAME() AS db')).recordset[0]!.db;
    // Keep this database's own file locations: each backup file goes where the same kind lives now.
    const list = (
      await pool
        .request()
        .input('f', file)
        .query<{ LogicalName: string; Type: string }>('RESTORE FILELISTONLY FROM DISK = @f')
    ).recordset;
    const here = (
      await pool
        .request()
        .query<{ physical_name: string; type: number }>(
          'SELECT physical_name, type FROM sys.database_files ORDER BY file_id',
        )
    ).recordset;
    const req = pool.request().input('f', file);
    const moves = q.restoreMoves(list, here);
    moves.params.forEach((p, i) => req.input(`m${i}`, p));
    await req.batch(q.restoreSql(db, moves.clauses));
    // The pool's connections were cut by SINGLE_USER; reconnect before recording the position.
    await this.pool.close();
    this.connected = null;
    await this.setAppliedPosition(info.position);
    return info;
  }

  onChange(_cb: () => void): () => void {
    return () => {}; // Change Tracking has no notification: the iteration pause polls.
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

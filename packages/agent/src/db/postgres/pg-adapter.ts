// PostgreSQL adapter (pg). Change capture: per-table triggers append (txid, seq, table, key, op) to
// sparesync.changes and NOTIFY, positions are snapshots (pg-snapshot.ts); or logical decoding
// (pg-logical-source.ts). Apply: pg-apply.ts; the catalog and tracked tables: pg-catalog.ts.
import { performance } from 'node:perf_hooks';
import { Pool, type PoolClient } from 'pg';
import type {
  BacklogEntry,
  BackupInfo,
  ChangeSet,
  DbAdapter,
  DbAdapterOptions,
  InstallResult,
  SchemaChange,
  SnapshotInfo,
  SnapshotOnly,
  SnapshotPurpose,
} from '../adapter';
import type { Batch, Position } from '../batch';
import { readBackupPosition, writeBackupPosition } from '../backup-file';
import { diffSchema, requirePrimaryKeys, tableMatcher, tableSignature } from '../tables';
import { BatchApplier } from './pg-apply';
import { applyChanges, changeStatements } from './pg-apply-changes';
import { discoverTables, trackedTables, type PgTable } from './pg-catalog';
import { corked, fireAndForget } from './pg-pipeline';
import { poolConfig, toolEnv, unavailable, type PgConnectionOptions } from './pg-connection';
import { snapshotOf } from './pg-copy-out';
import { snapOf, triggerChangesSince } from './pg-reader';
import { covers } from './pg-snapshot';
import { BASE_SCHEMA, captureDdl, captureFunction, dropCaptureTriggers, qname } from './pg-sql';
import { readState, writeState } from './pg-state';
import { dumpDatabase, restoreDatabase } from './pg-tools';
import { PgListener } from './pg-listener';
import { LogicalSource } from './pg-logical-source';
import { isLogicalPosition } from './pg-logical-reader';

export type CaptureMode = 'triggers' | 'logical';

/** Reads (of changes, of a snapshot) see one snapshot of the whole database. */
const READ_BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/** Longest use of a cached catalog by the pipelined apply. */
const CATALOG_TTL_MS = 10_000;

export interface PostgresOptions extends DbAdapterOptions, PgConnectionOptions {
  /** database.capture (default auto). */
  capture?: 'auto' | CaptureMode;
  /** database.maxSlotWalMiB: the logical slot's retained WAL cap. */
  maxSlotWalMiB?: number;
}

export class PostgresAdapter implements DbAdapter {
  readonly engine = 'postgres' as const;
  private readonly pool: Pool;
  /** Pipelined clients (pg-pipeline.ts) for the hot path: reads of changes and their apply. */
  private readonly fast: Pool;
  /** The catalog a pipelined apply casts with, and when it was read (see apply()). */
  private applyCatalog: { tables: Map<string, PgTable>; at: number } | null = null;
  private readonly applier = new BatchApplier();
  private readonly matches: (name: string) => boolean;
  private ready: Promise<void> | null = null;
  private readonly subscribers = new Set<() => void>();
  private readonly listener: PgListener;
  private mode: Promise<CaptureMode> | null = null;
  private logical: LogicalSource | null = null;

  constructor(private readonly opts: PostgresOptions) {
    this.pool = new Pool(poolConfig(opts));
    this.pool.on('error', () => {}); // an idle client's broken connection is replaced on next use
    this.fast = new Pool({ ...poolConfig(opts), pipeline: true, max: 2 });
    this.fast.on('error', () => {});
    this.matches = tableMatcher(opts);
    this.listener = new PgListener(
      poolConfig(opts),
      () => this.fire(),
      () => this.subscribers.size > 0,
    );
  }

  private fire(): void {
    this.subscribers.forEach((cb) => cb());
  }

  /** Logical when allowed and the server has wal_level=logical; decided once per adapter. */
  captureMode(): Promise<CaptureMode> {
    this.mode ??= this.withClient(async (c) => {
      this.logical = await LogicalSource.open(c, this.opts, () => this.fire());
      return this.logical ? ('logical' as const) : ('triggers' as const);
    }).catch((e) => {
      this.mode = null;
      throw e;
    });
    return this.mode;
  }

  /** The logical source when capture is logical. */
  private async source(): Promise<LogicalSource | null> {
    return (await this.captureMode()) === 'logical' ? this.logical : null;
  }

  /** Status: which capture runs and, for logical capture, the slot's retained WAL (capped here). */
  async captureStatus(): Promise<{ mode: CaptureMode; retainedWalBytes: number }> {
    const logical = await this.source();
    if (!logical) return { mode: 'triggers', retainedWalBytes: 0 };
    const info = await this.withClient((c) => logical.check(c));
    return { mode: 'logical', retainedWalBytes: info?.retainedWalBytes ?? 0 };
  }

  /** This agent stopped sending (it receives now): a logical slot would only retain WAL. */
  async stopCapture(): Promise<void> {
    const logical = await this.source();
    if (logical) await this.withClient((c) => logical.drop(c));
  }

  /** The base schema exists before first use. */
  private schema(): Promise<void> {
    this.ready ??= this.withClient((c) => c.query(BASE_SCHEMA).then(() => undefined)).catch((e) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  /** Runs `fn` on a pooled client inside a transaction. */
  private async tx<T>(mode: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
    await this.schema();
    return this.withClient(async (c) => {
      await c.query(`BEGIN ${mode}`);
      try {
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      }
    });
  }

  private async withClient<T>(fn: (c: PoolClient) => Promise<T>, pool = this.pool): Promise<T> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw unavailable(e, 'connection');
    }
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  private async discover(c: PoolClient): Promise<PgTable[]> {
    return (await discoverTables(c)).filter((t) => this.matches(t.name));
  }

  async listTables(): Promise<PgTable[]> {
    return this.tx('READ ONLY', (c) => this.discover(c));
  }

  async install(): Promise<InstallResult> {
    const logical = await this.source();
    return this.tx('', async (c) => {
      // One installer at a time; the lock ends with the transaction.
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('sparesync.install'))`);
      const tables = await this.discover(c);
      requirePrimaryKeys(tables);
      const before = (await c.query<{ name: string }>('SELECT name FROM sparesync.tables')).rows.map(
        (r) => r.name,
      );
      const removed = before.filter((n) => !tables.some((t) => t.name === n));
      for (const name of removed) {
        const exists = (await c.query('SELECT to_regclass($1) AS r', [qname(name)])).rows[0].r !== null;
        if (exists) for (const sql of dropCaptureTriggers(name)) await c.query(sql);
        await c.query(`DROP FUNCTION IF EXISTS ${captureFunction(name)}()`);
      }
      await c.query('DELETE FROM sparesync.tables');
      // Logical capture reads the WAL: the tables keep no capture triggers (left from triggers mode).
      if (logical)
        await LogicalSource.publish(
          c,
          tables.map((t) => t.name),
        );
      for (const t of tables) {
        if (!logical) for (const sql of captureDdl(t.name, t.pkColumns)) await c.query(sql);
        else {
          for (const sql of dropCaptureTriggers(t.name)) await c.query(sql);
          await c.query(`DROP FUNCTION IF EXISTS ${captureFunction(t.name)}()`);
        }
        await c.query('INSERT INTO sparesync.tables (name, signature) VALUES ($1, $2)', [
          t.name,
          tableSignature(t),
        ]);
      }
      return { tables: tables.map((t) => t.name), removed };
    });
  }

  async detectSchemaChange(): Promise<SchemaChange> {
    return this.tx('READ ONLY', async (c) => {
      const rows = (
        await c.query<{ name: string; signature: string }>('SELECT name, signature FROM sparesync.tables')
      ).rows;
      return diffSchema(
        rows.length ? new Map(rows.map((r) => [r.name, r.signature])) : null,
        await this.discover(c),
      );
    });
  }

  async currentPosition(): Promise<Position> {
    const logical = await this.source();
    if (logical) return this.withClient((c) => logical.current(c));
    return this.tx(
      'READ ONLY',
      async (c) => (await c.query<{ s: string }>('SELECT pg_current_snapshot()::text AS s')).rows[0]!.s,
    );
  }

  /** Read in one REPEATABLE READ transaction on a pipelined client (readTx). */
  async changesSince(position: Position, maxBytes: number): Promise<ChangeSet> {
    const logical = await this.source();
    if (logical) return this.readTx((c) => logical.changesSince(c, position, maxBytes));
    snapOf(position);
    return this.readTx((c) => triggerChangesSince(c, position, maxBytes));
  }

  /**
   * `fn` in a REPEATABLE READ READ ONLY transaction on a pipelined client: the queries it issues
   * before it returns leave with BEGIN in one write. The COMMIT is not waited for: the transaction
   * only read, and the client's next query queues behind it.
   */
  private async readTx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    await this.schema();
    return this.withClient(async (c) => {
      const [begin, read] = corked(c, () => [c.query(READ_BEGIN), fn(c)] as const);
      try {
        const out = await read;
        await begin;
        fireAndForget(c, 'COMMIT');
        return out;
      } catch (e) {
        await begin.catch(() => {});
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      }
    }, this.fast);
  }

  async snapshot(
    maxBytes: number,
    only?: SnapshotOnly,
    purpose: SnapshotPurpose = 'reinit',
  ): Promise<SnapshotInfo> {
    const logical = await this.source();
    // A dedicated client holds the REPEATABLE READ transaction while the caller consumes chunks.
    const c = await this.pool.connect().catch((e: unknown) => Promise.reject(unavailable(e, 'connection')));
    try {
      let position = only?.position;
      // Logical capture: a new slot, whose changes begin exactly after the snapshot it exports.
      if (!position && logical && purpose === 'reinit')
        position = await logical.renew(c, poolConfig(this.opts), async (name, at) => {
          await c.query(READ_BEGIN);
          await c.query(`SET TRANSACTION SNAPSHOT '${name}'`);
          return at;
        });
      else await c.query(READ_BEGIN);
      position ??= (await c.query<{ s: string }>('SELECT pg_current_snapshot()::text AS s')).rows[0]!.s;
      return await snapshotOf(c, position, only?.tables, maxBytes);
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      c.release();
      throw e;
    }
  }

  /**
   * A changes batch is applied in one round trip with a cached catalog (pg-apply-changes.ts),
   * read again when older than CATALOG_TTL_MS or lacking a table or column of the batch; one that
   * fails there, and every snapshot chunk, goes to `applier` (pg-apply.ts), whose errors are reported.
   */
  async apply(batch: Batch): Promise<void> {
    if (batch.kind === 'changes' && (await this.applyFast(batch))) return;
    this.applyCatalog = null;
    await this.tx('', (c) => this.applier.apply(c, batch));
  }

  private async applyFast(batch: Batch): Promise<boolean> {
    await this.schema();
    return this.withClient(async (c) => {
      let statements = null;
      for (let fresh = false; !statements && !fresh;) {
        if (!this.applyCatalog || performance.now() - this.applyCatalog.at > CATALOG_TTL_MS) {
          const tables = new Map((await discoverTables(c)).map((t) => [t.name, t]));
          this.applyCatalog = { tables, at: performance.now() };
          fresh = true;
        }
        statements = changeStatements(batch, this.applyCatalog.tables);
        if (!statements) this.applyCatalog = null;
      }
      return statements !== null && (await applyChanges(c, batch, statements));
    }, this.fast);
  }

  async appliedPosition(): Promise<Position> {
    return this.tx('READ ONLY', async (c) => (await readState(c, 'applied')) ?? '');
  }

  async setAppliedPosition(position: Position): Promise<void> {
    await this.tx('', (c) => writeState(c, 'applied', position));
  }

  async backlog(): Promise<BacklogEntry[]> {
    if (await this.source()) return []; // the slot keeps no per-table log
    return this.tx('READ ONLY', async (c) => {
      const sql = 'SELECT tbl, count(*)::int AS n FROM sparesync.changes GROUP BY tbl ORDER BY tbl';
      return (await c.query<{ tbl: string; n: number }>(sql)).rows.map((r) => ({
        table: r.tbl,
        entries: r.n,
      }));
    });
  }

  async trim(position: Position): Promise<void> {
    const logical = await this.source();
    if (logical && isLogicalPosition(position)) return logical.confirm(position);
    snapOf(position);
    await this.tx('', async (c) => {
      // Nothing below the last trim's xmin is left: the delete's index scan starts there.
      const trimmed = await readState(c, 'trimmed', true);
      await c.query(
        `DELETE FROM sparesync.changes WHERE txid >= $2::xid8 AND txid < pg_snapshot_xmax($1::pg_snapshot) AND pg_visible_in_snapshot(txid, $1::pg_snapshot)`,
        [position, String(trimmed ? snapOf(trimmed).xmin : 0n)],
      );
      if (!trimmed || covers(snapOf(position), snapOf(trimmed))) await writeState(c, 'trimmed', position);
    });
  }

  async backup(file: string): Promise<BackupInfo> {
    const logical = await this.source();
    const env = toolEnv(poolConfig(this.opts));
    const cs = this.opts.connectionString;
    // pg_dump reads the exported snapshot, so the dump holds exactly the transactions before
    // `position` (logical capture: a new slot's snapshot, whose changes begin right after it).
    if (logical)
      return this.withClient((c) =>
        logical.renew(c, poolConfig(this.opts), async (name, position) => {
          await dumpDatabase(file, name, cs, env);
          return writeBackupPosition(file, this.engine, position);
        }),
      );
    return this.tx('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (c) => {
      const { rows } = await c.query<{ id: string; s: string }>(
        'SELECT pg_export_snapshot() AS id, pg_current_snapshot()::text AS s',
      );
      await dumpDatabase(file, rows[0]!.id, cs, env);
      return writeBackupPosition(file, this.engine, rows[0]!.s);
    });
  }

  async restore(file: string): Promise<BackupInfo> {
    const info = await readBackupPosition(file, this.engine);
    await restoreDatabase(file, this.opts.connectionString, toolEnv(poolConfig(this.opts)));
    this.ready = null;
    await this.tx('', async (c) => {
      await c.query(`DELETE FROM sparesync.state WHERE key = 'trimmed'`);
      await writeState(c, 'applied', info.position);
    });
    return info;
  }

  onChange(cb: () => void): () => void {
    this.subscribers.add(cb);
    // Logical capture wakes the subscribers from its stream (LogicalSource's onCommit).
    void this.source()
      .then((logical) =>
        logical
          ? this.tx('READ ONLY', async (c) =>
              logical.follow(c, await trackedTables(c), () => this.subscribers.has(cb)),
            )
          : this.subscribers.size && this.listener.start(),
      )
      .catch(() => {}); // the sender's reads report what is wrong
    return () => {
      this.subscribers.delete(cb);
      if (this.subscribers.size) return;
      this.listener.stop();
      // The sender stopped following: release the slot (a crash-test child, or the next session,
      // streams it); the next read starts the stream again.
      void this.logical?.capture.stop();
    };
  }

  async close(): Promise<void> {
    this.subscribers.clear();
    this.listener.stop();
    await this.logical?.capture.stop();
    await Promise.all([this.pool.end(), this.fast.end()]);
  }
}

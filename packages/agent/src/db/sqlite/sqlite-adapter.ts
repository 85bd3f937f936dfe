// SQLite adapter (better-sqlite3). Position = the change log's AUTOINCREMENT seq: SQLite has one
// writer at a time and a rolled-back transaction also rolls back its seqs, so seqs are assigned in
// commit order and a position never skips a change that becomes visible later.
import Database from 'better-sqlite3';
import { SpareSyncError } from '@sparesync/common';
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
  TableInfo,
} from '../adapter';
import type { Batch, Position, Value } from '../batch';
import { RowBatchBuilder } from '../row-batch-builder';
import { readBackupPosition, writeBackupPosition } from '../backup-file';
import {
  applyFailed,
  asInstalled,
  diffSchema,
  dq,
  refuseCopyLines,
  requirePrimaryKeys,
  tableMatcher,
  tableSignature,
} from '../tables';
import {
  BASE_SCHEMA,
  createTriggers,
  deleteSql,
  dropTriggers,
  selectAllSql,
  selectByKeySql,
  upsertSql,
} from './ddl';

type Db = Database.Database;

export interface SqliteOptions extends DbAdapterOptions {
  file: string;
}

function open(file: string, readonly = false): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: true });
  } catch (e) {
    throw new SpareSyncError(
      'DbUnavailable',
      `Cannot open SQLite database ${file}: ${(e as Error).message}`,
      {
        hint: 'Check database.file and its permissions.',
        cause: e,
      },
    );
  }
  // Integers as bigint so 64-bit values survive; busy_timeout rides out the application's writes.
  db.defaultSafeIntegers(true);
  db.pragma('busy_timeout = 10000');
  // Replicated rows arrive in the primary's final state, possibly before the rows they reference.
  db.pragma('foreign_keys = OFF');
  return db;
}

function seqOf(position: Position): bigint {
  if (!/^\d+$/.test(position)) {
    throw new SpareSyncError(
      'DbReinitRequired',
      `No valid SQLite replication position (${JSON.stringify(position)})`,
    );
  }
  return BigInt(position);
}

export class SqliteAdapter implements DbAdapter {
  readonly engine = 'sqlite' as const;
  private readonly db: Db;
  private readonly matches: (name: string) => boolean;

  constructor(private readonly opts: SqliteOptions) {
    this.db = open(opts.file);
    this.db.exec(BASE_SCHEMA);
    this.matches = tableMatcher(opts);
  }

  async listTables(): Promise<TableInfo[]> {
    return this.discover(this.db);
  }

  private discover(db: Db): TableInfo[] {
    const names = db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         AND name NOT LIKE 'sparesync\\_%' ESCAPE '\\' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    return names.filter(this.matches).map((name) => {
      const cols = db.prepare(`SELECT name, type, pk, hidden FROM pragma_table_xinfo(?)`).all(name) as {
        name: string;
        type: string;
        pk: bigint;
        hidden: bigint;
      }[];
      // hidden 2/3 are generated columns: computed on the secondary, never written.
      const plain = cols.filter((c) => c.hidden === 0n);
      const pkColumns = plain
        .filter((c) => c.pk > 0n)
        .sort((a, b) => Number(a.pk - b.pk))
        .map((c) => c.name);
      return { name, columns: plain.map((c) => ({ name: c.name, type: c.type.toUpperCase() })), pkColumns };
    });
  }

  async install(): Promise<InstallResult> {
    const tables = this.discover(this.db);
    requirePrimaryKeys(tables);
    const before = this.db.prepare('SELECT name FROM sparesync_tables').pluck().all() as string[];
    const removed = before.filter((n) => !tables.some((t) => t.name === n));
    // WAL lets a snapshot reader and the application's writers run at the same time.
    this.db.pragma('journal_mode = WAL');
    this.db.transaction(() => {
      for (const name of removed) for (const sql of dropTriggers(name)) this.db.exec(sql);
      this.db.exec('DELETE FROM sparesync_tables');
      for (const t of tables) {
        for (const sql of [...dropTriggers(t.name), ...createTriggers(t)]) this.db.exec(sql);
        this.db
          .prepare('INSERT INTO sparesync_tables (name, signature) VALUES (?, ?)')
          .run(t.name, tableSignature(t));
      }
      this.db
        .prepare(`INSERT OR REPLACE INTO sparesync_state (key, value) VALUES ('installed', ?)`)
        .run(new Date().toISOString());
    })();
    return { tables: tables.map((t) => t.name), removed };
  }

  /**
   * Tables whose columns are as installed (the shapes the change log refers to). A table whose
   * columns changed is left out until install() records it again.
   */
  private tracked(): Map<string, TableInfo> {
    const recorded = new Map(
      (
        this.db.prepare('SELECT name, signature FROM sparesync_tables').all() as {
          name: string;
          signature: string;
        }[]
      ).map((r) => [r.name, r.signature]),
    );
    if (recorded.size === 0) {
      throw new SpareSyncError('DbSetupInvalid', `Change capture is not installed in ${this.opts.file}`);
    }
    return new Map(asInstalled(recorded, this.discover(this.db)).map((t) => [t.name, t]));
  }

  async detectSchemaChange(): Promise<SchemaChange> {
    const rows = this.db.prepare('SELECT name, signature FROM sparesync_tables').all() as {
      name: string;
      signature: string;
    }[];
    return diffSchema(
      rows.length ? new Map(rows.map((r) => [r.name, r.signature])) : null,
      this.discover(this.db),
    );
  }

  async currentPosition(): Promise<Position> {
    return this.positionIn(this.db);
  }

  private positionIn(db: Db): Position {
    const seq = db
      .prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'sparesync_changes'`)
      .pluck()
      .get() as bigint | undefined;
    return String(seq ?? 0n);
  }

  /**
   * AUTOINCREMENT counters of the tracked tables: they travel with each batch so that, after a
   * failover, the secondary never reuses an id the primary had handed out (and since deleted).
   */
  private sequencesIn(db: Db, tables: Iterable<string>): Record<string, string> {
    const names = new Set(tables);
    const rows = db.prepare(`SELECT name, seq FROM sqlite_sequence`).all() as { name: string; seq: bigint }[];
    return Object.fromEntries(rows.filter((r) => names.has(r.name)).map((r) => [r.name, String(r.seq)]));
  }

  private state(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM sparesync_state WHERE key = ?').pluck().get(key) as
      string | undefined;
  }

  private setState(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO sparesync_state (key, value) VALUES (?, ?)').run(key, value);
  }

  async changesSince(position: Position, maxBytes: number): Promise<ChangeSet> {
    const from = seqOf(position);
    const tracked = this.tracked();
    const batch = this.db.transaction((): Batch => {
      const trimmed = BigInt(this.state('trimmed') ?? '0');
      if (from < trimmed) {
        throw new SpareSyncError(
          'DbReinitRequired',
          `Position ${position} is older than the trimmed change log (${trimmed})`,
        );
      }
      const decode = this.db.prepare(
        `SELECT type, value, json_extract(value, '$.b') AS b FROM json_each(?) ORDER BY key`,
      );
      const lookups = new Map<string, Database.Statement>();
      const builder = new RowBatchBuilder('changes', position);
      let last = from;
      let complete = true;
      const entries = this.db
        .prepare('SELECT seq, tbl, pk FROM sparesync_changes WHERE seq > ? ORDER BY seq')
        .iterate(from);
      for (const e of entries as Iterable<{ seq: bigint; tbl: string; pk: string }>) {
        const info = tracked.get(e.tbl);
        if (info) {
          let lookup = lookups.get(e.tbl);
          if (!lookup) lookups.set(e.tbl, (lookup = this.db.prepare(selectByKeySql(info)).raw()));
          const pk = (decode.all(e.pk) as { type: string; value: Value; b: string | null }[]).map((k) =>
            k.type === 'object' ? Buffer.from(k.b ?? '', 'hex') : k.value,
          );
          const row = (lookup.get(...pk) as Value[] | undefined) ?? null;
          // Cut before the entry that would pass the limit; a single larger row goes alone.
          if (builder.full(builder.cost(info, row ?? pk), maxBytes)) {
            complete = false;
            break;
          }
          builder.put(info, `${e.tbl}\0${e.pk}`, pk, row);
        } // else: capture removed since; install() reported it
        last = e.seq;
      }
      return builder.build(String(last), complete, this.sequencesIn(this.db, tracked.keys()));
    })();
    return { batch, nextPosition: batch.to };
  }

  async snapshot(maxBytes: number, only?: SnapshotOnly): Promise<SnapshotInfo> {
    const tracked = [...this.tracked().values()].filter((t) => !only || only.tables.includes(t.name));
    const reader = open(this.opts.file, true);
    // The first read inside BEGIN pins a WAL snapshot: the position and every row below come from it.
    reader.exec('BEGIN');
    const position = only?.position ?? this.positionIn(reader);
    const sequences = this.sequencesIn(
      reader,
      tracked.map((t) => t.name),
    );
    const tables = tracked.map((t) => ({
      name: t.name,
      rows: Number(
        reader
          .prepare(`SELECT count(*) FROM ${dq(t.name)}`)
          .pluck()
          .get() as bigint,
      ),
    }));
    async function* chunks(): AsyncGenerator<Batch> {
      // The reader's snapshot is pinned by the reads above; chunks are read from it lazily.
      try {
        let builder = new RowBatchBuilder('snapshot', '');
        let n = 0;
        for (const t of tracked) {
          builder.truncate(t);
          for (const row of reader.prepare(selectAllSql(t)).raw().iterate() as Iterable<Value[]>) {
            if (builder.full(builder.cost(t, row), maxBytes)) {
              yield builder.build('', false);
              builder = new RowBatchBuilder('snapshot', '');
            }
            builder.put(t, String(n++), [], row);
          }
        }
        yield builder.build(position, true, sequences);
      } finally {
        reader.close();
      }
    }
    return { position, tables, chunks: chunks() };
  }

  async apply(batch: Batch): Promise<void> {
    refuseCopyLines(batch, this.engine);
    this.db
      .transaction(() => {
        const applied = this.state('applied') ?? '';
        if (batch.kind === 'changes' && applied !== batch.from) {
          throw new SpareSyncError(
            'DbReinitRequired',
            `Batch from position ${batch.from || '(none)'} does not follow the applied position ${applied || '(none)'}`,
          );
        }
        this.db.exec('INSERT INTO sparesync_apply (flag) VALUES (1)');
        for (const t of batch.tables) {
          try {
            if (t.truncate) this.db.exec(`DELETE FROM ${dq(t.table)}`);
            if (t.deletes.length) {
              const del = this.db.prepare(deleteSql(t.table, t.pkColumns));
              for (const key of t.deletes) del.run(...key);
            }
            if (t.upserts.length) {
              const ins = this.db.prepare(upsertSql(t.table, t.columns));
              for (const row of t.upserts) ins.run(...row);
            }
          } catch (e) {
            throw applyFailed(t.table, e);
          }
        }
        for (const [name, seq] of Object.entries(batch.sequences)) {
          this.db.prepare('DELETE FROM sqlite_sequence WHERE name = ?').run(name);
          this.db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(name, BigInt(seq));
        }
        this.setState('applied', batch.to);
        this.db.exec('DELETE FROM sparesync_apply');
      })
      .immediate();
  }

  async appliedPosition(): Promise<Position> {
    return this.state('applied') ?? '';
  }

  async setAppliedPosition(position: Position): Promise<void> {
    this.setState('applied', position);
  }

  async backlog(): Promise<BacklogEntry[]> {
    const sql = 'SELECT tbl AS "table", count(*) AS entries FROM sparesync_changes GROUP BY tbl ORDER BY tbl';
    const rows = this.db.prepare(sql).all() as { table: string; entries: bigint }[];
    return rows.map((r) => ({ table: r.table, entries: Number(r.entries) }));
  }

  async trim(position: Position): Promise<void> {
    const upTo = seqOf(position);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sparesync_changes WHERE seq <= ?').run(upTo);
      if (upTo > BigInt(this.state('trimmed') ?? '0')) this.setState('trimmed', String(upTo));
    })();
  }

  async backup(file: string): Promise<BackupInfo> {
    await this.db.backup(file);
    // The backup API copies a consistent image; its own sqlite_sequence says which changes it holds.
    const copy = open(file, true);
    try {
      return await writeBackupPosition(file, this.engine, this.positionIn(copy));
    } finally {
      copy.close();
    }
  }

  async restore(file: string): Promise<BackupInfo> {
    const info = await readBackupPosition(file, this.engine);
    const source = open(file, true);
    try {
      // The backup API in reverse: pages of the backup replace the live database under its lock.
      await source.backup(this.opts.file);
    } finally {
      source.close();
    }
    this.db.exec(BASE_SCHEMA);
    this.db.transaction(() => {
      // The primary's change log and trim mark describe the primary, not this database.
      this.db.exec(
        `DELETE FROM sparesync_changes; DELETE FROM sparesync_apply; DELETE FROM sparesync_state WHERE key = 'trimmed'`,
      );
      this.setState('applied', info.position);
    })();
    return info;
  }

  onChange(cb: () => void): () => void {
    // data_version moves when another connection commits; reading it touches shared memory only.
    let version = this.db.pragma('data_version', { simple: true }) as bigint;
    const timer = setInterval(() => {
      const now = this.db.pragma('data_version', { simple: true }) as bigint;
      if (now !== version) {
        version = now;
        cb();
      }
    }, 200);
    timer.unref();
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

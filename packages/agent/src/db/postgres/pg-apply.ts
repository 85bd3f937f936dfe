// The secondary's side of the PostgreSQL adapter: a batch applied in the caller's transaction,
// under session_replication_role = replica, so neither the secondary's own capture triggers nor
// its foreign-key triggers fire for replicated rows (this needs a superuser, or in PostgreSQL 15+
// a user granted SET on that parameter). The applied position is written in the same transaction.
import type { ClientBase } from 'pg';
import { SpareSyncError } from '@sparesync/common';
import type { Batch } from '../batch';
import { applyFailed } from '../tables';
import { discoverTables, type PgTable } from './pg-catalog';
import { copyLines, copyRows } from './pg-copy';
import { deleteSql, qname, rowsPerStatement, upsertSql } from './pg-sql';
import { writeState } from './pg-state';

type Catalog = Map<string, PgTable>;
const readCatalog = async (c: ClientBase): Promise<Catalog> =>
  new Map((await discoverTables(c)).map((t) => [t.name, t]));

/**
 * Applies batches in the caller's transaction. A reinitialisation's chunks fill the same tables,
 * so a snapshot chunk reuses the catalog read at the first section of its tables (the one that
 * empties them) until a chunk fails; any other batch reads it afresh. At 3,000,000 rows this saved
 * a catalog query per 4 MB chunk (~2 ms each, 64 chunks).
 */
export class BatchApplier {
  private snapshotCatalog: Catalog | null = null;

  async apply(c: ClientBase, batch: Batch): Promise<void> {
    const reuse = batch.kind === 'snapshot' && !batch.tables.some((t) => t.truncate);
    try {
      const catalog = (reuse && this.snapshotCatalog) || (await readCatalog(c));
      this.snapshotCatalog = batch.kind === 'snapshot' ? catalog : null;
      await applyBatch(c, batch, catalog);
    } catch (e) {
      this.snapshotCatalog = null;
      throw e;
    }
  }
}

/** Applies `batch` in `c`'s open transaction; a changes batch must follow the applied position. */
async function applyBatch(c: ClientBase, batch: Batch, tables: Catalog): Promise<void> {
  // Row lock on the position serialises appliers; replica role silences triggers and FK checks
  // (set in the same round trip: a refused batch rolls the setting back with the transaction).
  const head = await c.query<{ value: string | null }>(
    `SELECT set_config('session_replication_role', 'replica', true) AS role,
            (SELECT value FROM sparesync.state WHERE key = 'applied' FOR UPDATE) AS value`,
  );
  const applied = head.rows[0]?.value ?? '';
  if (batch.kind === 'changes' && applied !== batch.from) {
    throw new SpareSyncError(
      'DbReinitRequired',
      `Batch from position ${batch.from || '(none)'} does not follow the applied position ${applied || '(none)'}`,
    );
  }
  for (const t of batch.tables) {
    const local = tables.get(t.table);
    if (!local)
      throw new SpareSyncError('DbSetupInvalid', `Table ${t.table} does not exist on this database`);
    const col = (name: string) => {
      const type = local.types.get(name);
      if (!type)
        throw new SpareSyncError(
          'DbSetupInvalid',
          `Column ${name} of ${t.table} does not exist on this database`,
        );
      return { name, type };
    };
    try {
      if (t.truncate)
        await (batch.kind === 'snapshot' ? emptyTable(c, t.table) : c.query(`DELETE FROM ${qname(t.table)}`));
      const pk = t.pkColumns.map(col);
      for (let i = 0; i < t.deletes.length; i += rowsPerStatement(pk.length)) {
        const rows = t.deletes.slice(i, i + rowsPerStatement(pk.length));
        await c.query(deleteSql(t.table, pk, rows.length), rows.flat() as unknown[]);
      }
      const cols = t.columns.map(col);
      if (t.copy && batch.kind !== 'snapshot')
        throw new SpareSyncError('DbBatchInvalid', `COPY lines for ${t.table} in a changes batch`);
      // A snapshot chunk fills a table emptied earlier in this reinitialisation.
      if (t.copy) await copyLines(c, t.table, t.columns, t.copy.data);
      if (batch.kind === 'snapshot') await copyRows(c, t.table, t.columns, t.upserts);
      else
        for (let i = 0; i < t.upserts.length; i += rowsPerStatement(cols.length)) {
          const rows = t.upserts.slice(i, i + rowsPerStatement(cols.length));
          await c.query(
            upsertSql(t.table, cols, t.pkColumns, rows.length, local.identityAlways),
            rows.flat() as unknown[],
          );
        }
    } catch (e) {
      throw applyFailed(t.table, e);
    }
  }
  for (const [seq, value] of Object.entries(batch.sequences)) {
    await c.query('SELECT setval($1::regclass, $2::bigint, true)', [seq, value]);
  }
  await writeState(c, 'applied', batch.to);
}

/**
 * Empties `table` for a reinitialisation with TRUNCATE: after a DELETE, the COPY that refills the
 * table steps over every dead row and index entry (`db reinit` of 3,000,000 rows took ~2× as long
 * as `pg_dump | psql`, bench/src/db.ts). Where TRUNCATE is refused — another table's foreign key
 * refers to this one, no TRUNCATE privilege, or a lock held by a reader for more than 2 s — the
 * table is emptied with DELETE as before. The 2 s limit is the TRUNCATE's alone: a released
 * savepoint keeps its `SET LOCAL`, so the transaction's own lock timeout is put back after it.
 */
async function emptyTable(c: ClientBase, table: string): Promise<void> {
  const before = await c.query<{ v: string }>(`SELECT current_setting('lock_timeout') AS v`);
  await c.query(`SAVEPOINT sparesync_empty; SET LOCAL lock_timeout = '2s'`);
  const truncated = await c.query(`TRUNCATE ${qname(table)}`).then(
    () => true,
    () => false,
  );
  if (truncated) {
    await c.query('RELEASE SAVEPOINT sparesync_empty');
    await c.query(`SELECT set_config('lock_timeout', $1, true)`, [before.rows[0]?.v ?? '0']);
  } else {
    await c.query('ROLLBACK TO SAVEPOINT sparesync_empty');
    await c.query(`DELETE FROM ${qname(table)}`);
  }
}

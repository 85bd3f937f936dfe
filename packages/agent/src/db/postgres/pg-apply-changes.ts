// The secondary's apply of a changes batch in one round trip: BEGIN, sparesync.apply_begin (the
// replica role, the position's row lock and the check that the batch follows the applied
// position, pg-sql.ts BASE_SCHEMA), the batch's statements, the new position and COMMIT are
// written together on a pipelined client (pg-pipeline.ts). The column types for the casts come
// from a catalog the adapter caches; a batch that fails here is rolled back whole (its COMMIT ends
// an aborted transaction) and applied again by BatchApplier (pg-apply.ts) with a fresh catalog,
// whose errors are the ones reported.
import type { ClientBase } from 'pg';
import { SpareSyncError } from '@sparesync/common';
import type { Batch, Value } from '../batch';
import type { PgTable } from './pg-catalog';
import { corked, settle } from './pg-pipeline';
import { deleteSql, qname, rowsPerStatement, upsertSql } from './pg-sql';
import { writeState } from './pg-state';

/** SQLSTATE of apply_begin's refusal (a batch that does not follow the applied position). */
export const NOT_FOLLOWING = 'SSP01';

interface Statement {
  text: string;
  values?: unknown[];
}

/** The batch's statements in apply order; null when it names a table or column `catalog` lacks. */
export function changeStatements(batch: Batch, catalog: Map<string, PgTable>): Statement[] | null {
  const out: Statement[] = [];
  for (const t of batch.tables) {
    const local = catalog.get(t.table);
    if (!local || t.copy) return null;
    const typed = (names: string[]) => names.map((name) => ({ name, type: local.types.get(name) ?? '' }));
    const pk = typed(t.pkColumns);
    const cols = typed(t.columns);
    if ([...pk, ...cols].some((c) => !c.type)) return null;
    if (t.truncate) out.push({ text: `DELETE FROM ${qname(t.table)}` });
    const chunks = (rows: Value[][], width: number, sql: (n: number) => string) => {
      const step = rowsPerStatement(width);
      for (let i = 0; i < rows.length; i += step) {
        const part = rows.slice(i, i + step);
        out.push({ text: sql(part.length), values: part.flat() });
      }
    };
    chunks(t.deletes, pk.length, (n) => deleteSql(t.table, pk, n));
    chunks(t.upserts, cols.length, (n) => upsertSql(t.table, cols, t.pkColumns, n, local.identityAlways));
  }
  for (const [seq, value] of Object.entries(batch.sequences))
    out.push({ text: 'SELECT setval($1::regclass, $2::bigint, true)', values: [seq, value] });
  return out;
}

/**
 * Applies `batch` (kind changes) on `c`, a pipelined client outside a transaction. true: applied;
 * false: a statement failed and nothing was applied (the caller applies it the slow way). Throws
 * DbReinitRequired for a batch that does not follow the applied position, and the COMMIT's own
 * failure (the outcome is then unknown: no second attempt).
 */
export async function applyChanges(c: ClientBase, batch: Batch, statements: Statement[]): Promise<boolean> {
  const [begin, head, rest, state, commit] = corked(
    c,
    () =>
      [
        c.query('BEGIN'),
        c.query({
          name: 'sparesync_apply_begin',
          text: 'SELECT sparesync.apply_begin($1)',
          values: [batch.from],
        }),
        statements.map((s) => c.query(s.text, s.values)),
        writeState(c, 'applied', batch.to),
        c.query('COMMIT'),
      ] as const,
  );
  try {
    await settle([begin, head, ...rest, state]);
  } catch (e) {
    await commit; // ends the aborted transaction: nothing of the batch remains
    if ((e as { code?: string }).code === NOT_FOLLOWING)
      throw new SpareSyncError('DbReinitRequired', (e as Error).message);
    return false;
  }
  const done = await commit;
  return done.command === 'COMMIT';
}

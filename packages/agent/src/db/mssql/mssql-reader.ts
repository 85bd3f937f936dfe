// Reads net changes after a Change Tracking version, inside the caller's SNAPSHOT transaction
// (Microsoft's documented pattern: validate against CHANGE_TRACKING_MIN_VALID_VERSION, read up to
// CHANGE_TRACKING_CURRENT_VERSION taken in the same snapshot). Versions are assigned at commit, and
// all rows of one version are one transaction: a batch takes a version whole or not at all.
import type * as sql from 'mssql';
import { SpareSyncError } from '@sparesync/common';
import type { Batch, Position, Value } from '../batch';
import { RowBatchBuilder } from '../row-batch-builder';
import { identities, mssql, type MsTable } from './mssql-catalog';
import * as q from './mssql-sql';

/** Rows read per table and query; a table that fills it bounds how far one read goes. */
const CAP = 5000;

async function changeRows(t: sql.Transaction, x: MsTable, from: bigint, to: bigint, top?: number) {
  const req = t.request();
  (req as unknown as { arrayRowMode: boolean }).arrayRowMode = true;
  const res = await req
    .input('from', mssql().BigInt, String(from))
    .input('to', mssql().BigInt, String(to))
    .query(q.changesSql(x.name, x.cols, x.pk, top));
  const n = x.pk.length;
  return (res.recordset as unknown as Value[][]).map((r) => ({
    v: BigInt(String(r[0])),
    table: x,
    pk: r.slice(2, 2 + n),
    row: r[1] ? r.slice(2 + n) : null,
  }));
}

export async function readChanges(
  t: sql.Transaction,
  tables: MsTable[],
  position: Position,
  from: bigint,
  maxBytes: number,
): Promise<Batch> {
  const to = BigInt(
    (
      await t
        .request()
        .query<{ v: string }>('SELECT CAST(CHANGE_TRACKING_CURRENT_VERSION() AS varchar(20)) AS v')
    ).recordset[0]!.v,
  );
  for (const x of tables) {
    const min = (await t.request().query<{ v: string | null }>(q.minValidVersionSql(x.name))).recordset[0]!.v;
    if (min === null || BigInt(min) > from) {
      throw new SpareSyncError(
        'DbReinitRequired',
        `Position ${position} is older than the change tracking minimum valid version of ${x.name}`,
      );
    }
  }
  // Tables that filled their CAP bound the horizon: below it every version is complete.
  let rows = [];
  let horizon = to;
  const capped: { x: MsTable; last: bigint }[] = [];
  for (const x of tables) {
    const got = await changeRows(t, x, from, to, CAP);
    if (got.length === CAP) capped.push({ x, last: got[got.length - 1]!.v });
    rows.push(...got);
  }
  if (capped.length) {
    horizon = capped.reduce((m, c) => (c.last - 1n < m ? c.last - 1n : m), to);
    if (horizon <= from) {
      // One version larger than CAP rows: read that version whole.
      horizon = capped.reduce((m, c) => (c.last < m ? c.last : m), to);
      for (const c of capped) {
        rows = rows.filter((r) => r.table !== c.x);
        rows.push(...(await changeRows(t, c.x, from, horizon)));
      }
    }
    rows = rows.filter((r) => r.v <= horizon);
  }
  rows.sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
  const builder = new RowBatchBuilder('changes', position);
  let cut: bigint | null = null;
  for (let i = 0; i < rows.length;) {
    // One version = one committed transaction: all of it or none.
    let j = i;
    while (j < rows.length && rows[j]!.v === rows[i]!.v) j++;
    const group = rows.slice(i, j);
    if (
      builder.full(
        group.reduce((n, r) => n + builder.cost(r.table, r.row ?? r.pk), 0),
        maxBytes,
      )
    ) {
      cut = rows[i - 1]!.v;
      break;
    }
    // CHANGETABLE already returns one row per key: no collapsing left to do.
    for (const r of group) builder.put(r.table, `${r.table.name}\0${JSON.stringify(r.pk)}`, r.pk, r.row);
    i = j;
  }
  const sequences = await identities(t, tables);
  return cut !== null
    ? builder.build(String(cut), false, sequences)
    : builder.build(String(horizon), horizon === to, sequences);
}

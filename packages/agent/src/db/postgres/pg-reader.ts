// Reads committed changes after a snapshot position (see pg-snapshot.ts for why positions are
// snapshots). Runs inside the caller's REPEATABLE READ transaction, so the change log, the current
// row values and the sequences all come from one snapshot.
import type { ClientBase } from 'pg';
import { SpareSyncError } from '@sparesync/common';
import type { Batch, Position, Value } from '../batch';
import { BatchBuilder } from '../batch-builder';
import type { PgTable } from './pg-catalog';
import { lookupSql } from './pg-sql';
import { cutSnap, formatSnap, parseSnap, type Snap } from './pg-snapshot';

const PAGE = 2000;

interface Entry {
  txid: string;
  seq: string;
  tbl: string;
  pk: string | null;
  op: string;
}

export function snapOf(position: Position): Snap {
  const snap = parseSnap(position);
  if (!snap)
    throw new SpareSyncError(
      'DbReinitRequired',
      `No valid PostgreSQL replication position (${JSON.stringify(position)})`,
    );
  return snap;
}

async function lookup(
  client: ClientBase,
  t: PgTable,
  keys: string[],
): Promise<Map<string, { pk: Value[]; row: Value[] | null }>> {
  const pkCols = t.pkColumns.map((name) => ({ name, type: t.types.get(name)! }));
  const cols = t.columns.map((c) => ({ name: c.name, type: t.types.get(c.name)! }));
  const res = await client.query<Value[]>({
    text: lookupSql(t.name, cols, pkCols),
    values: [`[${keys.join(',')}]`],
    rowMode: 'array',
  });
  const out = new Map<string, { pk: Value[]; row: Value[] | null }>();
  res.rows.forEach((r, i) => {
    const n = pkCols.length;
    out.set(keys[i]!, { pk: r.slice(1, 1 + n), row: r[0] ? r.slice(1 + n) : null });
  });
  return out;
}

export async function readChanges(
  client: ClientBase,
  position: Position,
  maxBytes: number,
  tracked: Map<string, PgTable>,
): Promise<{ batch: Omit<Batch, 'sequences'>; current: Snap }> {
  const from = snapOf(position);
  const current = snapOf(
    (await client.query<{ s: string }>('SELECT pg_current_snapshot()::text AS s')).rows[0]!.s,
  );
  const builder = new BatchBuilder('changes', position);
  let after: [string, string] = ['0', '0'];
  let prevTxid: string | null = null;
  for (;;) {
    const { rows } = await client.query<Entry>(
      `SELECT txid::text, seq::text, tbl, pk::text, op FROM sparesync.changes
        WHERE txid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(txid, $1::pg_snapshot)
          AND (txid, seq) > ($2::xid8, $3::bigint)
        ORDER BY txid, seq LIMIT ${PAGE}`,
      [position, after[0], after[1]],
    );
    // Current values for this page's keys, one query per table.
    const byTable = new Map<string, Set<string>>();
    for (const e of rows) {
      if (e.pk !== null && tracked.has(e.tbl)) {
        let keys = byTable.get(e.tbl);
        if (!keys) byTable.set(e.tbl, (keys = new Set()));
        keys.add(e.pk);
      }
    }
    const found = new Map<string, Map<string, { pk: Value[]; row: Value[] | null }>>();
    for (const [tbl, keys] of byTable) found.set(tbl, await lookup(client, tracked.get(tbl)!, [...keys]));

    for (const e of rows) {
      const txid = BigInt(e.txid);
      // Cut only between transactions, and never below from.xmax (see pg-snapshot.ts).
      if (e.txid !== prevTxid && builder.rowCount > 0 && builder.size >= maxBytes && txid >= from.xmax) {
        return { batch: builder.build(formatSnap(cutSnap(current, txid)), false), current };
      }
      prevTxid = e.txid;
      const info = tracked.get(e.tbl);
      if (!info) continue; // capture removed since; install() reported it
      if (e.op === 'T') builder.truncate(info);
      else {
        const hit = found.get(e.tbl)!.get(e.pk!)!;
        builder.put(info, `${e.tbl}\0${e.pk}`, hit.pk, hit.row);
      }
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = [last.txid, last.seq];
  }
  return { batch: builder.build(formatSnap(current), true), current };
}

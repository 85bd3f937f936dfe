// Reads the changes of decoded transactions (pg-logical.ts) as a batch. Positions are "L" + the
// end LSN of the last transaction included. Runs inside the caller's REPEATABLE READ transaction:
// rows the stream carried whole go as decoded, the others carry their current values in its
// snapshot, as with triggers. A transaction is taken only when that snapshot sees it: the
// walsender may decode a commit record before the committing backend has left the process array,
// and its rows would then be read without its changes (and the sequences, read after the
// snapshot was taken, would not cover its ids).
import { SpareSyncError } from '@sparesync/common';
import type { Batch, Position } from '../batch';
import { RowBatchBuilder } from '../row-batch-builder';
import type { PgTable } from './pg-catalog';
import { formatLsn, parseLsn, type LogicalChange, type LogicalTxn } from './pg-pgoutput';
import { lookupAll } from './pg-reader';
import { visible, type Snap } from './pg-snapshot';
import type { ClientBase } from 'pg';

/** Keys looked up per batch at most (one more transaction may pass it). */
export const KEYS_PER_READ = 20_000;

export const isLogicalPosition = (p: Position) => p.startsWith('L');

export function logicalPosition(lsn: bigint): Position {
  return `L${formatLsn(lsn)}`;
}

export function lsnOf(position: Position): bigint {
  try {
    if (isLogicalPosition(position)) return parseLsn(position.slice(1));
  } catch {
    /* reported below */
  }
  throw new SpareSyncError(
    'DbReinitRequired',
    `No valid position for logical capture (${JSON.stringify(position)}): the secondary is reinitialised`,
  );
}

/** The 64-bit id of a 32-bit xid seen recently, relative to the snapshot's xmax. */
export function fullXid(snap: Snap, xid: number): bigint {
  const back = (Number(snap.xmax & 0xffffffffn) - xid + 2 ** 32) % 2 ** 32;
  // More than 2^31 behind means ahead of xmax (not visible yet).
  return back > 2 ** 31 ? snap.xmax + BigInt(2 ** 32 - back) : snap.xmax - BigInt(back);
}

/** The change carries its row (or its deletion) in the columns `info` is tracked with. */
function decoded(c: LogicalChange, info: PgTable): boolean {
  if (c.row === undefined || !c.columns || !c.key) return false;
  const cols = info.columns;
  return c.columns.length === cols.length && cols.every((col, i) => col.name === c.columns![i]);
}

/**
 * Reads `txns` from `position` on, oldest first, while the snapshot sees them and the batch has
 * room. `all`: no transaction ending at or before `upTo` (the WAL insert position when the
 * snapshot was taken) was left out; later ones committed after the snapshot and may wait.
 */
export async function readLogical(
  client: ClientBase,
  txns: LogicalTxn[],
  position: Position,
  maxBytes: number,
  tracked: Map<string, PgTable>,
  snap: Snap,
  upTo: bigint,
): Promise<{ batch: Omit<Batch, 'sequences'>; to: bigint; all: boolean }> {
  const from = lsnOf(position);
  const take: LogicalTxn[] = [];
  let keys = 0;
  for (const t of txns) {
    if (t.end <= from) continue;
    if (!visible(snap, fullXid(snap, t.xid))) break;
    if (take.length && keys + t.changes.length > KEYS_PER_READ) break;
    take.push(t);
    keys += t.changes.length;
  }
  // Rows the stream carried whole, in the columns the table is tracked with, go as decoded: they
  // are the row as of that transaction, so a batch ending there is exactly that state. The rest
  // are read in the snapshot (current values, as with triggers).
  const byTable = new Map<string, Set<string>>();
  for (const t of take)
    for (const c of t.changes) {
      const info = tracked.get(c.table);
      if (c.pk === null || !info || decoded(c, info)) continue;
      let set = byTable.get(c.table);
      if (!set) byTable.set(c.table, (set = new Set()));
      set.add(c.pk);
    }
  const found = byTable.size ? await lookupAll(client, tracked, byTable) : new Map();

  const builder = new RowBatchBuilder('changes', position);
  let to = from;
  for (const t of take) {
    const items = t.changes.flatMap((c) => {
      const info = tracked.get(c.table);
      if (!info) return []; // capture removed or columns changed since install(); skipped
      const hit =
        c.pk === null
          ? { pk: [], row: null }
          : decoded(c, info)
            ? { pk: c.key!, row: c.row! }
            : found.get(c.table)!.get(c.pk)!;
      return [{ info, c, ...hit }];
    });
    const cost = items.reduce((n, it) => n + builder.cost(it.info, it.row ?? it.pk), 0);
    // One transaction larger than the limit goes alone.
    if (builder.full(cost, maxBytes)) break;
    for (const it of items) {
      if (it.c.op === 'T') builder.truncate(it.info);
      else builder.put(it.info, `${it.c.table}\0${it.c.pk}`, it.pk, it.row);
    }
    to = t.end;
  }
  const all = !txns.some((t) => t.end > to && t.end <= upTo);
  return { batch: builder.build(logicalPosition(to), all), to, all };
}

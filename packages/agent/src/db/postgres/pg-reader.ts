// Reads committed changes after a snapshot position (see pg-snapshot.ts for why positions are
// snapshots). Runs inside the caller's REPEATABLE READ transaction, so the change log, the current
// row values and the sequences all come from one snapshot.
import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { SpareSyncError } from '@sparesync/common';
import type { ChangeSet } from '../adapter';
import type { Batch, Position, Value } from '../batch';
import { RowBatchBuilder } from '../row-batch-builder';
import { recordedSequences, trackedTables, type PgTable } from './pg-catalog';
import { corked, settle } from './pg-pipeline';
import { lookupSql } from './pg-sql';
import { covers, cutSnap, formatSnap, parseSnap, type Snap } from './pg-snapshot';

const PAGE = 2000;

export interface Entry {
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

export async function lookup(
  client: ClientBase,
  t: PgTable,
  keys: string[],
): Promise<Map<string, { pk: Value[]; row: Value[] | null }>> {
  const pkCols = t.pkColumns.map((name) => ({ name, type: t.types.get(name)! }));
  const cols = t.columns.map((c) => ({ name: c.name, type: t.types.get(c.name)! }));
  const text = lookupSql(t.name, cols, pkCols);
  const res = await client.query<Value[]>({
    // Prepared once per connection (it runs on every read). Named after its text and the
    // columns' types: a cached plan whose result types changed would fail on every later use.
    name: `sparesync_lookup_${createHash('md5')
      .update(`${text}\0${cols.map((c) => c.type).join(',')}`)
      .digest('hex')}`,
    text,
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

/** Current rows for the keys of each table, all tables' lookups issued together (one round trip). */
export async function lookupAll(
  client: ClientBase,
  tracked: Map<string, PgTable>,
  byTable: Map<string, Set<string>>,
): Promise<Map<string, Map<string, { pk: Value[]; row: Value[] | null }>>> {
  const tables = [...byTable];
  const rows = await settle(
    corked(client, () => tables.map(([tbl, keys]) => lookup(client, tracked.get(tbl)!, [...keys]))),
  );
  return new Map(tables.map(([tbl], i) => [tbl, rows[i]!]));
}

/** The largest bigint: `(txid, seq) > (x, MAX_SEQ)` holds exactly for txid > x. */
const MAX_SEQ = '9223372036854775807';

/**
 * Where a read from `position` starts in the log's key order: after (xmin − 1, MAX_SEQ), i.e. at
 * the position's xmin (every entry below it is visible in the position, so already read).
 */
export function firstAfter(position: Position): [string, string] {
  const { xmin } = snapOf(position);
  return xmin > 0n ? [String(xmin - 1n), MAX_SEQ] : ['0', '0']; // xid8 has no -1
}

/**
 * One page of the change log after `position`, from the entry after `after` (txid, seq) on;
 * `after` is at least firstAfter(position). The index scan starts at the keyset bound, not at
 * `txid >= xmin` (which stays for the planner's estimate): from (0, 0), as it was, each read
 * walked every entry trimmed since the last vacuum (after 10 s at 5,000 rows/s 51,000 dead
 * entries, 221 buffers, ~1 ms a read; at 1,000 rows/s a fifth of that).
 */
export function changesPage(
  client: ClientBase,
  position: Position,
  after: [string, string],
): Promise<Entry[]> {
  return client
    .query<Entry>({
      name: 'sparesync_changes_page',
      // ORDER BY names the table's columns (c.txid, c.seq): a bare `seq` would sort by the text
      // output column, and the keyset condition (numeric) would then skip entries between pages.
      text: `SELECT c.txid::text AS txid, c.seq::text AS seq, c.tbl, c.pk::text AS pk, c.op FROM sparesync.changes c
        WHERE c.txid >= pg_snapshot_xmin($1::pg_snapshot) AND (c.txid, c.seq) > ($2::xid8, $3::bigint)
          AND NOT pg_visible_in_snapshot(c.txid, $1::pg_snapshot)
        ORDER BY c.txid, c.seq LIMIT ${PAGE}`,
      values: [position, after[0], after[1]],
    })
    .then((r) => r.rows);
}

/**
 * `current`: the transaction's snapshot (pg_current_snapshot()), read by the caller; `first`: the
 * first page (changesPage from the start), when the caller issued it with its own queries.
 */
export async function readChanges(
  client: ClientBase,
  position: Position,
  maxBytes: number,
  tracked: Map<string, PgTable>,
  current: Snap,
  first?: Promise<Entry[]>,
): Promise<{ batch: Omit<Batch, 'sequences'>; current: Snap }> {
  const from = snapOf(position);
  const builder = new RowBatchBuilder('changes', position);
  let after = firstAfter(position);
  // Entries of the transaction being read: a transaction goes into the batch whole or not at all.
  let txn: { txid: bigint; items: { info: PgTable; e: Entry; pk: Value[]; row: Value[] | null }[] } | null =
    null;
  /** Adds the pending transaction, or reports that the batch must end before it. */
  const flush = (): boolean => {
    if (!txn) return true;
    const cost = txn.items.reduce((n, it) => n + builder.cost(it.info, it.row ?? it.pk), 0);
    // Never cut below from.xmax (see pg-snapshot.ts); one transaction larger than the limit goes alone.
    if (txn.txid >= from.xmax && builder.full(cost, maxBytes)) return false;
    for (const it of txn.items) {
      if (it.e.op === 'T') builder.truncate(it.info);
      else builder.put(it.info, `${it.e.tbl}\0${it.e.pk}`, it.pk, it.row);
    }
    txn = null;
    return true;
  };
  for (
    let page = first ?? changesPage(client, position, after);
    ;
    page = changesPage(client, position, after)
  ) {
    const rows = await page;
    // Current values for this page's keys, one query per table.
    const byTable = new Map<string, Set<string>>();
    for (const e of rows) {
      if (e.pk !== null && tracked.has(e.tbl)) {
        let keys = byTable.get(e.tbl);
        if (!keys) byTable.set(e.tbl, (keys = new Set()));
        keys.add(e.pk);
      }
    }
    const found = await lookupAll(client, tracked, byTable);

    for (const e of rows) {
      const txid = BigInt(e.txid);
      if (txn && txn.txid !== txid && !flush()) {
        return { batch: builder.build(formatSnap(cutSnap(current, txn.txid)), false), current };
      }
      txn ??= { txid, items: [] };
      const info = tracked.get(e.tbl);
      if (!info) continue; // capture removed since; install() reported it
      const hit = e.pk === null ? { pk: [], row: null } : found.get(e.tbl)!.get(e.pk)!;
      txn.items.push({ info, e, pk: hit.pk, row: hit.row });
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = [last.txid, last.seq];
  }
  if (txn && !flush()) {
    const t = (txn as { txid: bigint }).txid;
    return { batch: builder.build(formatSnap(cutSnap(current, t)), false), current };
  }
  return { batch: builder.build(formatSnap(current), true), current };
}

/**
 * The trigger log's changes after `position`, inside the caller's REPEATABLE READ transaction on a
 * pipelined client: the queries that need no earlier answer (snapshot and trim checks, the tracked
 * tables, the sequences, the first page) go out together, the row lookups in a second round trip.
 * The sequences are read after the snapshot was taken, so they are at least as far as any row it
 * shows.
 */
export async function triggerChangesSince(
  c: ClientBase,
  position: Position,
  maxBytes: number,
): Promise<ChangeSet> {
  const head = c.query<{ s: string; trimmed: string | null }>({
    name: 'sparesync_trigger_head',
    text: `SELECT pg_current_snapshot()::text AS s, (SELECT value FROM sparesync.state WHERE key = 'trimmed') AS trimmed`,
  });
  const read = [head, trackedTables(c), recordedSequences(c)] as const;
  const first = changesPage(c, position, firstAfter(position));
  first.catch(() => {}); // awaited by readChanges, unless one of `read` failed
  const [{ rows }, tracked, sequences] = await settle(read);
  const { s, trimmed } = rows[0]!;
  if (trimmed && !covers(snapOf(position), snapOf(trimmed))) {
    throw new SpareSyncError(
      'DbReinitRequired',
      `Position ${position} is older than the trimmed change log (${trimmed})`,
    );
  }
  const { batch } = await readChanges(c, position, maxBytes, tracked, snapOf(s), first);
  return { batch: { ...batch, sequences: sequences(tracked) }, nextPosition: batch.to };
}

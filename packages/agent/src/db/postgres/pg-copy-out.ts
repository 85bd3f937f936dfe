// Snapshot chunks read with `COPY (SELECT …) TO STDOUT` (text format) inside the snapshot's
// REPEATABLE READ transaction: the lines travel to the secondary undecoded and go to
// `COPY … FROM STDIN` there (pg-copy.ts), so a reinitialisation between two PostgreSQL databases
// neither parses nor formats a single value (bench/src/db.ts: next to pg_dump | psql).
//
// Why the text format: its lines are self-delimiting (a newline inside a value is written as
// `\n`), so a chunk can be cut at any newline and applied in its own transaction; and its values
// are the types' text forms, which read back identically on a server whose user-defined types have
// other OIDs (binary COPY of arrays and composites names element types by OID). Both sessions use
// the same output settings (pg-connection.ts), as pg_dump | psql does.
import type { PoolClient } from 'pg';
import type { SnapshotInfo } from '../adapter';
import type { Batch, Position, TableChanges } from '../batch';
import { tableHeaderSize } from '../codec';
import { dq } from '../tables';
import { sequenceValues, trackedTables, type PgTable } from './pg-catalog';
import { CopyTo, runPool, type Lines } from './pg-copy-to';
import { qname } from './pg-sql';

function section(t: PgTable, truncate: boolean, lines: Lines): TableChanges {
  return {
    table: t.name,
    columns: t.columns.map((c) => c.name),
    pkColumns: t.pkColumns,
    truncate,
    upserts: [],
    deletes: [],
    copy: lines,
  };
}

/**
 * Chunks of a snapshot read on `c` inside its REPEATABLE READ transaction, each at most about
 * `maxBytes` encoded; releases `c` at the end (destroying it when the caller stopped mid-COPY).
 * The first section of each table truncates it; the last chunk carries `position` and `sequences`.
 */
export async function* copySnapshotChunks(
  c: PoolClient,
  tracked: PgTable[],
  position: Position,
  sequences: Record<string, string>,
  maxBytes: number,
): AsyncGenerator<Batch> {
  const overhead =
    64 + position.length + Object.entries(sequences).reduce((n, [k, v]) => n + k.length + v.length + 10, 0);
  const chunk = (tables: TableChanges[], last: boolean): Batch => ({
    kind: 'snapshot',
    from: '',
    to: last ? position : '',
    complete: last,
    tables,
    sequences: last ? sequences : {},
  });
  let clean = false;
  // The runs' buffers, reused once the sender encoded them (Lines.release); the largest `max`.
  const pool = runPool(maxBytes);
  try {
    let pending: TableChanges[] = [];
    let pendingBytes = overhead;
    for (const t of tracked) {
      const header =
        tableHeaderSize({ table: t.name, columns: t.columns.map((x) => x.name), pkColumns: [] }) + 20;
      let first = true;
      const add = function* (lines: Lines): Generator<Batch> {
        const size = header + lines.data.length;
        if (pending.length && pendingBytes + size > maxBytes) {
          yield chunk(pending, false);
          pending = [];
          pendingBytes = overhead;
        }
        pending.push(section(t, first, lines));
        pendingBytes += size;
        first = false;
      };
      const cols = t.columns.map((x) => dq(x.name)).join(', ');
      const sql = `COPY (SELECT ${cols} FROM ${qname(t.name)}) TO STDOUT`;
      const out = c.query(new CopyTo(sql, Math.max(1, maxBytes - overhead - header), pool));
      for await (const lines of out.runs()) yield* add(lines);
      // An empty table still gets its truncating section.
      if (first) yield* add({ data: Buffer.alloc(0), rows: 0 });
    }
    yield chunk(pending, true);
    await c.query('COMMIT');
    clean = true;
  } finally {
    // A COPY left half-read leaves the connection unusable: end it (the server rolls back).
    c.release(clean ? undefined : true);
  }
}

/**
 * What a snapshot at `position` holds, read in the caller's REPEATABLE READ transaction: the
 * tracked tables (those named in `only`, when given) with their row counts, and their chunks.
 */
export async function snapshotOf(
  c: PoolClient,
  position: Position,
  only: readonly string[] | undefined,
  maxBytes: number,
): Promise<SnapshotInfo> {
  const tracked = [...(await trackedTables(c)).values()].filter((t) => !only || only.includes(t.name));
  const tables = [];
  for (const t of tracked) {
    const n = (await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${qname(t.name)}`)).rows[0]!.n;
    tables.push({ name: t.name, rows: Number(n) });
  }
  const sequences = await sequenceValues(
    c,
    tracked.map((t) => t.name),
  );
  return { position, tables, chunks: copySnapshotChunks(c, tracked, position, sequences, maxBytes) };
}

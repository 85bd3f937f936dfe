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
import { to as copyTo } from 'pg-copy-streams';
import type { Batch, Position, TableChanges } from '../batch';
import { tableHeaderSize } from '../codec';
import { dq } from '../tables';
import type { PgTable } from './pg-catalog';
import { qname } from './pg-sql';

const NL = 0x0a;

export interface Lines {
  data: Buffer;
  rows: number;
}

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(NL); i !== -1; i = data.indexOf(NL, i + 1)) n++;
  return n;
}

/**
 * Cuts COPY text output, arriving in pieces of any size, into runs of whole lines of at most
 * `max` bytes each; a single line longer than `max` makes a run of its own.
 */
export class LineChunker {
  private parts: Buffer[] = [];
  private size = 0;
  /** True while the buffered bytes (≥ max) hold no newline: only new data can end the line. */
  private longLine = false;

  constructor(private readonly max: number) {}

  push(data: Buffer): Lines[] {
    const out: Lines[] = [];
    if (this.longLine && data.indexOf(NL) === -1) {
      this.parts.push(data);
      this.size += data.length;
      return out;
    }
    this.parts.push(data);
    this.size += data.length;
    while (this.size >= this.max) {
      const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
      let cut = all.lastIndexOf(NL, this.max - 1);
      if (cut === -1) cut = all.indexOf(NL, this.max);
      this.longLine = cut === -1;
      if (this.longLine) {
        this.parts = [all];
        break;
      }
      const run = all.subarray(0, cut + 1);
      out.push({ data: run, rows: countLines(run) });
      const rest = all.subarray(cut + 1);
      this.parts = rest.length ? [rest] : [];
      this.size = rest.length;
    }
    return out;
  }

  /** What is left (whole lines: COPY ends every row with a newline), or null when nothing is. */
  end(): Lines | null {
    if (!this.size) return null;
    const data = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return { data, rows: countLines(data) };
  }
}

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
  try {
    let pending: TableChanges[] = [];
    let pendingBytes = overhead;
    for (const t of tracked) {
      const header =
        tableHeaderSize({ table: t.name, columns: t.columns.map((x) => x.name), pkColumns: [] }) + 20;
      const chunker = new LineChunker(Math.max(1, maxBytes - overhead - header));
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
      const out = c.query(copyTo(`COPY (SELECT ${cols} FROM ${qname(t.name)}) TO STDOUT`));
      for await (const data of out as AsyncIterable<Buffer>) {
        for (const lines of chunker.push(data)) yield* add(lines);
      }
      const rest = chunker.end();
      // An empty table still gets its truncating section.
      if (rest || first) yield* add(rest ?? { data: Buffer.alloc(0), rows: 0 });
    }
    yield chunk(pending, true);
    await c.query('COMMIT');
    clean = true;
  } finally {
    // A COPY left half-read leaves the connection unusable: end it (the server rolls back).
    c.release(clean ? undefined : true);
  }
}

// Loads snapshot rows with COPY … FROM STDIN (text format) instead of INSERT statements: the lines
// a PostgreSQL primary read with COPY TO (copyLines), or rows of another form (copyRows). A
// reinitialisation writes into tables it has just emptied, so nothing conflicts, and COPY is
// several times faster than multi-row INSERT with bound parameters (bench/src/db.ts). Values
// travel in their exact text forms (pg-connection.ts), so COPY's input functions read the same
// values INSERT's casts would; triggers and FK checks stay off (session_replication_role = replica).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Value } from '../batch';
import { dq } from '../tables';
import { qname } from './pg-sql';

const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY's text format (NULL is \N; backslash, tab, CR and LF are escaped). */
export function copyValue(v: Value): string {
  if (v === null) return '\\N';
  if (typeof v === 'string') return SPECIAL.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Uint8Array)
    return `\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  return String(v);
}

function* lines(rows: Value[][]): Generator<string> {
  const CHUNK = 256 * 1024;
  let buf = '';
  for (const row of rows) {
    buf += row.map(copyValue).join('\t') + '\n';
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** Appends lines of COPY's text format (pg-copy-out.ts) to `table` in the caller's transaction. */
export async function copyLines(
  c: ClientBase,
  table: string,
  columns: string[],
  data: Uint8Array,
): Promise<void> {
  if (!data.byteLength) return;
  const sql = `COPY ${qname(table)} (${columns.map(dq).join(', ')}) FROM STDIN`;
  await pipeline(
    Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]),
    c.query(copyFrom(sql)),
  );
}

/** Appends `rows` (values in `columns` order) to `table` in the caller's transaction. */
export async function copyRows(
  c: ClientBase,
  table: string,
  columns: string[],
  rows: Value[][],
): Promise<void> {
  if (!rows.length) return;
  const sql = `COPY ${qname(table)} (${columns.map(dq).join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(lines(rows)), c.query(copyFrom(sql)));
}

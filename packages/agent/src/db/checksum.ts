// Row checksums per table, read through the adapter's own snapshot so both databases are compared
// the way replication sees them: same rows, same typed values. Rows read as values come in key
// order; PostgreSQL's COPY lines come in storage order, which differs between two servers holding
// the same rows, so they are hashed in sorted order (exact text forms: equal rows, equal lines).
import { createHash } from 'node:crypto';
import type { DbAdapter } from './adapter';
import { encodeValues } from './codec';

export interface TableChecksum {
  rows: number;
  sha256: string;
}

interface Acc {
  rows: number;
  hash: ReturnType<typeof createHash>;
  lines: Buffer[];
}

function splitLines(data: Uint8Array, into: Buffer[]): void {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let start = 0; start < buf.length;) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl;
    into.push(Buffer.from(buf.subarray(start, end)));
    start = end + 1;
  }
}

export async function tableChecksums(
  db: DbAdapter,
  maxBytes = 4 << 20,
): Promise<Record<string, TableChecksum>> {
  const snap = await db.snapshot(maxBytes, undefined, 'read');
  const tables = new Map<string, Acc>();
  for await (const chunk of snap.chunks) {
    for (const t of chunk.tables) {
      let acc = tables.get(t.table);
      if (!acc)
        tables.set(
          t.table,
          (acc = { rows: 0, hash: createHash('sha256').update(t.columns.join('\0')), lines: [] }),
        );
      for (const row of t.upserts) {
        acc.hash.update(encodeValues(row));
        acc.rows++;
      }
      if (t.copy) {
        splitLines(t.copy.data, acc.lines);
        acc.rows += t.copy.rows;
      }
    }
  }
  return Object.fromEntries(
    [...tables].map(([name, a]) => {
      for (const line of a.lines.sort(Buffer.compare)) a.hash.update(line).update('\n');
      return [name, { rows: a.rows, sha256: a.hash.digest('hex') }];
    }),
  );
}

// Row checksums per table, read through the adapter's own snapshot so both databases are compared
// the way replication sees them: same rows, same typed values, same key order.
import { createHash } from 'node:crypto';
import type { DbAdapter } from './adapter';
import { encodeValues } from './codec';

export interface TableChecksum {
  rows: number;
  sha256: string;
}

export async function tableChecksums(
  db: DbAdapter,
  maxBytes = 4 << 20,
): Promise<Record<string, TableChecksum>> {
  const snap = await db.snapshot(maxBytes);
  const hashes = new Map<string, { rows: number; hash: ReturnType<typeof createHash> }>();
  for await (const chunk of snap.chunks) {
    for (const t of chunk.tables) {
      let acc = hashes.get(t.table);
      if (!acc)
        hashes.set(t.table, (acc = { rows: 0, hash: createHash('sha256').update(t.columns.join('\0')) }));
      for (const row of t.upserts) {
        acc.hash.update(encodeValues(row));
        acc.rows++;
      }
    }
  }
  return Object.fromEntries(
    [...hashes].map(([name, a]) => [name, { rows: a.rows, sha256: a.hash.digest('hex') }]),
  );
}

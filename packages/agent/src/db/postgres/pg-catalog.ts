// What the PostgreSQL catalog tells the adapter: user tables with their columns and keys, and the
// sequences those tables own (their values travel with each batch so that inserts after a
// failover do not collide with replicated ids), and which tables are tracked as installed.
import type { ClientBase } from 'pg';
import { SpareSyncError } from '@sparesync/common';
import type { TableInfo } from '../adapter';
import { asInstalled } from '../tables';
import { settle } from './pg-pipeline';

export interface PgTable extends TableInfo {
  /** Column type per replicated column, as format_type spells it (used for casts). */
  types: Map<string, string>;
  /** Has GENERATED ALWAYS AS IDENTITY columns: inserts need OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
}

// The catalog queries run on every read and apply: named (prepared once per connection), which
// halves their cost, since planning them is most of it. Their result columns never change, so a
// cached plan stays valid across DDL (PostgreSQL re-plans it).
export async function discoverTables(client: ClientBase): Promise<PgTable[]> {
  // Sessions return every value as text (pg-connection.ts), so the lists travel as JSON text.
  const { rows } = await client.query<{ name: string; cols: string; pk: string | null }>({
    name: 'sparesync_discover_tables',
    text: `
    SELECT n.nspname || '.' || c.relname AS name,
      (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                                         'identity', a.attidentity, 'generated', a.attgenerated) ORDER BY a.attnum)::text
         FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS cols,
      (SELECT json_agg(a.attname ORDER BY k.ord)::text
         FROM pg_constraint con CROSS JOIN unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
        WHERE con.conrelid = c.oid AND con.contype = 'p') AS pk
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'sparesync') AND n.nspname NOT LIKE 'pg\\_%'
    ORDER BY 1`,
  });
  return rows.map((r) => {
    // Generated columns are computed on the secondary; they are neither read nor written.
    const all = JSON.parse(r.cols) as { name: string; type: string; identity: string; generated: string }[];
    const cols = all.filter((c) => c.generated === '');
    return {
      name: r.name,
      columns: cols.map((c) => ({ name: c.name, type: c.type })),
      pkColumns: r.pk ? (JSON.parse(r.pk) as string[]) : [],
      types: new Map(cols.map((c) => [c.name, c.type])),
      identityAlways: cols.some((c) => c.identity === 'a'),
    };
  });
}

/** Sequences owned by (or identity of) tables, with their table (`tbl`) and last value; `filter` picks the tables. */
const sequencesSql = (filter: string) => `
  SELECT format('%I.%I', ps.schemaname, ps.sequencename) AS seq, tn.nspname || '.' || t.relname AS tbl,
         ps.last_value::text AS value
    FROM pg_depend d
    JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    JOIN pg_namespace sn ON sn.oid = s.relnamespace
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_namespace tn ON tn.oid = t.relnamespace
    JOIN pg_sequences ps ON ps.schemaname = sn.nspname AND ps.sequencename = s.relname
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
     AND tn.nspname || '.' || t.relname ${filter} AND ps.last_value IS NOT NULL`;

type SequenceRow = { seq: string; tbl: string; value: string };

/** Sequence name → last value, for sequences owned by (or identity of) the given tables. */
export async function sequenceValues(client: ClientBase, tables: string[]): Promise<Record<string, string>> {
  if (!tables.length) return {};
  const { rows } = await client.query<SequenceRow>({
    name: 'sparesync_sequence_values',
    text: sequencesSql('= ANY($1)'),
    values: [tables],
  });
  return Object.fromEntries(rows.map((r) => [r.seq, r.value]));
}

/**
 * Sequence name → last value for the tables recorded by install() that are in `tracked`. One
 * query that needs no earlier answer, so a read issues it with its first ones (pg-pipeline.ts).
 */
export function recordedSequences(
  client: ClientBase,
): Promise<(tracked: Map<string, PgTable>) => Record<string, string>> {
  return client
    .query<SequenceRow>({
      name: 'sparesync_recorded_sequences',
      text: sequencesSql('IN (SELECT name FROM sparesync.tables)'),
    })
    .then(
      ({ rows }) =>
        (tracked) =>
          Object.fromEntries(rows.filter((r) => tracked.has(r.tbl)).map((r) => [r.seq, r.value])),
    );
}

/**
 * Tables whose columns are as installed; read in the caller's transaction so it matches the
 * snapshot. A table whose columns changed is left out until install() records it again. Its two
 * queries are issued together (one round trip on a pipelined client).
 */
export async function trackedTables(c: ClientBase): Promise<Map<string, PgTable>> {
  const [recorded, current] = await settle([
    c.query<{ name: string; signature: string }>({
      name: 'sparesync_recorded_tables',
      text: 'SELECT name, signature FROM sparesync.tables',
    }),
    discoverTables(c),
  ]);
  if (!recorded.rows.length)
    throw new SpareSyncError('DbSetupInvalid', 'Change capture is not installed in this PostgreSQL database');
  const installed = new Map(recorded.rows.map((r) => [r.name, r.signature]));
  return new Map(asInstalled(installed, current).map((t) => [t.name, t]));
}

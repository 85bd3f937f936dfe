// SQL text for PostgreSQL change capture and apply. Pure functions, unit-tested in pg-sql.test.ts.
import { createHash } from 'node:crypto';
import { dq } from '../tables';

export const NOTIFY_CHANNEL = 'sparesync';

// txid is the writing transaction (xid8); positions are snapshots over it (pg-snapshot.ts).
export const BASE_SCHEMA = `
CREATE SCHEMA IF NOT EXISTS sparesync;
CREATE TABLE IF NOT EXISTS sparesync.changes (
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigserial NOT NULL,
  tbl text NOT NULL,
  pk jsonb,
  op "char" NOT NULL,
  PRIMARY KEY (txid, seq)
);
CREATE TABLE IF NOT EXISTS sparesync.state (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS sparesync.tables (name text PRIMARY KEY, signature text NOT NULL);
DO $do$ BEGIN
  IF to_regprocedure('sparesync.apply_begin(text)') IS NULL THEN
    -- The head of a pipelined apply (pg-apply-changes.ts): replica role for this transaction, the
    -- applied position locked (serialises appliers), and a batch that does not follow it refused.
    CREATE FUNCTION sparesync.apply_begin(p_from text) RETURNS void LANGUAGE plpgsql AS $fn$
    DECLARE applied text;
    BEGIN
      PERFORM set_config('session_replication_role', 'replica', true);
      SELECT value INTO applied FROM sparesync.state WHERE key = 'applied' FOR UPDATE;
      IF coalesce(applied, '') <> p_from THEN
        RAISE EXCEPTION USING ERRCODE = 'SSP01', MESSAGE = format(
          'Batch from position %s does not follow the applied position %s',
          coalesce(nullif(p_from, ''), '(none)'), coalesce(nullif(applied, ''), '(none)'));
      END IF;
    END $fn$;
  END IF;
EXCEPTION WHEN duplicate_function THEN NULL; -- another session created it meanwhile
END $do$;
`;

/** "schema.table" → "schema"."table" (the first dot separates the schema). */
export function qname(name: string): string {
  const dot = name.indexOf('.');
  return `${dq(name.slice(0, dot))}.${dq(name.slice(dot + 1))}`;
}

export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function captureFunction(table: string): string {
  return `sparesync.${dq(`capture_${createHash('sha256').update(table).digest('hex').slice(0, 16)}`)}`;
}

const keyOf = (alias: 'NEW' | 'OLD', pk: string[]) =>
  `jsonb_build_array(${pk.map((c) => `${alias}.${dq(c)}`).join(', ')})`;

/** Function + row and truncate triggers that capture one table. Idempotent. */
export function captureDdl(table: string, pk: string[]): string[] {
  const fn = captureFunction(table);
  const log = (key: string, op: string) =>
    `INSERT INTO sparesync.changes (tbl, pk, op) VALUES (${lit(table)}, ${key}, ${op});`;
  const keyChanged = pk.map((c) => `OLD.${dq(c)} IS DISTINCT FROM NEW.${dq(c)}`).join(' OR ');
  const t = qname(table);
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    ${log('NULL', "'T'")}
  ELSIF TG_OP = 'DELETE' THEN
    ${log(keyOf('OLD', pk), "'D'")}
  ELSE
    ${log(keyOf('NEW', pk), 'left(TG_OP, 1)')}
    IF TG_OP = 'UPDATE' AND (${keyChanged}) THEN
      ${log(keyOf('OLD', pk), "'D'")}
    END IF;
  END IF;
  -- Notifications with the same payload fold into one per transaction, delivered at commit.
  PERFORM pg_notify('${NOTIFY_CHANNEL}', '');
  RETURN NULL;
END
$fn$`,
    ...dropCaptureTriggers(table),
    `CREATE TRIGGER sparesync_capture AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER sparesync_truncate AFTER TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

export function dropCaptureTriggers(table: string): string[] {
  const t = qname(table);
  return [
    `DROP TRIGGER IF EXISTS sparesync_capture ON ${t}`,
    `DROP TRIGGER IF EXISTS sparesync_truncate ON ${t}`,
  ];
}

export interface PgColumn {
  name: string;
  type: string;
}

/**
 * Current rows for a JSON array of keys, in key order. Rows no longer present come back with
 * found=false and the key cast to its column types (the delete's key values).
 */
export function lookupSql(table: string, columns: PgColumn[], pk: PgColumn[]): string {
  const keyExprs = pk.map((c, i) => `(k.key->>${i})::${c.type}`);
  const match = pk.map((c, i) => `r.${dq(c.name)} = ${keyExprs[i]}`).join(' AND ');
  // One index probe per key (LATERAL … OFFSET 0 is not flattened into a join). As a join, the
  // prepared statement's plan assumes 100 keys, and where a scan looked cheaper (a 10,000-row
  // table) the planner hashed the keys and scanned the whole table on every read.
  return (
    `SELECT t.ctid IS NOT NULL, ${keyExprs.join(', ')}, ${columns.map((c) => `t.${dq(c.name)}`).join(', ')} ` +
    `FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS k(key, i) LEFT JOIN LATERAL ` +
    `(SELECT r.ctid, ${columns.map((c) => `r.${dq(c.name)}`).join(', ')} FROM ${qname(table)} r WHERE ${match} OFFSET 0) t ` +
    `ON true ORDER BY k.i`
  );
}

function placeholders(types: string[], rows: number): string {
  let n = 0;
  return Array.from({ length: rows }, () => `(${types.map((t) => `$${++n}::${t}`).join(', ')})`).join(', ');
}

export function upsertSql(
  table: string,
  columns: PgColumn[],
  pk: string[],
  rows: number,
  overridingSystem: boolean,
): string {
  const names = columns.map((c) => dq(c.name));
  const rest = columns
    .filter((c) => !pk.includes(c.name))
    .map((c) => `${dq(c.name)} = EXCLUDED.${dq(c.name)}`);
  return (
    `INSERT INTO ${qname(table)} (${names.join(', ')})${overridingSystem ? ' OVERRIDING SYSTEM VALUE' : ''} ` +
    `VALUES ${placeholders(
      columns.map((c) => c.type),
      rows,
    )} ON CONFLICT (${pk.map(dq).join(', ')}) DO ${rest.length ? `UPDATE SET ${rest.join(', ')}` : 'NOTHING'}`
  );
}

export function deleteSql(table: string, pk: PgColumn[], rows: number): string {
  const cols = pk.map((c) => dq(c.name));
  return (
    `DELETE FROM ${qname(table)} t USING (VALUES ${placeholders(
      pk.map((c) => c.type),
      rows,
    )}) AS d(${cols.join(', ')}) ` + `WHERE ${cols.map((c) => `t.${c} = d.${c}`).join(' AND ')}`
  );
}

/** Rows per statement so that one statement stays under PostgreSQL's 65535 parameters. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(30000 / Math.max(1, columns)));
}

// SQL that SQLite change capture installs. Triggers append (table, key, op) to sparesync_changes;
// the key is a JSON array of the primary-key values (BLOBs as {"b": hex}, since JSON has no
// binary). Triggers stay silent while sparesync_apply has a row: the applier inserts one inside
// its transaction and deletes it before commit, so replicated writes are never captured again
// and no other connection ever sees the flag.
import type { TableInfo } from '../adapter';
import { dq } from '../tables';

export const BASE_SCHEMA = `
CREATE TABLE IF NOT EXISTS sparesync_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl TEXT NOT NULL,
  pk TEXT NOT NULL,
  op TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sparesync_apply (flag INTEGER);
CREATE TABLE IF NOT EXISTS sparesync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sparesync_tables (name TEXT PRIMARY KEY, signature TEXT NOT NULL);
`;

/** Trigger names of one table; the same three for install, refresh and removal. */
export function triggerNames(table: string): string[] {
  return ['ins', 'upd', 'del'].map((op) => `sparesync_${table}_${op}`);
}

function keyJson(alias: 'NEW' | 'OLD', pk: string[]): string {
  const parts = pk.map((c) => {
    const ref = `${alias}.${dq(c)}`;
    return `CASE WHEN typeof(${ref}) = 'blob' THEN json_object('b', hex(${ref})) ELSE ${ref} END`;
  });
  return `json_array(${parts.join(', ')})`;
}

export function createTriggers(t: TableInfo): string[] {
  const [ins, upd, del] = triggerNames(t.name).map(dq);
  const name = `'${t.name.replace(/'/g, "''")}'`;
  const quiet = 'WHEN NOT EXISTS (SELECT 1 FROM sparesync_apply)';
  const log = (alias: 'NEW' | 'OLD', op: string) =>
    `INSERT INTO sparesync_changes (tbl, pk, op) VALUES (${name}, ${keyJson(alias, t.pkColumns)}, '${op}')`;
  const keyChanged = t.pkColumns.map((c) => `OLD.${dq(c)} IS NOT NEW.${dq(c)}`).join(' OR ');
  const table = dq(t.name);
  return [
    `CREATE TRIGGER ${ins} AFTER INSERT ON ${table} ${quiet} BEGIN ${log('NEW', 'I')}; END`,
    // An update that changes the key also records the old key, which the reader then finds gone.
    `CREATE TRIGGER ${upd} AFTER UPDATE ON ${table} ${quiet} BEGIN ${log('NEW', 'U')}; ` +
      `INSERT INTO sparesync_changes (tbl, pk, op) SELECT ${name}, ${keyJson('OLD', t.pkColumns)}, 'D' WHERE ${keyChanged}; END`,
    `CREATE TRIGGER ${del} AFTER DELETE ON ${table} ${quiet} BEGIN ${log('OLD', 'D')}; END`,
  ];
}

export function dropTriggers(table: string): string[] {
  return triggerNames(table).map((n) => `DROP TRIGGER IF EXISTS ${dq(n)}`);
}

export function upsertSql(table: string, columns: string[]): string {
  // OR REPLACE also removes a row that blocks the new one on another unique constraint; that row
  // has changed on the primary too, and its own entry in the batch restores it.
  return `INSERT OR REPLACE INTO ${dq(table)} (${columns.map(dq).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

export function deleteSql(table: string, pk: string[]): string {
  return `DELETE FROM ${dq(table)} WHERE ${pk.map((c) => `${dq(c)} = ?`).join(' AND ')}`;
}

export function selectByKeySql(t: TableInfo): string {
  return `SELECT ${t.columns.map((c) => dq(c.name)).join(', ')} FROM ${dq(t.name)} WHERE ${t.pkColumns.map((c) => `${dq(c)} = ?`).join(' AND ')}`;
}

export function selectAllSql(t: TableInfo): string {
  return `SELECT ${t.columns.map((c) => dq(c.name)).join(', ')} FROM ${dq(t.name)} ORDER BY ${t.pkColumns.map(dq).join(', ')}`;
}

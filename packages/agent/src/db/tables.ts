// Engine-independent helpers about tables: include/exclude globs, the schema signature recorded at
// install time, and the comparison that detects schema changes.
import { SpareSyncError } from '@sparesync/common';
import type { DbAdapterOptions, SchemaChange, TableInfo } from './adapter';
import type { Batch } from './batch';

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * A pattern with a dot matches the qualified name (public.orders); one without matches the bare
 * table name, so "orders" and "audit_*" work on every engine.
 */
export function tableMatcher(opts: DbAdapterOptions): (name: string) => boolean {
  const compile = (globs: string[]) => globs.map((g) => ({ dotted: g.includes('.'), re: globToRegExp(g) }));
  const include = compile(opts.include.length ? opts.include : ['*']);
  const exclude = compile(opts.exclude);
  const hit = (pats: ReturnType<typeof compile>, name: string) => {
    const bare = name.slice(name.lastIndexOf('.') + 1);
    return pats.some((p) => p.re.test(p.dotted ? name : bare));
  };
  return (name) => hit(include, name) && !hit(exclude, name);
}

/** A one-line description of a table's shape; two tables replicate alike when these are equal. */
export function tableSignature(t: TableInfo): string {
  return `${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')}; key (${t.pkColumns.join(', ')})`;
}

/** Refuses tables without a primary key, naming every one of them. */
export function requirePrimaryKeys(tables: TableInfo[]): void {
  const without = tables.filter((t) => t.pkColumns.length === 0).map((t) => t.name);
  if (without.length) {
    throw new SpareSyncError(
      'DbSetupInvalid',
      `Table${without.length > 1 ? 's' : ''} without a primary key cannot be replicated: ${without.join(', ')}`,
      {
        hint: 'Add a primary key, or list the table in database.tables.exclude, then install the scripts again.',
      },
    );
  }
}

export function diffSchema(installed: Map<string, string> | null, current: TableInfo[]): SchemaChange {
  if (installed === null) {
    return {
      unchanged: false,
      added: current.map((t) => t.name),
      removed: [],
      changed: [],
      summary: 'Change capture is not installed: run `sparesync db install-scripts`.',
    };
  }
  const now = new Map(current.map((t) => [t.name, tableSignature(t)]));
  const added = [...now.keys()].filter((n) => !installed.has(n)).sort();
  const removed = [...installed.keys()].filter((n) => !now.has(n)).sort();
  const changed = [...now]
    .filter(([n, sig]) => installed.has(n) && installed.get(n) !== sig)
    .map(([table, after]) => ({ table, before: installed.get(table)!, after }))
    .sort((a, b) => a.table.localeCompare(b.table));
  const parts = [
    added.length ? `tables added: ${added.join(', ')}` : '',
    removed.length ? `tables removed: ${removed.join(', ')}` : '',
    changed.length ? `columns changed: ${changed.map((c) => c.table).join(', ')}` : '',
  ].filter(Boolean);
  return {
    unchanged: parts.length === 0,
    added,
    removed,
    changed,
    summary: parts.length
      ? `Database schema changed since the scripts were installed (${parts.join('; ')}): these tables are not replicated (the others are) until \`sparesync db install-scripts\` is run on the sending server, which then reinitialises each of them.`
      : 'Database schema unchanged since the scripts were installed.',
  };
}

/** Tables whose shape is as install() recorded it: the only ones read and copied (per-table stop). */
export function asInstalled<T extends TableInfo>(installed: Map<string, string>, current: T[]): T[] {
  return current.filter((t) => installed.get(t.name) === tableSignature(t));
}

/** Tables not replicated until install() runs again: added, removed or with other columns. */
export function notReplicated(change: SchemaChange): string[] {
  return [...change.added, ...change.removed, ...change.changed.map((c) => c.table)].sort();
}

/** Double-quoted SQL identifier (SQLite, PostgreSQL). */
export function dq(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The error for a failed apply, naming the table. Drivers' own errors are replaced (kept as cause)
 * so callers see one error type; the transaction rolled back, so nothing of the batch remains.
 */
export function applyFailed(table: string, e: unknown): SpareSyncError {
  if (e instanceof SpareSyncError) return e;
  const message =
    e instanceof Error || (e && typeof e === 'object' && 'message' in e)
      ? String((e as Error).message)
      : String(e);
  return new SpareSyncError('DbReinitRequired', `Applying replicated rows to ${table} failed: ${message}`, {
    hint: "The secondary's table differs from the primary's or holds conflicting rows: check its schema, then reinitialise.",
    cause: e,
  });
}

/** COPY lines (batch.ts `copy`) come only from a PostgreSQL primary; other engines refuse them. */
export function refuseCopyLines(batch: Batch, engine: string): void {
  const t = batch.tables.find((x) => x.copy);
  if (t)
    throw new SpareSyncError(
      'DbBatchInvalid',
      `${engine} cannot apply PostgreSQL COPY lines (table ${t.table})`,
    );
}

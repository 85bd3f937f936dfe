// The unit of database replication. Values are typed so that a row read on the primary is written
// on the secondary bit for bit: engines hand us their exact text forms (numeric, timestamps, JSON,
// UUID) as strings, so no precision is lost in JavaScript numbers.

/**
 * One column value. string: text and every type whose exact form is its text (numeric/decimal,
 * timestamps with and without time zone, JSON, UUID, PostgreSQL integers); boolean; Uint8Array:
 * binary; bigint: a 64-bit integer (SQLite INTEGER); number: a 64-bit float (SQLite REAL).
 */
export type Value = null | boolean | string | bigint | number | Uint8Array;

/**
 * An opaque, engine-specific replication position. '' means "no valid position": the secondary
 * must be reinitialised before changes can be applied.
 */
export type Position = string;

export interface TableChanges {
  /** Table name as the engine reports it (PostgreSQL: schema.table). */
  table: string;
  /** Replicated columns; each upsert row has one value per column, in this order. */
  columns: string[];
  /** Primary-key columns; each delete has one value per key column, in this order. */
  pkColumns: string[];
  /** Empty the table before applying (a TRUNCATE on the primary, or the first snapshot chunk). */
  truncate: boolean;
  /** Rows in their final state, ordered by their last change. */
  upserts: Value[][];
  /** Keys of rows that no longer exist. */
  deletes: Value[][];
  /**
   * Snapshot rows between two PostgreSQL databases: whole lines of COPY's text format, in
   * `columns` order, passed from COPY TO on the primary to COPY FROM on the secondary undecoded.
   * `release`, when there, lets the buffer of `data` be reused; the sender calls it once encoded.
   */
  copy?: { data: Uint8Array; rows: number; release?: () => void };
}

export interface Batch {
  /**
   * changes: applies only on a secondary whose applied position equals `from` (no gaps, no
   * duplicates). snapshot: a reinitialisation chunk; `to` is '' on every chunk but the last, so a
   * crash mid-reinitialisation leaves no valid position and reinitialisation starts over.
   */
  kind: 'changes' | 'snapshot';
  from: Position;
  to: Position;
  /**
   * True when the batch holds every change committed on the primary up to the moment it was read.
   * A batch cut by the size limit is not complete: rows carry current values, so until a complete
   * batch is applied the secondary may show part of a later transaction.
   */
  complete: boolean;
  tables: TableChanges[];
  /** Sequence name → value to set on the secondary (PostgreSQL), so inserts after a failover do not collide. */
  sequences: Record<string, string>;
}

export function emptyBatch(kind: Batch['kind'], from: Position, to: Position, complete = true): Batch {
  return { kind, from, to, complete, tables: [], sequences: {} };
}

/** Rows a table section writes (upserts and COPY lines). */
export function upsertCount(t: TableChanges): number {
  return t.upserts.length + (t.copy?.rows ?? 0);
}

export function batchRowCount(batch: Batch): number {
  return batch.tables.reduce((n, t) => n + upsertCount(t) + t.deletes.length + (t.truncate ? 1 : 0), 0);
}

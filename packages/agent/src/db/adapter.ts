// The contract every database engine implements (DESIGN.md "Database adapters share one contract").
// The row pipeline (part/row-sender.ts → a row sink → part/row-receiver.ts) only talks to this
// interface, so the contract tests run the same pipeline on every engine.
import type { Batch, Position } from './batch';

export interface TableInfo {
  /** Name as the engine reports it (PostgreSQL: schema.table; SQLite: table). */
  name: string;
  /** Replicated columns in table order (PostgreSQL generated columns are left out). */
  columns: ColumnInfo[];
  /** Primary-key columns in key order; empty when the table has none. */
  pkColumns: string[];
}

export interface ColumnInfo {
  name: string;
  /** Declared type as the engine spells it; compared to detect schema changes. */
  type: string;
}

export interface InstallResult {
  /** Tables that now have change capture. */
  tables: string[];
  /** Tables whose capture was removed (dropped or no longer included). */
  removed: string[];
}

export interface SchemaChange {
  /** True when nothing changed since install(). */
  unchanged: boolean;
  added: string[];
  removed: string[];
  changed: { table: string; before: string; after: string }[];
  /** One sentence for the operator, e.g. for DbSyncProblemFatal. */
  summary: string;
}

export interface ChangeSet {
  batch: Batch;
  /** Position to ask for next time (equals batch.to). */
  nextPosition: Position;
}

export interface SnapshotInfo {
  /** Where change replication continues after the snapshot has been applied. */
  position: Position;
  /** Tables and their row counts at the snapshot, for progress reporting. */
  tables: { name: string; rows: number }[];
  /**
   * Chunks of at most about maxBytes each, all from one consistent snapshot. The first chunk of
   * each table has truncate=true; the last chunk overall carries `to: position`.
   */
  chunks: AsyncIterable<Batch>;
}

/**
 * reinit (default): the position starts replication (PostgreSQL logical capture creates its slot
 * here). read: only the rows matter (checksums); the position is not to be used.
 */
export type SnapshotPurpose = 'reinit' | 'read';

export interface SnapshotOnly {
  tables: string[];
  position: Position;
}

export interface BacklogEntry {
  table: string;
  entries: number;
}

export interface BackupInfo {
  file: string;
  position: Position;
}

export interface DbAdapter {
  readonly engine: 'sqlite' | 'postgres' | 'mssql';
  /** Installs (or refreshes) change capture. Idempotent. Refuses tables without a primary key, naming them. */
  install(): Promise<InstallResult>;
  /** Tables discovered in the database after include/exclude, with their columns and keys. */
  listTables(): Promise<TableInfo[]>;
  /**
   * Committed changes after `position`, collapsed per row to its final state, read in one snapshot.
   * Only tables whose columns are as install() recorded them are read: a table whose columns
   * changed is left out (its changes are skipped) until install() runs again (detectSchemaChange).
   */
  changesSince(position: Position, maxBytes: number): Promise<ChangeSet>;
  /**
   * A full copy of the tracked tables (as changesSince, those whose columns are as installed) from
   * one consistent snapshot (reinitialisation). With `only`, just those tables, and the last chunk
   * carries `only.position` (the secondary's applied position, which stays valid: changes of these
   * tables after it are applied again on top of the copy, and rows carry current values).
   */
  snapshot(maxBytes: number, only?: SnapshotOnly, purpose?: SnapshotPurpose): Promise<SnapshotInfo>;
  /**
   * Applies a batch in one transaction that also records batch.to as the applied position.
   * A changes batch whose `from` differs from the applied position is refused (DbReinitRequired).
   */
  apply(batch: Batch): Promise<void>;
  /** The position recorded by the last committed apply ('' when none or mid-reinitialisation). */
  appliedPosition(): Promise<Position>;
  /** Sets the applied position without copying data ("fix synchronization state", guide §7.3.2.6). */
  setAppliedPosition(position: Position): Promise<void>;
  /** The position a secondary that is identical to this database right now would continue from. */
  currentPosition(): Promise<Position>;
  /**
   * Change-log entries not trimmed yet, per table: what the peer has not acknowledged (one grouped
   * count; absent where the engine keeps no log of its own, SQL Server Change Tracking).
   */
  backlog?(): Promise<BacklogEntry[]>;
  /** Deletes change-log entries up to `position` (after the secondary acknowledged it). */
  trim(position: Position): Promise<void>;
  /** Backs up the database; the backup's position is written beside it (`file`.position.json). */
  backup(file: string): Promise<BackupInfo>;
  /** Replaces the database with a backup and records the backup's position as applied. */
  restore(file: string): Promise<BackupInfo>;
  /** Compares the tables and columns now with those recorded by install(). */
  detectSchemaChange(): Promise<SchemaChange>;
  /**
   * Which capture runs and what it holds back (PostgreSQL): logical capture's slot retains WAL
   * until trim(); past database.maxSlotWalMiB the slot is dropped and this rejects with
   * DbReinitRequired (the next read asks for a reinitialisation).
   */
  captureStatus?(): Promise<{ mode: 'triggers' | 'logical'; retainedWalBytes: number }>;
  /** This agent no longer sends: drop what only a sender needs (a logical replication slot). */
  stopCapture?(): Promise<void>;
  /** Called soon after a commit on a tracked table (PostgreSQL LISTEN/NOTIFY); returns an unsubscribe function. */
  onChange(cb: () => void): () => void;
  close(): Promise<void>;
}

export interface DbAdapterOptions {
  /** Glob patterns of tables to replicate (default all). */
  include: string[];
  /** Glob patterns of tables not replicated. */
  exclude: string[];
}

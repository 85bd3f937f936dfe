// The database part's figures for Status.database, kept by the sender and the receiver as they
// work. The error state always carries its error (Syncthing's folder state rule).
import type { DatabaseStatus, ReinitProgress, TableRows } from '@sparesync/common';
import { isSpareSyncError } from '@sparesync/common';
import type { DbFlags } from './flags';

export type Phase =
  'disabled' | 'idle' | 'connecting' | 'following' | 'receiving' | 'reinitializing' | 'waiting' | 'failed';

/** "Code: message" for an error, the form Status.database.lastError and RowAck carry. */
export function describeError(e: unknown): { code: string; message: string } {
  if (isSpareSyncError(e)) return { code: e.code, message: e.message };
  return { code: 'Internal', message: e instanceof Error ? e.message : String(e) };
}

export class DbStatusTracker {
  readonly s: DatabaseStatus;
  /** When the oldest change not yet acknowledged was first seen (null when caught up). */
  pendingSince: number | null = null;

  constructor(
    engine: string,
    private readonly now: () => number,
  ) {
    this.s = {
      engine,
      phase: engine === 'none' ? 'disabled' : 'idle',
      tables: [],
      sourcePosition: '',
      appliedPosition: '',
      rowsPending: 0,
      lagMs: 0,
      lastError: '',
      lastErrorAtMs: 0,
      rowsReplicated: 0,
      batchesReplicated: 0,
      reinitRequested: false,
      backupReinitRequested: false,
      fixRequested: false,
      reinit: null,
      capture: '',
      slotRetainedWalBytes: 0,
    };
  }

  phase(p: Phase): void {
    this.s.phase = p;
  }

  flags(f: DbFlags): void {
    this.s.reinitRequested = f.reinit;
    this.s.backupReinitRequested = f.backupReinit;
    this.s.fixRequested = f.fix;
  }

  error(e: unknown): string {
    const { code, message } = describeError(e);
    this.s.lastError = `${code}: ${message}`;
    this.s.lastErrorAtMs = this.now();
    return this.s.lastError;
  }

  /** Clears the error; true when there was one (so the caller reports ProblemCleared once). */
  clearError(): boolean {
    const had = this.s.lastError !== '';
    this.s.lastError = '';
    return had;
  }

  applied(rows: number, readAtMs: number): void {
    this.s.rowsReplicated += rows;
    this.s.batchesReplicated++;
    if (readAtMs > 0) this.s.lagMs = Math.max(0, this.now() - readAtMs);
  }

  reinitBegin(kind: 'snapshot' | 'backup', tables: TableRows[]): ReinitProgress {
    this.s.reinit = {
      active: true,
      kind,
      tables,
      tablesDone: 0,
      rowsDone: 0,
      rowsTotal: tables.reduce((n, t) => n + t.rows, 0),
      bytesDone: 0,
      bytesTotal: 0,
      startedAtMs: this.now(),
      finishedAtMs: 0,
      error: '',
    };
    this.phase('reinitializing');
    return this.s.reinit;
  }

  /** Counts rows of a snapshot chunk; a table is done once a later table's rows arrive. */
  reinitRows(perTable: { table: string; rows: number }[]): void {
    const r = this.s.reinit;
    if (!r) return;
    for (const t of perTable) {
      r.rowsDone += t.rows;
      const i = r.tables.findIndex((x) => x.name === t.table);
      if (i > r.tablesDone) r.tablesDone = i;
    }
  }

  reinitEnd(error?: unknown): void {
    const r = this.s.reinit;
    if (!r || !r.active) return;
    r.active = false;
    r.finishedAtMs = this.now();
    if (error === undefined) r.tablesDone = r.tables.length;
    else r.error = this.error(error);
  }

  snapshot(): DatabaseStatus {
    // Sending side: age of the oldest unacknowledged change. Receiving side: arrival of the last
    // batch minus the sender's read time (both clocks; the link keeps them within
    // link.maxClockOffsetSeconds).
    const lag = this.pendingSince === null ? this.s.lagMs : Math.max(0, this.now() - this.pendingSince);
    return {
      ...this.s,
      lagMs: lag,
      reinit: this.s.reinit ? { ...this.s.reinit } : null,
    };
  }
}

// The replicator core: moves batches from a source adapter to a sink. The sink is the seam for the
// Link: in-process it is the secondary's adapter behind an encode/decode round trip; over the Link
// it will be the row stream, whose acknowledgement comes after the secondary's commit.
//
// Ordering that makes a crash at any point safe: the sink commits rows and position in one
// transaction; only after that acknowledgement does the source trim its change log. A crash before
// the commit re-sends the same batch (from = applied position), a crash after it skips nothing.
import { SpareSyncError } from '@sparesync/common';
import type { DbAdapter } from './adapter';
import { batchRowCount, upsertCount, type Batch, type Position } from './batch';
import { decodeBatch, encodeBatch } from './codec';
import { notReplicated as tablesNotReplicated } from './tables';

export interface BatchSink {
  apply(batch: Batch): Promise<void>;
  appliedPosition(): Promise<Position>;
}

/** The secondary's adapter behind the wire encoding, so in-process tests exercise the codec too. */
export function localSink(target: DbAdapter, maxPayloadBytes = Infinity): BatchSink {
  return {
    apply: (batch) => target.apply(decodeBatch(encodeBatch(batch), maxPayloadBytes)),
    appliedPosition: () => target.appliedPosition(),
  };
}

export interface SyncResult {
  batches: number;
  rows: number;
  position: Position;
  /** The last batch held everything committed when it was read. */
  caughtUp: boolean;
  /** Tables left out because their shape changed since install() (adapter.ts changesSince). */
  notReplicated: string[];
}

export interface ReinitProgress {
  tables: { name: string; rows: number }[];
  rowsDone: number;
  rowsTotal: number;
}

export class Replicator {
  constructor(
    private readonly source: DbAdapter,
    private readonly sink: BatchSink,
    private readonly maxBatchBytes: number,
  ) {}

  /** Sends batches until the secondary holds everything committed when the last one was read. */
  async syncOnce(): Promise<SyncResult> {
    let position = await this.sink.appliedPosition();
    if (position === '') {
      throw new SpareSyncError(
        'DbReinitRequired',
        'The secondary has no replication position (first start or an interrupted reinitialisation)',
      );
    }
    // Tables added, removed or with other columns are not read (changesSince) until the scripts
    // are installed again; the others go on.
    const notReplicated = tablesNotReplicated(await this.source.detectSchemaChange());
    const result: SyncResult = { batches: 0, rows: 0, position, caughtUp: false, notReplicated };
    for (;;) {
      const { batch, nextPosition } = await this.source.changesSince(position, this.maxBatchBytes);
      if (nextPosition !== position || batch.tables.length) {
        await this.sink.apply(batch);
        // Acknowledged: the secondary committed it, so the primary no longer needs these entries.
        await this.source.trim(nextPosition);
        result.batches++;
        result.rows += batchRowCount(batch);
        position = nextPosition;
      }
      if (batch.complete) break;
    }
    return { ...result, position, caughtUp: true };
  }

  /**
   * Full copy from one consistent snapshot, then the secondary continues from the snapshot's
   * position. With `tables`, copies just those and the secondary keeps its position (the tables
   * reinitialised after install-scripts, adapter.ts snapshot).
   */
  async reinitialize(
    onProgress: (p: ReinitProgress) => void = () => {},
    tables?: string[],
  ): Promise<Position> {
    const only = tables && { tables, position: await this.sink.appliedPosition() };
    const snap = await this.source.snapshot(this.maxBatchBytes, only);
    const progress: ReinitProgress = {
      tables: snap.tables,
      rowsDone: 0,
      rowsTotal: snap.tables.reduce((n, t) => n + t.rows, 0),
    };
    onProgress(progress);
    for await (const chunk of snap.chunks) {
      await this.sink.apply(chunk);
      progress.rowsDone += chunk.tables.reduce((n, t) => n + upsertCount(t), 0);
      onProgress(progress);
    }
    return snap.position;
  }

  /**
   * Reinitialisation through a backup (guide §11.2): back up the primary to `primaryPath`, and
   * restore the file the secondary reaches at `secondaryPath` (the same file when one machine
   * sees both, or a copy made by `transfer`).
   */
  async reinitializeFromBackup(
    target: DbAdapter,
    primaryPath: string,
    secondaryPath = primaryPath,
    transfer: (from: string, to: string) => Promise<void> = async () => {},
  ): Promise<Position> {
    const made = await this.source.backup(primaryPath);
    if (secondaryPath !== primaryPath) await transfer(primaryPath, secondaryPath);
    const restored = await target.restore(secondaryPath);
    if (restored.position !== made.position) {
      throw new SpareSyncError(
        'DbReinitRequired',
        `Restored backup ${secondaryPath} is not the one just made at ${primaryPath}`,
      );
    }
    return restored.position;
  }

  /**
   * Follows the source until `signal` aborts: a commit wakes it at once (onChange), and the
   * iteration pause is the fallback poll. Errors go to `onError`, which decides whether to go on.
   */
  async follow(pauseMs: number, signal: AbortSignal, onError: (e: unknown) => boolean): Promise<void> {
    // `dirty` remembers a commit that arrived while a sync was running, so it is not left to the poll.
    let dirty = false;
    let wake: (() => void) | null = null;
    const poke = () => {
      dirty = true;
      wake?.();
    };
    const unsubscribe = this.source.onChange(poke);
    signal.addEventListener('abort', poke);
    try {
      while (!signal.aborted) {
        dirty = false;
        try {
          await this.syncOnce();
        } catch (e) {
          if (!onError(e)) return;
        }
        if (dirty || signal.aborted) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pauseMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    } finally {
      unsubscribe();
      signal.removeEventListener('abort', poke);
    }
  }
}

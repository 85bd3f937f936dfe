// The receiving side of the Link Rows stream. Each frame is handled to the end (for rows: applied
// in one transaction together with its end position) before it is acknowledged; frames are handled
// one at a time across streams, so a stream left over from a dropped connection cannot interleave
// with the new one (the adapter's `from` check refuses anything that does not follow).
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { SpareSyncError } from '@sparesync/common';
import type { DbAdapter } from '../adapter';
import { batchRowCount, upsertCount, type Batch } from '../batch';
import { decodeBatch } from '../codec';
import { fenceRefusal } from '../../link/stream-fence';
import type { PartContext } from '../../parts';
import { BackupWriter, removeBackup, type BackupDirs } from './backup-transfer';
import { describeError, type DbStatusTracker } from './db-status';
import type { DbFlagFile } from './flags';
import type { RowAck, RowBatchIn } from './row-frames';

export interface ReceiverDeps {
  ctx: PartContext;
  adapter: DbAdapter;
  tracker: DbStatusTracker;
  flags: DbFlagFile;
  dirs: BackupDirs;
  /** Largest payload accepted (link.maxMessageBytes). */
  maxPayloadBytes: number;
  /** True while this agent's direction is receive. */
  receiving(): boolean;
}

type Call = grpc.ServerDuplexStream<unknown, unknown>;

export class RowReceiver {
  private queue: Promise<unknown> = Promise.resolve();
  /** The tables this side replicates (its own database.tables and catalog), read once a session. */
  private replicated: Set<string> | null = null;
  private readonly calls = new Set<Call>();
  private readonly backup: BackupWriter;

  constructor(private readonly d: ReceiverDeps) {
    this.backup = new BackupWriter(d.dirs, d.adapter.engine);
  }

  handle(call: Call): void {
    this.calls.add(call);
    void this.serve(call).finally(() => this.calls.delete(call));
  }

  /** Ends the open streams so the sender opens a new one and reads this side's requests (RowsHello). */
  interrupt(reason: string): void {
    for (const call of this.calls) call.emit('error', { code: grpc.status.ABORTED, details: reason });
    this.calls.clear();
  }

  private async serve(call: Call): Promise<void> {
    try {
      for await (const raw of call) {
        const frame = raw as RowBatchIn;
        const fence = { epoch: this.d.ctx.epoch(), receiving: this.d.receiving() };
        const refusal = fenceRefusal('database rows', frame.epoch, fence);
        if (refusal) {
          if (refusal.code === grpc.status.FAILED_PRECONDITION) this.d.ctx.log.warn(refusal.details);
          call.emit('error', refusal);
          return;
        }
        const ack = await this.serialized(async () => {
          // A newer session replaced this call: frames still queued from it are not applied (a
          // snapshot chunk sent before the sender gave up would land in a table the new copy emptied).
          if (!this.calls.has(call)) return null;
          if (frame.body === 'hello') this.supersede(call);
          return this.handleFrame(frame);
        });
        if (!ack || !this.calls.has(call)) return;
        call.write(ack);
      }
      call.end();
    } catch (e) {
      // The stream broke (the sender went away); a backup in flight is discarded.
      this.d.ctx.log.debug('database row stream ended', { err: describeError(e).message });
      await this.backup.abort();
    }
  }

  /** The sender opened a new session on `current`: every older call of this receiver ends. */
  private supersede(current: Call): void {
    for (const other of this.calls) {
      if (other === current) continue;
      this.calls.delete(other);
      other.emit('error', {
        code: grpc.status.ABORTED,
        details: 'a newer database row stream replaced this one',
      });
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => {});
    return next;
  }

  private async handleFrame(f: RowBatchIn): Promise<RowAck> {
    const { adapter, tracker, flags } = this.d;
    let appliedPosition: string | null = null;
    let error = '';
    let errorCode = '';
    try {
      switch (f.body) {
        case 'hello':
          if (f.hello?.engine !== adapter.engine) {
            throw new SpareSyncError(
              'DbSetupInvalid',
              `the sending agent replicates a ${f.hello?.engine ?? '?'} database, but database.engine here is ${adapter.engine}`,
            );
          }
          this.replicated = null; // a new session: the catalog is read again at its first batch
          tracker.phase('receiving');
          break;
        case 'reinitBegin':
          tracker.reinitBegin(
            f.reinitBegin?.kind === 'backup' ? 'backup' : 'snapshot',
            f.reinitBegin?.tables ?? [],
          );
          break;
        case 'payload': {
          const t0 = performance.now();
          const batch = decodeBatch(f.payload ?? Buffer.alloc(0), this.d.maxPayloadBytes);
          await this.refuseForeignTables(batch);
          await adapter.apply(batch);
          // The receiver's stage of a batch's lag (`pnpm bench db` reads these lines).
          this.d.ctx.log.debug('batch applied', {
            to: batch.to,
            rows: batchRowCount(batch),
            applyMs: Math.round((performance.now() - t0) * 100) / 100,
          });
          tracker.applied(batchRowCount(batch), f.readAtMs);
          appliedPosition = batch.to;
          if (batch.to) tracker.s.sourcePosition = batch.to;
          if (batch.kind === 'snapshot') {
            tracker.reinitRows(batch.tables.map((t) => ({ table: t.table, rows: upsertCount(t) })));
            if (batch.to !== '') this.finishReinit();
          }
          break;
        }
        case 'setPosition':
          await adapter.setAppliedPosition(f.setPosition?.position ?? '');
          flags.update({ fix: false, reinit: false, backupReinit: false });
          this.d.ctx.log.info('synchronisation state fixed without copying (operator request)');
          break;
        case 'backupChunk': {
          const c = f.backupChunk!;
          if (tracker.s.reinit) {
            tracker.s.reinit.bytesDone = c.offset + c.data.length;
            tracker.s.reinit.bytesTotal = c.size;
          }
          const file = await this.backup.write(c);
          if (file) {
            const restored = await adapter.restore(file);
            await removeBackup(file).catch(() => {});
            appliedPosition = restored.position;
            this.finishReinit();
          }
          break;
        }
      }
      if (tracker.s.phase !== 'reinitializing') tracker.phase('receiving');
      if (tracker.clearError()) this.d.ctx.report({ type: 'ProblemCleared', source: 'db' });
    } catch (e) {
      ({ code: errorCode, message: error } = describeError(e));
      tracker.reinitEnd(e);
      const line = tracker.error(e);
      this.d.ctx.log.warn('database rows not applied', { err: line });
      this.d.ctx.report({
        type: 'DbSyncProblem',
        fatal: false,
        connection: errorCode === 'DbUnavailable',
        detail: line,
      });
    }
    appliedPosition ??= await adapter.appliedPosition().catch(() => tracker.s.appliedPosition);
    tracker.s.appliedPosition = appliedPosition;
    tracker.flags(flags.read());
    const mine = flags.read();
    return {
      seq: f.seq,
      appliedPosition,
      error,
      errorCode,
      epoch: this.d.ctx.epoch(),
      engine: adapter.engine,
      reinitRequested: mine.reinit,
      backupReinitRequested: mine.backupReinit,
      fixRequested: mine.fix,
    };
  }

  /**
   * The receiver trusts nothing the sender was not allowed to send (DESIGN.md): a batch that
   * names a table this side does not replicate (excluded or not included by its own
   * database.tables, SpareSync's own tables, or no such table) is refused whole, before anything
   * of it is applied. The catalog is read once a session and again when a name is new to it (a
   * table added on both sides since).
   */
  private async refuseForeignTables(batch: Batch): Promise<void> {
    const names = batch.tables.map((t) => t.table);
    const unknown = () => names.filter((n) => !this.replicated!.has(n));
    if (this.replicated && unknown().length === 0) return;
    this.replicated = new Set((await this.d.adapter.listTables()).map((t) => t.name));
    const foreign = [...new Set(unknown())];
    if (foreign.length === 0) return;
    throw new SpareSyncError(
      'DbBatchInvalid',
      `refused a row batch from the peer for table${foreign.length > 1 ? 's' : ''} this server does not replicate: ${foreign.join(', ')}; nothing of the batch was applied`,
      { hint: 'Both servers must have the same database.tables include/exclude lists and tables.' },
    );
  }

  private finishReinit(): void {
    this.d.flags.update({ reinit: false, backupReinit: false, fix: false });
    this.d.tracker.reinitEnd();
    this.d.tracker.phase('receiving');
    this.d.ctx.log.info('database reinitialisation received');
  }
}

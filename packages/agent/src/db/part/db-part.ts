// The database replication part (AgentPart): serves the Link Rows stream as the receiver, runs the
// sender while the composition root says `send`, serves the Db* Control operations and reports
// Status.database. Which way rows flow is never decided here (parts.ts, Direction).
import { SpareSyncError, type DbOperationReply, type Status } from '@sparesync/common';
import { createAdapter } from '../create';
import type { AgentPart, Direction, LinkHandler, PartContext } from '../../parts';
import { dbControlHandlers, type DbOperations } from './db-control';
import { DbReplication, type DbRequest } from './db-replication';
import { DbStatusTracker, describeError } from './db-status';
import { peerRows } from './rows-stream';
import { union } from './schema-watch';

/** How often Status.database's capture figures are read (and the slot's WAL cap checked). */
const CAPTURE_STATUS_MS = 5000;

export class DbPart implements AgentPart, DbOperations {
  readonly name = 'db';
  readonly link: Record<string, LinkHandler> = { rows: (call) => this.onRows(call) };
  readonly control = dbControlHandlers(() => this);
  private run: DbReplication | null = null;
  private tracker = new DbStatusTracker('none', Date.now);
  private dir: Direction = 'idle';
  private started = false;
  private ctx: PartContext | null = null;
  private captureTimer: NodeJS.Timeout | null = null;

  async start(ctx: PartContext): Promise<void> {
    const db = ctx.settings.database;
    this.tracker = new DbStatusTracker(db.engine, ctx.now);
    const adapter = createAdapter(db, (p) => ctx.loaded.resolvePath(p));
    this.started = true;
    if (!adapter) return;
    const tracker = this.tracker;
    const run = new DbReplication({
      ctx,
      adapter,
      tracker,
      open: peerRows(ctx),
      direction: () => this.dir,
    });
    this.run = run;
    const flags = run.flags;
    tracker.flags(flags.read());
    this.ctx = ctx;
    this.captureTimer = setInterval(() => void this.refreshCapture(), CAPTURE_STATUS_MS);
    this.captureTimer.unref();
    void this.refreshCapture();
    try {
      if (!flags.read().installed && db.installOnFirstStart) await this.install();
      else tracker.s.tables = [...(await adapter.listTables())].map((t) => t.name);
      tracker.s.appliedPosition = await adapter.appliedPosition();
    } catch (e) {
      // The agent keeps running (link, status, the operator's install-scripts); replication waits.
      const line = tracker.error(e);
      ctx.log.error('database replication cannot start', { err: line });
      ctx.report({ type: 'DbSyncProblem', fatal: true, connection: false, detail: line });
    }
  }

  direction(d: Direction): void {
    this.dir = d;
    const run = this.run;
    if (!run) return;
    if (d === 'send') run.sender.start();
    else {
      const stopped = run.sender.stop();
      // The other agent sends now: a logical slot here would only retain WAL (the next time this
      // agent sends, a reinitialisation creates a new one).
      if (d === 'receive')
        void stopped
          .then(() => run.adapter.stopCapture?.())
          .catch((e: unknown) =>
            this.ctx?.log.warn('could not drop the replication slot', { err: describeError(e).message }),
          );
      if (d === 'idle') run.receiver.interrupt('database replication is idle on this agent');
      if (this.tracker.s.phase !== 'waiting' && this.tracker.s.phase !== 'failed')
        this.tracker.phase(d === 'receive' ? 'receiving' : 'idle');
    }
  }

  /** The switch back (reverse sync) and a planned switch wait for this (DbReplication.synced). */
  async synced(timeoutMs: number): Promise<void> {
    const run = this.run;
    if (!run) {
      if (this.started && this.tracker.s.engine === 'none') return;
      throw new Error('database replication has not started on this agent');
    }
    await run.synced(timeoutMs);
  }

  /** Status.database.capture and the slot's retained WAL; the adapter drops a slot past its cap. */
  private async refreshCapture(): Promise<void> {
    const run = this.run;
    if (!run?.adapter.captureStatus) return;
    try {
      const c = await run.adapter.captureStatus();
      this.tracker.s.capture = c.mode;
      this.tracker.s.slotRetainedWalBytes = c.retainedWalBytes;
    } catch (e) {
      const { code, message } = describeError(e);
      if (code !== 'DbReinitRequired') return; // unreachable database: the sender reports it
      this.tracker.s.slotRetainedWalBytes = 0;
      this.ctx?.log.error('replication slot dropped', { err: message });
      run.sender.kick(); // the next read reports it and asks for a reinitialisation
    }
  }

  status(): Partial<Status> {
    return { database: this.tracker.snapshot() };
  }

  async stop(): Promise<void> {
    if (this.captureTimer) clearInterval(this.captureTimer);
    const run = this.run;
    this.run = null;
    if (!run) return;
    await run.sender.stop();
    run.receiver.interrupt('the agent stops');
    await run.adapter.close().catch(() => {});
  }

  /**
   * Installs the scripts again after a schema change: the tables added or with other columns
   * are then copied one by one by the sending side (schema-watch.ts); the others go on.
   */
  async installScripts(): Promise<DbOperationReply> {
    const run = this.running();
    const before = await run.adapter.detectSchemaChange().catch(() => null);
    const r = await this.install();
    const fresh = before ? [...before.added, ...before.changed.map((c) => c.table)] : [];
    const again = fresh.filter((t) => r.tables.includes(t));
    if (again.length) run.request({ reinitTables: union(run.flags.read().reinitTables, again) });
    return {
      message: `Change capture installed on ${r.tables.length} table(s)${
        again.length ? `; reinitialisation of ${again.join(', ')} is requested (the other tables go on)` : ''
      }.`,
      tables: r.tables,
      removed: r.removed,
    };
  }

  async requestReinit(fromBackup: boolean): Promise<DbOperationReply> {
    this.request(fromBackup ? { backupReinit: true } : { reinit: true });
    return {
      message: fromBackup
        ? 'Reinitialisation through a backup is requested; the sending agent starts it as soon as replication runs.'
        : 'Reinitialisation is requested; the sending agent starts it as soon as replication runs.',
      tables: this.tracker.s.tables,
      removed: [],
    };
  }

  async requestFix(): Promise<DbOperationReply> {
    this.request({ fix: true });
    return {
      message:
        'The synchronisation state will be marked as in sync, without copying, as soon as replication runs.',
      tables: this.tracker.s.tables,
      removed: [],
    };
  }

  private running(): DbReplication {
    if (!this.run) {
      throw new SpareSyncError(
        'DbSetupInvalid',
        'database replication is off on this agent (database.engine is none)',
        {
          hint: 'Set database.engine and its connection settings, then restart the agent.',
        },
      );
    }
    return this.run;
  }

  private async install() {
    const run = this.running();
    const r = await run.adapter.install();
    run.flags.update({ installed: true });
    this.tracker.s.tables = r.tables;
    this.tracker.flags(run.flags.read());
    if (this.tracker.clearError()) run.ctx.report({ type: 'ProblemCleared', source: 'db' });
    run.ctx.log.info('database change capture installed', { tables: r.tables, removed: r.removed });
    return r;
  }

  private request(change: DbRequest): void {
    this.running().request(change);
  }

  private onRows(call: Parameters<LinkHandler>[0]): void {
    if (!this.run) {
      // Not started yet, or no database here: the sender retries.
      const off = this.tracker.s.engine === 'none' && this.started;
      call.emit('error', {
        code: 14,
        details: off
          ? 'database replication is off on this agent (database.engine is none)'
          : 'database replication is still starting on this agent',
      });
      return;
    }
    this.run.receiver.handle(call);
  }
}

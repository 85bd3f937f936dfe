// The database replication part (AgentPart): serves the Link Rows stream as the receiver, runs the
// sender while the composition root says `send`, serves the Db* Control operations and reports
// Status.database. Which way rows flow is never decided here (parts.ts, Direction).
import { join } from 'node:path';
import { SpareSyncError, type DbOperationReply, type Status } from '@sparesync/common';
import type { DbAdapter } from '../adapter';
import { createAdapter, maxBatchBytes } from '../create';
import type { AgentPart, Direction, LinkHandler, PartContext } from '../../parts';
import { backupDirs } from './backup-transfer';
import { dbControlHandlers, type DbOperations } from './db-control';
import { DbStatusTracker } from './db-status';
import { DbFlagFile } from './flags';
import { RowReceiver } from './row-receiver';
import { union } from './schema-watch';
import { RowSender } from './row-sender';

interface Running {
  ctx: PartContext;
  adapter: DbAdapter;
  flags: DbFlagFile;
  sender: RowSender;
  receiver: RowReceiver;
}

export class DbPart implements AgentPart, DbOperations {
  readonly name = 'db';
  readonly link: Record<string, LinkHandler> = { rows: (call) => this.onRows(call) };
  readonly control = dbControlHandlers(() => this);
  private run: Running | null = null;
  private tracker = new DbStatusTracker('none', Date.now);
  private dir: Direction = 'idle';
  private started = false;

  async start(ctx: PartContext): Promise<void> {
    const db = ctx.settings.database;
    this.tracker = new DbStatusTracker(db.engine, ctx.now);
    const adapter = createAdapter(db, (p) => ctx.loaded.resolvePath(p));
    this.started = true;
    if (!adapter) return;
    const flags = new DbFlagFile(join(ctx.loaded.resolvePath(ctx.settings.dataDir), 'db-replication.json'));
    const dirs = backupDirs(ctx.loaded);
    const tracker = this.tracker;
    const deps = { ctx, adapter, tracker, flags, dirs };
    const maxMessageBytes = ctx.settings.link.maxMessageBytes;
    this.run = {
      ...deps,
      sender: new RowSender({
        ...deps,
        maxBatchBytes: maxBatchBytes(ctx.settings),
        maxMessageBytes,
        pauseMs: ctx.settings.network.dbIterationPauseSeconds * 1000,
      }),
      receiver: new RowReceiver({
        ...deps,
        maxPayloadBytes: maxMessageBytes,
        receiving: () => this.dir === 'receive',
      }),
    };
    tracker.flags(flags.read());
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
      void run.sender.stop();
      if (d === 'idle') run.receiver.interrupt('database replication is idle on this agent');
      if (this.tracker.s.phase !== 'waiting' && this.tracker.s.phase !== 'failed')
        this.tracker.phase(d === 'receive' ? 'receiving' : 'idle');
    }
  }

  /**
   * Resolves once this side sends, no reinitialisation is under way or requested, and a read of
   * the change log begun after this call found it drained with every batch acknowledged (the
   * receiver committed it). Used by the switch back (reverse sync) and a planned switch.
   */
  async synced(timeoutMs: number): Promise<void> {
    const run = this.run;
    if (!run) {
      if (this.started && this.tracker.s.engine === 'none') return;
      throw new Error('database replication has not started on this agent');
    }
    const deadline = run.ctx.now() + timeoutMs;
    const ticket = run.sender.checkDrained();
    for (;;) {
      if (this.dir !== 'send') throw new Error(`database replication is ${this.dir}, not sending`);
      const f = run.flags.read();
      const reinit =
        !!this.tracker.s.reinit?.active ||
        f.reinit ||
        f.backupReinit ||
        f.fix ||
        f.reinitTables.length > 0 ||
        f.awaitingInstall.length > 0;
      if (!reinit && run.sender.drained(ticket)) return;
      if (run.ctx.now() >= deadline) throw new Error(await this.notSynced(run, timeoutMs));
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(50, deadline - run.ctx.now()))));
    }
  }

  private async notSynced(run: Running, timeoutMs: number): Promise<string> {
    const s = this.tracker.s;
    const why: string[] = [];
    const f = run.flags.read();
    if (s.reinit?.active)
      why.push(`reinitialisation under way (${s.reinit.rowsDone} of ${s.reinit.rowsTotal} rows)`);
    else if (f.reinit || f.backupReinit || f.fix)
      why.push('an operator request (reinit or fix-sync) is not carried out yet');
    else if (f.reinitTables.length) why.push(`tables to reinitialise: ${f.reinitTables.join(', ')}`);
    if (f.awaitingInstall.length)
      why.push(`tables not replicated until install-scripts: ${f.awaitingInstall.join(', ')}`);
    const log = await run.adapter.backlog?.().catch(() => undefined);
    const rows = log ? log.reduce((n, e) => n + e.entries, 0) : s.rowsPending;
    const tables = log?.map((e) => `${e.table} (${e.entries})`).join(', ');
    why.push(`${rows} row change(s) pending${tables ? ` in ${tables}` : ''}`);
    if (s.lastError) why.push(`last error: ${s.lastError}`);
    return `database not in sync after ${Math.round(timeoutMs / 1000)} s, phase ${s.phase}: ${why.join('; ')}`;
  }

  status(): Partial<Status> {
    return { database: this.tracker.snapshot() };
  }

  async stop(): Promise<void> {
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
    if (again.length) {
      run.flags.update({ reinitTables: union(run.flags.read().reinitTables, again) });
      this.wakeBothSides();
    }
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

  private running(): Running {
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

  private request(change: { reinit?: boolean; backupReinit?: boolean; fix?: boolean }): void {
    const run = this.running();
    run.flags.update(change);
    this.tracker.flags(run.flags.read());
    run.ctx.log.info('database operator request recorded', change);
    this.wakeBothSides();
  }

  /** The sender acts on its own requests at once; the receiver's travel in the next RowsHello. */
  private wakeBothSides(): void {
    const run = this.running();
    run.sender.kick();
    run.receiver.interrupt('an operator request was recorded on the receiving agent');
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

// One agent's row replication on one database: its operator requests (flags.ts), the sender it runs
// while its direction is `send` and the receiver that serves the peer's Rows stream. DbPart builds
// one from sparesync.json; the database contract tests build two (the sending agent's and the
// receiving agent's) joined by an in-process Rows call, so both run exactly this.
import { join } from 'node:path';
import type { Direction, PartContext } from '../../parts';
import type { DbAdapter } from '../adapter';
import { maxBatchBytes } from '../create';
import { backupDirs } from './backup-transfer';
import type { DbStatusTracker } from './db-status';
import { DbFlagFile, type DbFlags } from './flags';
import { RowReceiver } from './row-receiver';
import { RowSender } from './row-sender';
import type { RowSinkOpener } from './rows-stream';

export interface DbReplicationDeps {
  ctx: PartContext;
  adapter: DbAdapter;
  tracker: DbStatusTracker;
  /** Where the sender's sessions go (production: `peerRows(ctx)`, the Rows stream to the peer). */
  open: RowSinkOpener;
  /** This agent's direction now: the receiver refuses rows unless it is `receive`. */
  direction(): Direction;
}

export type DbRequest = Partial<Pick<DbFlags, 'reinit' | 'backupReinit' | 'fix' | 'reinitTables'>>;

export class DbReplication {
  readonly ctx: PartContext;
  readonly adapter: DbAdapter;
  readonly tracker: DbStatusTracker;
  readonly flags: DbFlagFile;
  readonly sender: RowSender;
  readonly receiver: RowReceiver;

  constructor(private readonly d: DbReplicationDeps) {
    const { ctx, adapter, tracker } = d;
    this.ctx = ctx;
    this.adapter = adapter;
    this.tracker = tracker;
    this.flags = new DbFlagFile(join(ctx.loaded.resolvePath(ctx.settings.dataDir), 'db-replication.json'));
    const deps = { ctx, adapter, tracker, flags: this.flags, dirs: backupDirs(ctx.loaded) };
    const maxMessageBytes = ctx.settings.link.maxMessageBytes;
    this.sender = new RowSender({
      ...deps,
      maxBatchBytes: maxBatchBytes(ctx.settings),
      maxMessageBytes,
      pauseMs: ctx.settings.network.dbIterationPauseSeconds * 1000,
      open: d.open,
    });
    this.receiver = new RowReceiver({
      ...deps,
      maxPayloadBytes: maxMessageBytes,
      receiving: () => d.direction() === 'receive',
    });
  }

  /**
   * Records an operator request durably and wakes both sides: the sender acts on its own requests
   * at once; the receiver's travel to the sender in the next RowsHello.
   */
  request(change: DbRequest): void {
    this.flags.update(change);
    this.tracker.flags(this.flags.read());
    this.ctx.log.info('database operator request recorded', change);
    this.sender.kick();
    this.receiver.interrupt('an operator request was recorded on the receiving agent');
  }

  /**
   * Resolves once this side sends, no reinitialisation is under way or requested, and a read of
   * the change log begun after this call found it drained with every batch acknowledged (the
   * receiver committed it). Rejects after `timeoutMs` naming what is pending and the last error.
   * Tables left out after a schema change keep it waiting too, unless `skipAwaitingInstall`.
   */
  async synced(timeoutMs: number, skipAwaitingInstall = false): Promise<void> {
    const deadline = this.ctx.now() + timeoutMs;
    const ticket = this.sender.checkDrained();
    for (;;) {
      const dir = this.d.direction();
      if (dir !== 'send') throw new Error(`database replication is ${dir}, not sending`);
      const f = this.flags.read();
      const reinit =
        !!this.tracker.s.reinit?.active ||
        f.reinit ||
        f.backupReinit ||
        f.fix ||
        f.reinitTables.length > 0 ||
        (f.awaitingInstall.length > 0 && !skipAwaitingInstall);
      if (!reinit && this.sender.drained(ticket)) return;
      if (this.ctx.now() >= deadline) throw new Error(await this.notSynced(timeoutMs));
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(50, deadline - this.ctx.now()))));
    }
  }

  private async notSynced(timeoutMs: number): Promise<string> {
    const s = this.tracker.s;
    const why: string[] = [];
    const f = this.flags.read();
    if (s.reinit?.active)
      why.push(`reinitialisation under way (${s.reinit.rowsDone} of ${s.reinit.rowsTotal} rows)`);
    else if (f.reinit || f.backupReinit || f.fix)
      why.push('an operator request (reinit or fix-sync) is not carried out yet');
    else if (f.reinitTables.length) why.push(`tables to reinitialise: ${f.reinitTables.join(', ')}`);
    if (f.awaitingInstall.length)
      why.push(`tables not replicated until install-scripts: ${f.awaitingInstall.join(', ')}`);
    const log = await this.adapter.backlog?.().catch(() => undefined);
    const rows = log ? log.reduce((n, e) => n + e.entries, 0) : s.rowsPending;
    const tables = log?.map((e) => `${e.table} (${e.entries})`).join(', ');
    why.push(`${rows} row change(s) pending${tables ? ` in ${tables}` : ''}`);
    if (s.lastError) why.push(`last error: ${s.lastError}`);
    return `database not in sync after ${Math.round(timeoutMs / 1000)} s, phase ${s.phase}: ${why.join('; ')}`;
  }
}

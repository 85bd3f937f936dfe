// Schema changes, table by table, on the sending side. A table added, dropped or whose columns
// changed since the scripts were installed is left out of replication (the adapter reads only
// tables whose columns are as installed) while the other tables go on; the operator is told which
// tables with a warning (DbSyncProblemWarn: a fatal problem would turn SpareSync off and stop the
// other tables too). Once `sparesync db install-scripts` has recorded a table's new shape, the
// sender copies that table alone (DbFlags.reinitTables) before it follows the change log again.
// The catalog is read at the start of each session, for every drained check (DbPart.synced must
// not pass a table that stopped) and otherwise at most once per fallback poll, not on every
// commit; the adapter itself reads only tables whose columns are as installed in every read.
import { SpareSyncError } from '@sparesync/common';
import type { DbAdapter } from '../adapter';
import { notReplicated } from '../tables';
import type { PartContext } from '../../parts';
import type { DbStatusTracker } from './db-status';
import type { DbFlagFile } from './flags';

export interface SchemaWatchDeps {
  ctx: PartContext;
  adapter: DbAdapter;
  tracker: DbStatusTracker;
  flags: DbFlagFile;
}

export function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

export class SchemaWatch {
  /** The summary last reported, so an unchanged problem is not reported on every read. */
  private reported = '';
  private checkedAt = -Infinity;
  private expiries = 0;
  private problem = false;

  constructor(private readonly d: SchemaWatchDeps) {}

  /**
   * Compares the schema with the installed one and records what changed (tables that stopped,
   * tables installed again and now due for reinitialisation). True while some table is not
   * replicated: the problem stands and must not be cleared. Answers from the last reading while
   * it is younger than `maxAgeMs`.
   */
  async check(maxAgeMs = 0): Promise<boolean> {
    const at = this.d.ctx.now();
    if (at - this.checkedAt < maxAgeMs) return this.problem;
    const expiries = this.expiries;
    this.problem = await this.read();
    // An expire() while the catalog was read asks for a reading begun after it.
    this.checkedAt = expiries === this.expiries ? at : -Infinity;
    return this.problem;
  }

  /** The next check() reads the catalog whatever its age (a new session; a drained check). */
  expire(): void {
    this.expiries++;
    this.checkedAt = -Infinity;
  }

  private async read(): Promise<boolean> {
    const { adapter, flags, ctx, tracker } = this.d;
    const change = await adapter.detectSchemaChange();
    const waiting = notReplicated(change);
    const f = flags.read();
    if (waiting.join('\0') !== f.awaitingInstall.join('\0')) {
      // A table that no longer waits was installed again (or is gone): copy it afresh.
      const installed = f.awaitingInstall.filter((t) => !waiting.includes(t));
      flags.update({ awaitingInstall: waiting, reinitTables: union(f.reinitTables, installed) });
      tracker.flags(flags.read());
    }
    if (!waiting.length) {
      this.reported = '';
      return false;
    }
    if (this.reported !== change.summary) {
      this.reported = change.summary;
      const line = tracker.error(new SpareSyncError('DbSetupInvalid', change.summary));
      ctx.log.warn('database tables not replicated until the scripts are installed again', {
        tables: waiting,
        err: line,
      });
      ctx.report({ type: 'DbSyncProblem', fatal: false, connection: false, detail: line });
    }
    return true;
  }
}

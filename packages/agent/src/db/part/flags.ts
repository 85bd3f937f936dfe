// Operator requests and the install record, kept in the agent's data folder so that a request made
// while replication is off (or the link is down) survives a restart and is carried out later
// (Patroni's rule: operator commands are recorded, the loop acts on them).
import { readFileSync } from 'node:fs';
import { SpareSyncError, writeFileDurablySync } from '@sparesync/common';

export interface DbFlags {
  /** Change capture was installed on this database by this agent at least once. */
  installed: boolean;
  /** Full reinitialisation requested (operator flag, install-scripts, or a sync error). */
  reinit: boolean;
  /** Reinitialisation through a backup requested. */
  backupReinit: boolean;
  /** "Fix synchronization state" requested. */
  fix: boolean;
  /**
   * Tables not replicated because their shape changed since the scripts were installed (added,
   * removed, other columns), as the sending side last saw them.
   */
  awaitingInstall: string[];
  /** Tables to copy again, one by one, after install-scripts recorded their new shape. */
  reinitTables: string[];
}

const NONE: DbFlags = {
  installed: false,
  reinit: false,
  backupReinit: false,
  fix: false,
  awaitingInstall: [],
  reinitTables: [],
};

export class DbFlagFile {
  private cached: DbFlags | null = null;

  constructor(readonly path: string) {}

  read(): DbFlags {
    if (this.cached) return this.cached;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return (this.cached = { ...NONE });
      throw new SpareSyncError('ConfigUnreadable', `cannot read ${this.path}: ${(e as Error).message}`);
    }
    try {
      const doc = JSON.parse(text) as Partial<DbFlags>;
      const flag = (k: keyof DbFlags) => doc[k] === true;
      const names = (k: keyof DbFlags) => {
        const v = doc[k];
        return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      };
      return (this.cached = {
        installed: flag('installed'),
        reinit: flag('reinit'),
        backupReinit: flag('backupReinit'),
        fix: flag('fix'),
        awaitingInstall: names('awaitingInstall'),
        reinitTables: names('reinitTables'),
      });
    } catch (e) {
      throw new SpareSyncError('ConfigUnreadable', `${this.path} is corrupt: ${(e as Error).message}`, {
        hint: 'Delete it: the database part then installs its scripts again and reinitialises.',
      });
    }
  }

  /** Changes some flags and writes them durably (temp file, fsync, rename). */
  update(change: Partial<DbFlags>): DbFlags {
    const next = { ...this.read(), ...change };
    writeFileDurablySync(this.path, JSON.stringify(next) + '\n', { mkdir: true });
    this.cached = next;
    return next;
  }
}

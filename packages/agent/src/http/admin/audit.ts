// The admin page's audit log: one JSON line per login, logout and operator action (who, from
// where, what, result), appended in the data folder and shown on the page. Appended in order
// with one write per entry; a torn last line after a crash is skipped when read.
import { appendFileSync, readFileSync } from 'node:fs';
import type { Logger } from '@sparesync/common';

export interface AuditEntry {
  atMs: number;
  user: string;
  address: string;
  action: string;
  /** ok, refused (by the agent or for the role), failed (an error), denied (login). */
  result: 'ok' | 'refused' | 'failed' | 'denied';
  detail: string;
}

export class AuditLog {
  constructor(
    private readonly file: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  write(e: Omit<AuditEntry, 'atMs'>): void {
    const entry: AuditEntry = { atMs: this.now(), ...e };
    this.log.info(`admin page: ${e.user || '-'} from ${e.address}: ${e.action} ${e.result}`, {
      detail: e.detail,
    });
    try {
      appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
    } catch (err) {
      this.log.error(`cannot append to the audit log ${this.file}`, { err });
    }
  }

  /** The newest `limit` entries, newest first. */
  recent(limit = 200): AuditEntry[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: AuditEntry[] = [];
    const lines = text.split('\n');
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      const line = lines[i];
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as AuditEntry);
      } catch {
        // a torn line from a crash mid-append
      }
    }
    return out;
  }
}

// Login sessions of the admin page, in memory: a restart logs everybody out. The id is 32 random
// bytes in an HttpOnly, SameSite=Strict cookie (Secure unless plain HTTP). A session ends after
// admin.sessionIdleMinutes without a request, at logout, or when its user is gone or changed role.
import { randomBytes } from 'node:crypto';
import type { AdminRole } from '@sparesync/common';

export const SESSION_COOKIE = 'sparesync_session';

export interface Session {
  id: string;
  user: string;
  role: AdminRole;
  address: string;
  lastMs: number;
}

export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(
    private readonly idleMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: string, role: AdminRole, address: string): Session {
    const s: Session = { id: randomBytes(32).toString('base64url'), user, role, address, lastMs: this.now() };
    this.byId.set(s.id, s);
    return s;
  }

  /** The live session (its idle clock restarts when `touch`), or undefined. */
  get(id: string | undefined, touch = true): Session | undefined {
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    const now = this.now();
    if (now - s.lastMs > this.idleMs()) {
      this.byId.delete(id);
      return undefined;
    }
    if (touch) s.lastMs = now;
    return s;
  }

  end(id: string | undefined): Session | undefined {
    const s = id ? this.byId.get(id) : undefined;
    if (s) this.byId.delete(s.id);
    return s;
  }
}

import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@sparesync/common';
import { AuditLog } from './audit';
import { LoginThrottle } from './login-throttle';
import { Sessions } from './sessions';

describe('Sessions', () => {
  it('ends a session after the idle time, at logout, and never knows a made-up id', () => {
    let now = 1_000;
    const sessions = new Sessions(
      () => 60_000,
      () => now,
    );
    const a = sessions.create('ops', 'operator', '127.0.0.1');
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    now += 59_000;
    expect(sessions.get(a.id)?.user).toBe('ops'); // a request restarts the idle clock
    now += 59_000;
    expect(sessions.get(a.id, false)?.user).toBe('ops');
    now += 2_000;
    expect(sessions.get(a.id)).toBeUndefined();
    const b = sessions.create('ops', 'operator', '127.0.0.1');
    expect(sessions.end(b.id)?.user).toBe('ops');
    expect(sessions.get(b.id)).toBeUndefined();
    expect(sessions.get('made-up')).toBeUndefined();
    expect(sessions.get(undefined)).toBeUndefined();
  });
});

describe('LoginThrottle', () => {
  it('lets three failures pass, then doubles the wait per failure; a success forgets the address', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 3; i++) {
      expect(t.waitMs('a')).toBe(0);
      t.failed('a');
    }
    expect(t.waitMs('a')).toBe(1000);
    expect(t.waitMs('b')).toBe(0);
    now += 1000;
    expect(t.waitMs('a')).toBe(0);
    t.failed('a');
    expect(t.waitMs('a')).toBe(2000);
    t.failed('a');
    expect(t.waitMs('a')).toBe(4000);
    t.succeeded('a');
    expect(t.waitMs('a')).toBe(0);
  });
});

describe('AuditLog', () => {
  it('appends JSON lines and reads the newest first, skipping a torn line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-')), 'admin-audit.jsonl');
    let now = 10;
    const audit = new AuditLog(file, silentLogger(), () => now++);
    expect(audit.recent()).toEqual([]);
    audit.write({ user: 'ops', address: '127.0.0.1', action: 'login', result: 'ok', detail: '' });
    audit.write({ user: 'ops', address: '127.0.0.1', action: 'turnOff {}', result: 'refused', detail: 'no' });
    appendFileSync(file, '{"atMs":12,"us');
    expect(audit.recent().map((e) => [e.atMs, e.action, e.result])).toEqual([
      [11, 'turnOff {}', 'refused'],
      [10, 'login', 'ok'],
    ]);
    expect(audit.recent(1)).toHaveLength(1);
  });
});

// The sender's schema check reads the catalog at most once per interval, again at once after
// expire() (a new session, a drained check), and never keeps a reading that began before expire().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@sparesync/common';
import type { PartContext } from '../../parts';
import type { DbAdapter, SchemaChange } from '../adapter';
import { diffSchema } from '../tables';
import { DbStatusTracker } from './db-status';
import { DbFlagFile } from './flags';
import { SchemaWatch } from './schema-watch';

describe('SchemaWatch', () => {
  let dir: string;
  let now = 0;
  let reads = 0;
  let change: SchemaChange;
  let gate: Promise<void> = Promise.resolve();
  let watch: SchemaWatch;
  const items = { name: 'items', columns: [{ name: 'id', type: 'INTEGER' }], pkColumns: ['id'] };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sparesync-schema-'));
    now = 0;
    reads = 0;
    change = diffSchema(new Map([['items', 'id INTEGER; key (id)']]), [items]);
    gate = Promise.resolve();
    const adapter = {
      detectSchemaChange: async () => {
        reads++;
        const seen = change;
        await gate;
        return seen;
      },
    } as unknown as DbAdapter;
    const ctx = {
      log: createLogger({ level: 'error', console: false }),
      report: () => undefined,
      now: () => now,
    } as unknown as PartContext;
    const flags = new DbFlagFile(join(dir, 'db-replication.json'));
    watch = new SchemaWatch({ ctx, adapter, tracker: new DbStatusTracker('sqlite', () => now), flags });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers from its last reading within the interval, and reads again after it or after expire()', async () => {
    expect(await watch.check(5000)).toBe(false);
    change = diffSchema(new Map([['items', 'id INTEGER; key (id)']]), [items, { ...items, name: 'extra' }]);
    now = 4999;
    expect(await watch.check(5000)).toBe(false);
    expect(reads).toBe(1);
    now = 5000;
    expect(await watch.check(5000)).toBe(true);
    expect(reads).toBe(2);
    watch.expire();
    expect(await watch.check(5000)).toBe(true);
    expect(reads).toBe(3);
    expect(await watch.check()).toBe(true); // no interval: every call reads
    expect(reads).toBe(4);
  });

  it('a reading under way when expire() is called does not count for the next check', async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const first = watch.check(5000);
    watch.expire();
    open();
    await first;
    gate = Promise.resolve();
    await watch.check(5000);
    expect(reads).toBe(2);
  });
});

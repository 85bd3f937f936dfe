// The row receiver checks every batch against its own settings: rows (truncates included) for a
// table this side excludes, does not include, or does not have, or for SpareSync's own tables, are
// refused whole with nothing applied; a batch of replicated tables applies. A real SQLite database.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@sparesync/common';
import type { PartContext } from '../../parts';
import type { Batch, TableChanges } from '../batch';
import { encodeBatch } from '../codec';
import SqliteDatabase from 'better-sqlite3';
import { SqliteAdapter } from '../sqlite/sqlite-adapter';
import { DbStatusTracker } from './db-status';
import { DbFlagFile } from './flags';
import { RowReceiver } from './row-receiver';
import type { RowAck, RowBatchIn } from './row-frames';

/** A Rows call fed by the test: frames in, acks out. */
class FakeCall extends EventEmitter {
  readonly acks: RowAck[] = [];
  constructor() {
    super();
    this.on('error', (e) => (this.ended = e));
  }
  private readonly queue: RowBatchIn[] = [];
  private wake: (() => void) | undefined;
  push(frame: RowBatchIn): void {
    this.queue.push(frame);
    this.wake?.();
  }
  write(ack: RowAck): boolean {
    this.acks.push(ack);
    return true;
  }
  ended: unknown = null;
  end(): void {}
  async *[Symbol.asyncIterator](): AsyncGenerator<RowBatchIn> {
    for (;;) {
      while (this.queue.length) yield this.queue.shift()!;
      await new Promise<void>((r) => (this.wake = r));
    }
  }
}

const changes = (t: Partial<TableChanges> & { table: string }): TableChanges => ({
  columns: ['id', 'v'],
  pkColumns: ['id'],
  truncate: false,
  upserts: [],
  deletes: [],
  ...t,
});

describe('the row receiver', () => {
  let dir: string;
  let file: string;
  let adapter: SqliteAdapter;
  let call: FakeCall;
  let receiver: RowReceiver;
  let seq = 0;
  const rows = (table: string) =>
    new SqliteDatabase(file, { readonly: true })
      .prepare(`SELECT id, v FROM ${table} ORDER BY id`)
      .raw()
      .all();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sparesync-rows-'));
    file = join(dir, 'app.db');
    const db = new SqliteDatabase(file);
    db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT);
             CREATE TABLE secrets (id INTEGER PRIMARY KEY, v TEXT);
             INSERT INTO secrets VALUES (1, 'the secondary''s own');`);
    db.close();
    adapter = new SqliteAdapter({ file, include: ['*'], exclude: ['secrets'] });
    await adapter.install();
    const ctx = {
      epoch: () => 0,
      log: createLogger({ level: 'error', console: false, label: 'secondary' }),
      report: () => undefined,
      now: () => Date.now(),
    } as unknown as PartContext;
    receiver = new RowReceiver({
      ctx,
      adapter,
      tracker: new DbStatusTracker('sqlite', () => Date.now()),
      flags: new DbFlagFile(join(dir, 'flags.json')),
      dirs: { dbDir: dir, agentDir: dir },
      maxPayloadBytes: 1 << 20,
      receiving: () => true,
    });
    call = openSession();
  });
  afterAll(async () => {
    await adapter.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new call to the receiver, its session begun with a hello. */
  function openSession(): FakeCall {
    const c = new FakeCall();
    receiver.handle(c as never);
    c.push({
      epoch: 0,
      seq: ++seq,
      body: 'hello',
      hello: { engine: 'sqlite', role: 'primary' },
    } as RowBatchIn);
    return c;
  }

  async function send(tables: TableChanges[], on = call): Promise<RowAck | undefined> {
    const from = await adapter.appliedPosition();
    const batch: Batch = { kind: 'changes', from, to: from, complete: true, tables, sequences: {} };
    const at = ++seq;
    on.push({
      epoch: 0,
      seq: at,
      body: 'payload',
      payload: encodeBatch(batch),
      readAtMs: Date.now(),
    } as RowBatchIn);
    for (let i = 0; i < 200 && !on.acks.some((a) => a.seq === at) && !on.ended; i++)
      await new Promise((r) => setTimeout(r, 10));
    return on.acks.find((a) => a.seq === at);
  }

  test('a batch that names an excluded table is refused whole, truncate included', async () => {
    const ack = await send([
      changes({ table: 'items', upserts: [[1n, 'allowed']] }),
      changes({ table: 'secrets', truncate: true, upserts: [[2n, 'planted']] }),
    ]);
    expect(ack).toMatchObject({ errorCode: 'DbBatchInvalid' });
    expect(ack!.error).toMatch(/does not replicate: secrets; nothing of the batch was applied/);
    expect(rows('secrets')).toEqual([[1, "the secondary's own"]]);
    expect(rows('items')).toEqual([]);
  });

  test("SpareSync's own tables and tables that do not exist are refused too", async () => {
    for (const table of ['sparesync_changes', 'no_such_table']) {
      const ack = await send([changes({ table, truncate: true })]);
      expect(ack!.error).toContain(`does not replicate: ${table}`);
    }
  });

  test('a batch of replicated tables applies', async () => {
    const ack = await send([changes({ table: 'items', upserts: [[1n, 'allowed']] })]);
    expect(ack!.error).toBe('');
    expect(rows('items')).toEqual([[1, 'allowed']]);
  });

  test("a new session's hello ends the older call: frames it still sends are not applied", async () => {
    const old = call;
    const next = openSession();
    for (let i = 0; i < 200 && !next.acks.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(old.ended).toMatchObject({ details: 'a newer database row stream replaced this one' });
    expect(await send([changes({ table: 'items', upserts: [[2n, 'stale']] })], old)).toBeUndefined();
    expect(rows('items')).toEqual([[1, 'allowed']]);
    const ack = await send([changes({ table: 'items', upserts: [[3n, 'current']] })], next);
    expect(ack!.error).toBe('');
    expect(rows('items')).toEqual([
      [1, 'allowed'],
      [3, 'current'],
    ]);
  });
  test('snapshot chunks sent without waiting are applied one at a time, in order, and acknowledged in order', async () => {
    // The sender keeps one chunk in flight: the first empties the table, so any other order loses rows.
    const on = openSession();
    const chunk = (id: bigint, first: boolean, to: string): RowBatchIn =>
      ({
        epoch: 0,
        seq: ++seq,
        body: 'payload',
        payload: encodeBatch({
          kind: 'snapshot',
          from: '',
          to,
          complete: to !== '',
          tables: [changes({ table: 'items', truncate: first, upserts: [[id, `copy ${id}`]] })],
          sequences: {},
        }),
        readAtMs: Date.now(),
      }) as RowBatchIn;
    const frames = [chunk(10n, true, ''), chunk(11n, false, ''), chunk(12n, false, '7')];
    for (const f of frames) on.push(f);
    for (let i = 0; i < 200 && on.acks.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(on.acks.slice(1).map((a) => [a.seq, a.error])).toEqual(frames.map((f) => [f.seq, '']));
    expect(rows('items')).toEqual([
      [10, 'copy 10'],
      [11, 'copy 11'],
      [12, 'copy 12'],
    ]);
    expect(await adapter.appliedPosition()).toBe('7');
  });
});

// The database adapter contract, part 1: capture and apply (install, every kind of change, types,
// sequences, whole transactions, concurrent writers, atomic apply). Part 2 is
// db-contract-reinit.test.ts; the shared setup is test/db/contract-fixture.ts.
import { SpareSyncError } from '@sparesync/common';
import { tableChecksums, type Batch } from '../packages/agent/src/db';
import {
  contractSuite,
  p,
  s,
  P,
  S,
  rep,
  pair,
  expectSame,
  changeLogCount,
  T,
  exact,
  values,
  MAX_BYTES,
  pipeline,
} from './db/contract-fixture';

jest.setTimeout(60_000);

contractSuite('capture and apply', (engine) => {
  it('install is idempotent and captures each change once', async () => {
    const first = await P.install();
    const again = await P.install();
    expect(again).toEqual(first);
    expect(first.tables.sort()).toEqual([T('accounts'), T('items'), T('lines')].sort());
    const pos = await P.currentPosition();
    await p.exec(`INSERT INTO items VALUES (1, 'one', 1)`);
    await p.exec(`UPDATE items SET qty = 2 WHERE id = 1`);
    await p.exec(`UPDATE items SET qty = 3 WHERE id = 1`);
    expect(await changeLogCount(p, 3)).toBe(3);
    // Logical capture starts its stream at this first read and sends what it has decoded: a read
    // may hold the first transactions only (complete=false, as the contract allows). Reads from
    // the same position until one holds everything committed.
    let batch: Batch;
    do ({ batch } = await P.changesSince(pos, MAX_BYTES));
    while (!batch.complete);
    expect(batch.tables).toHaveLength(1);
    expect(batch.tables[0]!.upserts).toHaveLength(1); // three changes collapse into the final row
    expect(batch.tables[0]!.upserts[0]![2]).toEqual(engine.name === 'sqlite' ? 3n : '3');
  });

  it('refuses a table without a primary key, naming it, unless excluded', async () => {
    await p.exec('CREATE TABLE audit_nopk (at TEXT, what TEXT)');
    await expect(P.install()).rejects.toThrow(/without a primary key.*audit_nopk/);
    const excluding = p.adapter({ exclude: ['audit_*'] });
    expect((await excluding.install()).tables).not.toContain(T('audit_nopk'));
    expect((await excluding.listTables()).map((t) => t.name)).toEqual(
      [T('accounts'), T('items'), T('lines')].sort(),
    );
  });

  it('replicates inserts, updates, deletes, key changes, composite keys and cascades', async () => {
    await pair();
    await p.exec(`INSERT INTO items VALUES ${values(1, 50, (i) => `(${i}, 'item ${i}', ${i})`)}`);
    await p.exec(`INSERT INTO lines VALUES ${values(1, 50, (i) => `(${(i % 10) + 1}, ${i}, 'line ${i}')`)}`);
    await rep.sync();
    await expectSame();

    await p.exec(`UPDATE items SET qty = qty * 10 WHERE id <= 20`);
    await p.exec(`DELETE FROM items WHERE id = 3`); // cascades to its lines
    await p.exec(`UPDATE items SET id = 1000 WHERE id = 40`); // key change: old key deleted
    await p.exec(`UPDATE lines SET note = NULL WHERE line % 7 = 0`);
    await p.exec(`DELETE FROM lines WHERE item_id = 5 AND line = 4`);
    const r = await rep.sync();
    expect(r.rows).toBeGreaterThan(20);
    await expectSame();
    expect(await s.rows('SELECT id FROM items WHERE id IN (3, 40, 1000) ORDER BY id')).toEqual([
      [engine.name === 'sqlite' ? 1000n : '1000'],
    ]);
    // Replicated writes are not captured again on the secondary; trimmed on the primary.
    expect(await changeLogCount(s, 0)).toBe(0);
    expect(await changeLogCount(p, 0)).toBe(0);
  });

  it('a transaction of more rows than one change-log page arrives whole (keyset paging)', async () => {
    await pair();
    await p.exec(`INSERT INTO items VALUES ${values(1, 5000, (i) => `(${i}, 'n${i}', ${i})`)}`);
    await rep.sync();
    await expectSame();
    expect((await s.rows('SELECT count(*) FROM items'))[0]![0]).toEqual(
      engine.name === 'sqlite' ? 5000n : '5000',
    );
  });

  it('round-trips every type exactly, including values over 1 MB', async () => {
    await p.exec(engine.typedDdl);
    await s.exec(engine.typedDdl);
    await pair();
    const input = engine.typedRows();
    for (const row of input) await p.insertTyped(row);
    await rep.sync();
    const onPrimary = (await p.rows('SELECT * FROM typed ORDER BY id')).map(exact);
    const onSecondary = (await s.rows('SELECT * FROM typed ORDER BY id')).map(exact);
    input.map(exact).forEach((row, i) => expect(onPrimary[i]!.slice(0, row.length)).toEqual(row));
    expect(onSecondary).toEqual(onPrimary);
    // The same values through a reinitialisation (PostgreSQL: COPY lines, never decoded).
    await s.exec('DELETE FROM typed');
    await rep.reinitialize();
    expect((await s.rows('SELECT * FROM typed ORDER BY id')).map(exact)).toEqual(onPrimary);
  });

  it('database-assigned ids continue on the secondary without colliding (sequences follow)', async () => {
    await p.exec(engine.autoIdDdl);
    await s.exec(engine.autoIdDdl);
    await pair();
    await p.exec(`INSERT INTO events (what) VALUES ('a'), ('b'), ('c')`);
    await p.exec(`DELETE FROM events WHERE what = 'c'`);
    await rep.sync();
    // After a failover the secondary inserts on its own.
    await s.exec(`INSERT INTO events (what) VALUES ('after failover')`);
    expect((await s.rows('SELECT id, what FROM events ORDER BY id')).map((r) => `${r[0]}:${r[1]}`)).toEqual([
      '1:a',
      '2:b',
      '4:after failover',
    ]);
  });

  it('a multi-statement transaction arrives whole or not at all', async () => {
    await p.exec(`INSERT INTO accounts VALUES ${values(1, 10, (i) => `(${i}, 100)`)}`);
    await pair();
    let writing = true;
    let rounds = 0;
    let failed = false;
    const writer = (async () => {
      try {
        // Until several syncs ran in between (a sync takes longer than many local commits).
        for (let k = 0; (k < 150 || rounds < 3) && !failed; k++) {
          const [a, b] = [(k % 10) + 1, ((k * 7) % 10) + 1];
          await p.transaction([
            `UPDATE accounts SET balance = balance - ${k} WHERE id = ${a}`,
            `UPDATE accounts SET balance = balance + ${k} WHERE id = ${b}`,
          ]);
          // A failing transaction must never arrive, not even its first statement.
          await expect(
            p.transaction([
              `INSERT INTO accounts VALUES (${1000 + k}, 5)`,
              `INSERT INTO accounts VALUES (1, 0)`,
            ]),
          ).rejects.toThrow();
          await new Promise((r) => setImmediate(r));
        }
      } finally {
        writing = false; // also when the writer fails, so the loop below ends and reports it
      }
    })();
    const sum = async () => (await s.rows('SELECT sum(balance), count(*) FROM accounts'))[0]!.map(Number);
    try {
      while (writing || rounds === 0) {
        await rep.sync();
        expect(await sum()).toEqual([1000, 10]);
        rounds++;
        await new Promise((r) => setImmediate(r)); // SQLite is synchronous: let the writer run
      }
    } catch (e) {
      failed = true;
      throw e;
    }
    expect(rounds).toBeGreaterThan(1);
    await writer;
    await rep.sync();
    expect(await sum()).toEqual([1000, 10]);
    await expectSame();
  });

  it('a transaction that commits after a later one is not skipped (concurrent writers)', async () => {
    if (!p.session) return; // SQLite has one writer at a time: commit order is change-log order
    await pair();
    const early = await p.session();
    try {
      await early.exec(`BEGIN; INSERT INTO items VALUES (1, 'written first, committed last', 1)`);
      await p.exec(`INSERT INTO items VALUES (2, 'written second, committed first', 2)`);
      await rep.sync();
      expect((await s.rows('SELECT id FROM items')).map((r) => String(r[0]))).toEqual(['2']);
      await early.exec('COMMIT');
      await rep.sync();
      expect((await s.rows('SELECT id FROM items ORDER BY id')).map((r) => String(r[0]))).toEqual(['1', '2']);
      await expectSame();
    } finally {
      await early.close();
    }
  });

  it('apply is atomic: a failure mid-batch applies nothing, and nothing is applied twice', async () => {
    await pair();
    await p.exec(`INSERT INTO items VALUES ${values(1, 30, (i) => `(${i}, 'n${i}', ${i})`)}`);
    const before = await tableChecksums(S);
    const applied = await S.appliedPosition();
    const { batch } = await P.changesSince(applied, MAX_BYTES);
    const poisoned: Batch = {
      ...batch,
      tables: [
        ...batch.tables,
        {
          table: T('no_such_table'),
          columns: ['x'],
          pkColumns: ['x'],
          truncate: false,
          upserts: [['1']],
          deletes: [],
        },
      ],
    };
    // One error type naming the table, whichever engine noticed the problem first.
    await expect(S.apply(poisoned)).rejects.toMatchObject({
      name: 'SpareSyncError',
      message: expect.stringContaining(T('no_such_table')),
    });
    expect(await S.appliedPosition()).toBe(applied);
    expect(await tableChecksums(S)).toEqual(before);
    await S.apply(batch);
    expect(await S.appliedPosition()).toBe(batch.to);
    // A re-sent batch (crash before the acknowledgement) is refused by position, never duplicated.
    await expect(S.apply(batch)).rejects.toMatchObject({ code: 'DbReinitRequired' });
    await rep.sync(); // the primary trims what the secondary holds; nothing more to send
    await expectSame();
  });

  it('counts a batch whose acknowledgement was lost once the next session finds it applied', async () => {
    await pair();
    let lost = 0;
    const lossy = pipeline({
      afterAck: ({ batch }) => {
        // The receiver committed the batch; the stream breaks before the sender sees its ack.
        if (batch?.kind !== 'changes' || !batch.rows || lost++) return;
        throw new SpareSyncError('PeerUnreachable', 'the acknowledgement was lost');
      },
    });
    await p.exec(`INSERT INTO items VALUES ${values(1, 30, (i) => `(${i}, 'item ${i}', ${i})`)}`);
    await lossy.sync();
    expect(lost).toBe(1);
    // Never sent again (the receiver holds it), so counted at the next session's hello.
    expect(lossy.sending.tracker.s.rowsReplicated).toBe(30);
    await expectSame();
  });
});

// The database adapter contract, part 2: reinitialisation (snapshot, backup), schema changes, a
// trimmed change log, large backlogs and following the primary. Part 1 is db-contract.test.ts; the
// shared setup is test/db/contract-fixture.ts.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { tableChecksums } from '../packages/agent/src/db';
import { waitFor } from './harness/pair';
import {
  contractSuite,
  p,
  s,
  P,
  S,
  rep,
  pipeline,
  pair,
  expectSame,
  T,
  values,
  MAX_BYTES,
} from './db/contract-fixture';

jest.setTimeout(60_000);

contractSuite('reinitialisation and following', (engine) => {
  it('reinitialises from a snapshot while the primary keeps writing, then continues', async () => {
    await p.exec(
      `INSERT INTO items VALUES ${values(1, 400, (i) => `(${i}, 'item ${'x'.repeat(i % 50)}', ${i})`)}`,
    );
    await p.exec(`INSERT INTO lines VALUES ${values(1, 200, (i) => `(${i}, 1, 'first')`)}`);
    await P.install();
    await S.install();
    let chunks = 0;
    let snapshotPosition = '';
    const copying = pipeline({
      maxBatchKiB: 4,
      afterAck: async ({ batch }) => {
        if (batch?.kind !== 'snapshot') return;
        chunks++;
        // Only the last chunk records a position: the snapshot's, where changes continue.
        expect(await S.appliedPosition()).toBe(batch.to);
        if (batch.to) snapshotPosition = batch.to;
        // Writes during the copy: rows already copied, not yet copied, new and deleted.
        await p.transaction([
          `UPDATE items SET qty = qty + 1000 WHERE id IN (${chunks}, ${401 - chunks})`,
          `INSERT INTO items VALUES (${1000 + chunks}, 'during', 0)`,
          `DELETE FROM items WHERE id = ${200 + chunks}`,
        ]);
      },
    });
    await copying.reinitialize();
    expect(copying.sending.tracker.s.reinit?.tables.find((t) => t.name === T('items'))?.rows).toBe(400);
    expect(chunks).toBeGreaterThan(3);
    expect(snapshotPosition).not.toBe('');
    await copying.sync();
    await expectSame();
  });

  it('a reinitialisation of a populated secondary leaves none of its rows behind', async () => {
    // accounts can be emptied at once (PostgreSQL: TRUNCATE); items is referred to by lines'
    // foreign key, so it is emptied row by row (DELETE). Both hold rows the primary never had.
    await p.exec(`INSERT INTO items VALUES ${values(1, 50, (i) => `(${i}, 'p', ${i})`)}`);
    await p.exec(`INSERT INTO accounts VALUES ${values(1, 50, (i) => `(${i}, ${i})`)}`);
    await P.install();
    await S.install();
    await s.exec(`INSERT INTO items VALUES ${values(40, 90, (i) => `(${i}, 'stale', 0)`)}`);
    await s.exec(`INSERT INTO lines VALUES ${values(40, 60, (i) => `(${i}, 1, 'stale')`)}`);
    await s.exec(`INSERT INTO accounts VALUES ${values(40, 90, (i) => `(${i}, -1)`)}`);
    const copying = pipeline({ maxBatchKiB: 1 });
    await copying.reinitialize();
    await copying.sync();
    await expectSame();
  });

  it('a reader holding a lock on the secondary delays a reinitialisation; only TRUNCATE gives up after 2 s', async () => {
    // accounts is emptied by TRUNCATE with a 2 s lock timeout of its own; items (referred to by
    // lines) waits for the reader's lock past 2 s, then is emptied by DELETE in the same transaction.
    if (!s.session || engine.name !== 'postgres') return;
    await p.exec(`INSERT INTO items VALUES ${values(1, 20, (i) => `(${i}, 'p', ${i})`)}`);
    await p.exec(`INSERT INTO accounts VALUES ${values(1, 20, (i) => `(${i}, ${i})`)}`);
    await P.install();
    await S.install();
    await s.exec(`INSERT INTO accounts VALUES (99, -1); INSERT INTO items VALUES (99, 'stale', 0)`);
    const reader = await s.session();
    try {
      await reader.exec(`BEGIN; LOCK TABLE ${T('items')} IN SHARE MODE`);
      const copying = pipeline();
      const reinit = copying.reinitialize();
      reinit.catch(() => undefined);
      await waitFor(
        "the reinitialisation waiting for the reader's lock for longer than 2.5 s",
        async () => {
          const rows = await s.rows(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM%'
               AND now() - query_start > interval '2500 ms'`,
          );
          return rows.length > 0 ? true : undefined;
        },
        30_000,
      );
      await reader.exec('COMMIT');
      await reinit;
      await copying.sync();
      await expectSame();
    } finally {
      await reader.close();
    }
  });

  it('reinitialises through a backup, then continues from the backup position', async () => {
    const dir = engine.backupDir();
    if (!dir) return; // SQL Server without SPARESYNC_TEST_MSSQL_BACKUP_DIR
    const file = join(dir, `sparesync-${process.pid}-${Date.now()}.bak`);
    try {
      await p.exec(`INSERT INTO items VALUES ${values(1, 100, (i) => `(${i}, 'b${i}', ${i})`)}`);
      await P.install();
      await S.install();
      await s.exec(`INSERT INTO items VALUES (999, 'stale row on the secondary', 0)`);
      const made = await P.backup(file);
      await p.exec(
        `UPDATE items SET qty = -qty WHERE id <= 10; INSERT INTO items VALUES (101, 'after backup', 1)`,
      );
      const restored = await S.restore(made.file);
      expect(restored.position).toBe(made.position);
      expect(await S.appliedPosition()).toBe(made.position);
      await rep.sync();
      await expectSame();
    } finally {
      for (const f of [file, `${file}.position.json`]) rmSync(f, { force: true });
    }
  });

  it('a schema change stops only the tables it touches; after a new install each is copied alone', async () => {
    await p.exec(`INSERT INTO items VALUES (1, 'a', 1); INSERT INTO accounts VALUES (1, 10)`);
    await pair();
    expect((await P.detectSchemaChange()).unchanged).toBe(true);
    await p.exec(`${engine.addColumnSql}; CREATE TABLE extra (id INTEGER PRIMARY KEY); DROP TABLE lines`);
    const change = await P.detectSchemaChange();
    expect(change).toMatchObject({ unchanged: false, added: [T('extra')], removed: [T('lines')] });
    expect(change.changed.map((c) => c.table)).toEqual([T('items')]);
    expect(change.summary).toMatch(/install-scripts/);
    // Other tables go on; the changed one is not read with its new shape.
    await p.exec(`INSERT INTO items (id, name, qty) VALUES (2, 'b', 2); INSERT INTO extra VALUES (7)`);
    await p.exec(`UPDATE accounts SET balance = 20 WHERE id = 1`);
    const r = await rep.sync();
    expect(r.notReplicated).toEqual([T('extra'), T('items'), T('lines')].sort());
    const column = async (sql: string) => (await s.rows(sql)).map((row) => Number(row[0]));
    expect(await column('SELECT balance FROM accounts')).toEqual([20]);
    expect(await column('SELECT id FROM items')).toEqual([1]);
    // The secondary's tables changed the same way; install on both, then copy the two again.
    await s.exec(`${engine.addColumnSql}; CREATE TABLE extra (id INTEGER PRIMARY KEY); DROP TABLE lines`);
    expect((await P.install()).removed).toEqual([T('lines')]);
    await S.install();
    expect((await P.detectSchemaChange()).unchanged).toBe(true);
    const position = await S.appliedPosition();
    const copied = await rep.reinitializeTables([T('items'), T('extra')]);
    // The copy's last chunk keeps the secondary's position (changes after it apply on top).
    const snapshot = copied.frames.filter((f) => f.batch?.kind === 'snapshot');
    expect(snapshot.flatMap((f) => f.batch!.tables)).toEqual(
      expect.arrayContaining([T('items'), T('extra')]),
    );
    expect(snapshot.at(-1)?.batch?.to).toBe(position);
    await p.exec(`UPDATE items SET qty = 3 WHERE id = 2`);
    await rep.sync();
    const [a, b] = [await tableChecksums(P), await tableChecksums(S)];
    expect(Object.keys(a).sort()).toEqual([T('accounts'), T('extra'), T('items')].sort());
    expect(a[T('items')]!.rows).toBe(2);
    expect(b).toEqual(a);
  });

  it('a position older than the trimmed change log requires reinitialisation', async () => {
    await pair();
    await expect(P.changesSince('', MAX_BYTES)).rejects.toMatchObject({ code: 'DbReinitRequired' });
    if (!engine.trims) return; // SQL Server: Change Tracking retention, checked by min valid version
    const old = await S.appliedPosition();
    await p.exec(`INSERT INTO items VALUES (1, 'a', 1)`);
    await rep.sync();
    await p.exec(`INSERT INTO items VALUES (2, 'b', 2)`);
    await expect(P.changesSince(old, MAX_BYTES)).rejects.toMatchObject({ code: 'DbReinitRequired' });
  });

  it('cuts large backlogs into batches within the size limit, whole transactions each, and converges', async () => {
    await pair();
    for (let k = 0; k < 30; k++) {
      await p.exec(
        `INSERT INTO items VALUES ${values(k * 10 + 1, k * 10 + 10, (i) => `(${i}, '${'y'.repeat(200)}', ${i})`)}`,
      );
    }
    const limit = 8 * 1024;
    const r = await pipeline({ maxBatchKiB: limit / 1024 }).sync();
    const sizes = r.frames.filter((f) => f.batch?.kind === 'changes').map((f) => f.bytes);
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(limit);
    await expectSame();
  });

  it('follows the primary: a commit reaches the secondary well before the fallback poll', async () => {
    if (!engine.notifies) return;
    await pair();
    rep.start(); // the fallback poll is 30 s: only the commit's notification wakes the sender
    try {
      await rep.sync(); // following, first read done
      // A commit made before the listener is connected is only seen by the fallback poll, so
      // commit again until one arrives: each has its own key, and any arriving well before the
      // poll's 30 s proves the notification woke the sender.
      const t0 = Date.now();
      for (let id = 7; ; id++) {
        await p.exec(`INSERT INTO items VALUES (${id}, 'followed', 1)`);
        const rows = () => s.rows('SELECT id FROM items').then((r) => (r.length ? true : undefined));
        if (await waitFor('the row on the secondary', rows, 1_000).catch(() => false)) break;
        expect(Date.now() - t0).toBeLessThan(20_000);
      }
      expect(rep.sending.tracker.s.lastError).toBe('');
    } finally {
      await rep.stop();
    }
  });

  it('reports a commit through onChange', async () => {
    if (!engine.notifies) return;
    // Paired, not only installed: logical capture streams a slot, which the reinitialisation creates.
    await pair();
    const seen = new Promise<void>((resolve) => {
      const stop = P.onChange(() => {
        stop();
        resolve();
      });
    });
    // A commit made before the listener is connected is not reported: commit until one is.
    let reported = false;
    void seen.then(() => (reported = true));
    const t0 = Date.now();
    for (let id = 1; !reported; id++) {
      await p.exec(`INSERT INTO items VALUES (${id}, 'wake', 1)`);
      await Promise.race([seen, new Promise((r) => setTimeout(r, 500))]);
      expect(Date.now() - t0).toBeLessThan(30_000);
    }
  });
});

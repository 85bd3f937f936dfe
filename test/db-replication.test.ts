// Database replication between two real agent processes over the mutual-TLS Link (issue 5):
// SQLite → SQLite and PostgreSQL → PostgreSQL (two databases in the harness cluster). The agents
// are driven only through the Control API and the CLI; the databases are read directly.
import { createHash } from 'node:crypto';
import { replicatingPair, type DbPair } from './harness/db-pair';
import { runCli, waitFor } from './harness/pair';
import { postgresEngine, sqliteEngine, type Engine, type TestDb } from './db/engines';

jest.setTimeout(120_000);

const SCHEMA = `
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
`;
const ACCOUNTS = 10;

function exact(row: unknown[]): unknown[] {
  return row.map((v) =>
    (Buffer.isBuffer(v) || typeof v === 'string') && v.length > 4096
      ? `${typeof v}:${v.length}:${createHash('sha256').update(v).digest('hex')}`
      : v,
  );
}

function many(from: number, to: number): string {
  const rows = Array.from({ length: to - from + 1 }, (_, k) => `(${from + k}, 'item ${from + k} ✓', ${k})`);
  return `INSERT INTO items VALUES ${rows.join(', ')}`;
}

function suite(engine: Engine): void {
  describe(`${engine.name} → ${engine.name} between two agents`, () => {
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `(${i + 1}, 100)`).join(', ');
    const env = replicatingPair(engine, {
      schema: SCHEMA + engine.typedDdl + ';',
      seed: `INSERT INTO accounts VALUES ${accounts}; ${many(1, 100)}`,
    });
    let p: TestDb;
    let s: TestDb;
    let dp: DbPair;
    beforeEach(() => ({ p, s, dp } = env));
    const T = engine.table;

    it('copies the tables at first start, then rows, exact types and whole transactions as they commit', async () => {
      const initial = await dp.converged();
      expect(initial[T('items')]!.rows).toBe(100);
      const d = await dp.database('secondary');
      expect(d.reinit).toMatchObject({
        active: false,
        kind: 'snapshot',
        error: '',
        rowsDone: 100 + ACCOUNTS,
      });

      for (const row of engine.typedRows()) await p.insertTyped(row);
      // Transfers between accounts, two statements per transaction: the secondary's total never moves.
      const sums: number[] = [];
      let polling = true;
      const poll = (async () => {
        while (polling) {
          sums.push(Number((await s.rows('SELECT sum(balance) FROM accounts'))[0]![0]));
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      for (let i = 0; i < 40; i++) {
        const [a, b] = [(i % ACCOUNTS) + 1, ((i * 7 + 3) % ACCOUNTS) + 1];
        await p.transaction([
          `UPDATE accounts SET balance = balance - ${i} WHERE id = ${a}`,
          `UPDATE accounts SET balance = balance + ${i} WHERE id = ${b}`,
        ]);
      }
      await dp.converged();
      polling = false;
      await poll;
      expect(new Set(sums)).toEqual(new Set([100 * ACCOUNTS]));
      const rows = (db: TestDb) => db.rows('SELECT * FROM typed ORDER BY id').then((r) => r.map(exact));
      expect(await rows(s)).toEqual(await rows(p));
      const primary = await dp.database('primary');
      expect(primary).toMatchObject({ engine: engine.name, phase: 'following', lastError: '' });
      expect(primary.tables.sort()).toEqual([T('accounts'), T('items'), T('typed')].sort());
      expect(primary.appliedPosition).not.toBe('');
    });

    it.each(['secondary', 'primary'] as const)(
      'kill -9 of the %s while a backlog moves: after restart identical, no duplicates',
      async (victim) => {
        const before = (await dp.database('secondary')).rowsReplicated;
        for (let i = 0; i < 6; i++) await p.exec(many(1000 + i * 5000, 1000 + i * 5000 + 4999));
        await dp.waitDb('secondary', 'part of the backlog applied', (d) => d.rowsReplicated > before, 30_000);
        await dp.pair.signal(victim, 'SIGKILL');
        dp.pair.start(victim);
        const sums = await dp.converged(60_000);
        expect(sums[T('items')]!.rows).toBe(100 + 30_000);
        const dupes = await s.rows('SELECT id, count(*) FROM items GROUP BY id HAVING count(*) > 1');
        expect(dupes).toEqual([]);
      },
    );

    it('a lost position leads to reinitialisation', async () => {
      await dp.converged();
      const early = (await dp.database('secondary')).appliedPosition;
      await p.exec(many(200, 300));
      await dp.converged();
      await p.exec(`DELETE FROM items WHERE id < 50`);
      await dp.converged();
      const firstReinit = (await dp.database('secondary')).reinit!.startedAtMs;
      // The secondary goes back to a position whose changes the primary has trimmed since.
      await dp.pair.signal('secondary', 'SIGKILL');
      await s.adapter().setAppliedPosition(early);
      dp.pair.start('secondary');
      await dp.waitDb(
        'secondary',
        'a second reinitialisation',
        (d) => !!d.reinit && d.reinit.startedAtMs > firstReinit && !d.reinit.active,
      );
      await dp.converged();
    });

    it('a schema change stops only the tables it touches (a warning names them); install-scripts copies each alone', async () => {
      await dp.converged();
      const extra = 'CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT)';
      await p.exec(`${engine.addColumnSql}; ${extra}`);
      await p.exec(
        `INSERT INTO items (id, name) VALUES (5000, 'after alter'); INSERT INTO extra VALUES (1, 'x')`,
      );
      const d = await dp.waitDb('primary', 'schema change reported', (x) => x.lastError !== '');
      expect(d.lastError).toMatch(
        /DbSetupInvalid: .*tables added: [a-z.]*extra; columns changed: [a-z.]*items/,
      );
      expect(d.phase).toBe('following');
      // A warning: the pair keeps working and the other tables go on.
      expect((await dp.pair.status('primary')).local.state).toBe('WorkingWithErrors');
      await p.exec('UPDATE accounts SET balance = 99 WHERE id = 1');
      await waitFor('accounts replicated meanwhile', async () =>
        Number((await s.rows('SELECT balance FROM accounts WHERE id = 1'))[0]![0]) === 99 ? true : undefined,
      );
      expect(await s.rows('SELECT id FROM items WHERE id = 5000')).toEqual([]);
      const reinits = (await dp.database('secondary')).reinit!.startedAtMs;

      await s.exec(`${engine.addColumnSql}; ${extra}`);
      for (const side of ['secondary', 'primary'] as const) {
        const r = runCli(['db', 'install-scripts', '-c', dp.pair.config(side), '--json']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout).tables).toEqual(expect.arrayContaining([T('items'), T('extra')]));
      }
      // Only the two tables are copied again; the secondary's position is kept.
      const copied = await dp.waitDb(
        'secondary',
        'the two tables reinitialised',
        (x) => !!x.reinit && x.reinit.startedAtMs > reinits && !x.reinit.active,
      );
      expect(copied.reinit!.error).toBe('');
      expect(copied.reinit!.tables.map((t) => t.name).sort()).toEqual([T('extra'), T('items')].sort());
      expect(copied.reinit!.rowsDone).toBe(101 + 1);
      await dp.waitDb('primary', 'problem cleared', (x) => x.lastError === '' && x.phase === 'following');
      await p.exec(`UPDATE items SET colour = 'red' WHERE id = 5000`);
      const sums = await dp.converged();
      expect(sums[T('items')]!.rows).toBe(101);
      expect(sums[T('extra')]!.rows).toBe(1);
      await dp.pair.waitForState('primary', 'Working');
    });

    it('reinitialisation through a backup moved over the link (CLI, with progress)', async () => {
      await dp.converged();
      await s.exec(`DELETE FROM items WHERE id > 50`); // unforeseen changes on the secondary
      const r = runCli(['db', 'backup-reinit', '--yes', '-c', dp.pair.config('secondary'), '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/backup (running|finished)/);
      const out = JSON.parse(r.stdout) as { database: { reinit: { kind: string; error: string } } };
      expect(out.database.reinit).toMatchObject({ kind: 'backup', error: '' });
      await p.exec(many(7000, 7010));
      const sums = await dp.converged();
      expect(sums[T('items')]!.rows).toBe(111);
    });

    it('db status and fix-sync through the CLI', async () => {
      await dp.converged();
      const st = runCli(['db', 'status', '-c', dp.pair.config('primary')]);
      expect(st.code).toBe(0);
      expect(st.stdout).toMatch(new RegExp(`engine +${engine.name}, following`));
      const fix = runCli(['db', 'fix-sync', '--yes', '-c', dp.pair.config('primary'), '--json']);
      expect(fix.code).toBe(0);
      expect(JSON.parse(fix.stdout).database).toMatchObject({ fixRequested: false, phase: 'following' });
      await p.exec(many(8000, 8004));
      await waitFor('rows after fix-sync', async () =>
        (await dp.converged())[T('items')]!.rows === 105 ? true : undefined,
      );
    });
  });
}

suite(sqliteEngine());
suite(postgresEngine());

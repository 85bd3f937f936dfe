// database.reinitOnError off (guide §11.2 "start reinitialisation in case of error", §9
// DbSyncReInitRequired): a sync error turns SpareSync off and waits for the operator instead of
// copying every table again; `sparesync db set-reinit-flag` and `sparesync on` bring it back.
// Two real agents on SQLite and PostgreSQL, driven through the Control API and the CLI.
import { replicatingPair, type DbPair } from './harness/db-pair';
import { runCli } from './harness/pair';
import { postgresEngine, sqliteEngine, type Engine, type TestDb } from './db/engines';

jest.setTimeout(120_000);

const SCHEMA = `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER);`;

function rows(from: number, to: number): string {
  const values = Array.from({ length: to - from + 1 }, (_, k) => `(${from + k}, 'item ${from + k}', ${k})`);
  return `INSERT INTO items VALUES ${values.join(', ')}`;
}

function suite(engine: Engine): void {
  describe(`${engine.name}: a sync error with database.reinitOnError off`, () => {
    const env = replicatingPair(engine, {
      schema: SCHEMA,
      seed: rows(1, 50),
      settings: { database: { reinitOnError: false } },
    });
    let p: TestDb;
    let s: TestDb;
    let dp: DbPair;
    beforeEach(() => ({ p, s, dp } = env));

    it('turns SpareSync off with DbSyncReInitRequired instead of reinitialising; the operator brings it back', async () => {
      await dp.converged();
      const early = (await dp.database('secondary')).appliedPosition;
      await p.exec(rows(100, 119));
      await dp.converged();
      // The secondary goes back to a position whose changes the primary has trimmed since.
      await dp.pair.signal('secondary', 'SIGKILL');
      await s.adapter().setAppliedPosition(early);
      dp.pair.start('secondary');

      const off = await dp.pair.waitForState('primary', 'TurnedOff', 30_000);
      expect(off.local.reason).toMatch(/DbSyncReInitRequired/);
      const d = await dp.database('primary');
      expect(d.lastError).toMatch(/^DbSyncReInitRequired: .*database\.reinitOnError is off/);
      expect(d.phase).not.toBe('reinitializing');
      // Nothing was copied: no reinitialisation reached the restarted secondary.
      await new Promise((r) => setTimeout(r, 1500));
      expect((await dp.database('secondary')).reinit).toBeNull();
      expect((await dp.pair.status('primary')).local.state).toBe('TurnedOff');

      for (const args of [['db', 'set-reinit-flag', '--yes'], ['on']]) {
        const r = runCli([...args, '-c', dp.pair.config('primary')]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const copied = await dp.waitDb(
        'secondary',
        'reinitialised on the operator request',
        (x) => !!x.reinit && !x.reinit.active,
      );
      expect(copied.reinit!.error).toBe('');
      await dp.pair.waitForState('primary', 'Working');
      expect((await dp.converged())[engine.table('items')]!.rows).toBe(70);
    });
  });
}

suite(sqliteEngine());
suite(postgresEngine());

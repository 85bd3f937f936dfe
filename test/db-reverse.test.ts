// Database replication in both directions between two real agents (the switch back): the epoch
// names the side that runs the managed system, so an odd epoch makes the secondary send and the
// primary receive. The test sets the epoch the way a switch persists it (state.json, agents
// stopped), writes on whichever side sends and reads both databases directly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replicatingPair, type DbPair } from './harness/db-pair';
import { runCli } from './harness/pair';
import type { Side } from './harness/pair';
import { postgresEngine, sqliteEngine, type Engine, type TestDb } from './db/engines';

jest.setTimeout(180_000);

const SCHEMA = `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER);`;

function rows(from: number, to: number, tag: string): string {
  const values = Array.from({ length: to - from + 1 }, (_, k) => `(${from + k}, '${tag} ${from + k}', ${k})`);
  return `INSERT INTO items VALUES ${values.join(', ')}`;
}

function suite(engine: Engine): void {
  describe(`${engine.name}: the secondary sends after a failover, the primary after the switch back`, () => {
    const env = replicatingPair(engine, { schema: SCHEMA, seed: rows(1, 50, 'primary') });
    let p: TestDb;
    let s: TestDb;
    let dp: DbPair;
    beforeEach(() => ({ p, s, dp } = env));
    const T = engine.table;

    /** Stops both agents, persists epoch 1 on both sides (the secondary took over) and starts them. */
    async function failedOver(): Promise<void> {
      for (const side of ['primary', 'secondary'] as Side[]) await dp.pair.signal(side, 'SIGTERM');
      for (const side of ['primary', 'secondary'] as Side[]) {
        writeFileSync(join(dp.pair.files.dir, side, 'data', 'state.json'), JSON.stringify({ epoch: 1 }));
        dp.pair.start(side);
      }
      await dp.pair.waitForState('primary', 'Switched');
    }

    it('rows written on the secondary reach the primary; after the switch back the primary sends only its own', async () => {
      await dp.converged();
      await failedOver();
      const sender = await dp.waitDb('secondary', 'sending at epoch 1', (d) => d.phase === 'following');
      expect(sender.lastError).toBe('');
      expect((await dp.database('primary')).phase).toBe('receiving');
      await s.exec(rows(100, 129, 'secondary'));
      await s.exec(`UPDATE items SET qty = -1 WHERE id <= 10`);
      await s.exec(`DELETE FROM items WHERE id BETWEEN 41 AND 50`);
      expect((await dp.converged())[T('items')]!.rows).toBe(70);
      const count = async (db: TestDb, where: string) =>
        Number((await db.rows(`SELECT count(*) FROM items WHERE ${where}`))[0]![0]);
      expect(await count(p, 'qty = -1')).toBe(10);

      // Switch back: the reverse sync waits until the secondary's last rows are acknowledged
      // (DbPart.synced); then the primary sends again from the secondary's position in its log,
      // so nothing of the secondary's comes back and the primary's new rows arrive.
      await s.exec(rows(300, 309, 'secondary, just before the switch back'));
      const sw = runCli([
        'switch',
        '--yes',
        '--to',
        'primary',
        '--config',
        dp.pair.config('secondary'),
        '--json',
      ]);
      expect(sw.stderr).not.toMatch(/failed/);
      expect(sw.code).toBe(0);
      const last = (JSON.parse(sw.stdout) as { lastSwitch: { phase: string; steps: { step: string }[] } })
        .lastSwitch;
      expect(last.phase).toBe('completed');
      expect(last.steps.map((x) => x.step)).toContain('reverse-sync');
      expect(await count(p, 'id BETWEEN 300 AND 309')).toBe(10);
      const back = await dp.waitDb('primary', 'sending at epoch 2', (d) => d.phase === 'following');
      expect((await dp.pair.status('primary')).local.epoch).toBe(2);
      expect(back.lastError).toBe('');
      const reinits = (await dp.database('secondary')).reinit?.startedAtMs;
      const before = back.rowsReplicated;
      await p.exec(rows(200, 209, 'primary again'));
      await p.exec(`UPDATE items SET qty = -2 WHERE id = 100`);
      expect((await dp.converged())[T('items')]!.rows).toBe(90);
      expect(await count(s, `qty = -2 AND id = 100`)).toBe(1);
      const primary = await dp.database('primary');
      // Only the primary's own 11 row changes travelled (no reinitialisation, no echo).
      expect(primary.rowsReplicated - before).toBe(11);
      expect((await dp.database('secondary')).reinit?.startedAtMs).toBe(reinits);
      expect(primary.rowsPending).toBe(0);
      const text = runCli(['status', '-c', dp.pair.config('primary')]).stdout;
      expect(text).toMatch(
        new RegExp(`database +${engine.name} following, lag \\d+ ms, 0 row\\(s\\) pending`),
      );
    });
  });
}

suite(sqliteEngine());
suite(postgresEngine());

// Row scenarios of the fault suite: one agent killed or stopped at random moments while rows
// change in transactions (inserts, updates, deletes), on each engine that runs here; after the
// faults both databases hold the same rows, table by table.
import type { ScenarioResult } from '../harness/chaos';
import type { Engine, TestDb } from '../db/engines';
import { DbPair, twoDatabases } from '../harness/db-pair';
import type { Side } from '../harness/pair';
import { between, random, scenario, sleep } from './context';

/**
 * Two databases of `engine` with `schema` replicated by two agents; `body` runs the trials, then
 * both must hold the same rows (table by table) and both agents must be alive.
 */
export async function withDbPair(
  r: ScenarioResult,
  engine: Engine,
  schema: string,
  settings: object,
  body: (dp: DbPair, p: TestDb, q: TestDb) => Promise<void>,
): Promise<ScenarioResult> {
  const [p, q] = await twoDatabases(engine, schema);
  const dp = await DbPair.create(p, q, settings);
  try {
    await dp.startReplicating();
    await body(dp, p, q);
    try {
      await dp.converged(120_000);
    } catch (e) {
      r.violations['trees differ after quiet']++;
      r.notes.push(String(e).slice(0, 400));
    }
    for (const side of ['primary', 'secondary'] as const) {
      if (dp.pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
    }
  } finally {
    await dp.stop();
    await p.close();
    await q.close();
  }
  return r;
}

export function rowsKill(engine: Engine, victim: Side, trials: number): Promise<ScenarioResult> {
  const r = scenario(`rows (${engine.name}): kill -9/SIGTERM of the ${victim} while rows change`, trials);
  const other: Side = victim === 'primary' ? 'secondary' : 'primary';
  let next = 1;
  const schema = 'CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)';
  return withDbPair(r, engine, schema, {}, async (dp, p) => {
    for (let t = 0; t < trials; t++) {
      // Inserts, updates and deletes in transactions, some while the victim dies.
      const change = async () => {
        const statements: string[] = [];
        for (let i = 0; i < 20; i++) statements.push(`INSERT INTO items VALUES (${next++}, 'v${t}', ${i})`);
        statements.push(`UPDATE items SET n = n + 1 WHERE id % 7 = ${t % 7}`);
        statements.push(`DELETE FROM items WHERE id % 11 = ${t % 11} AND id < ${next - 30}`);
        await p.transaction(statements);
      };
      await change();
      const dying = sleep(between(0, 300)).then(() =>
        dp.pair.signal(victim, random() < 0.6 ? 'SIGKILL' : 'SIGTERM'),
      );
      for (let k = 0; k < 5; k++) {
        await change();
        await sleep(between(0, 80));
      }
      await dying;
      if (dp.pair.procs[other]!.child.exitCode !== null) r.violations['agent died']++;
      dp.pair.start(victim);
      await dp.pair.waitForState(victim, 'Working', 60_000);
    }
  });
}

// kill -9 of a replicating process at random moments (while it reads changes on the primary, while
// it applies them on the secondary, or after): the secondary always holds either the whole batch
// or none of it, with the matching position, and the next sync converges without duplicates.
// The replicating process runs the built agent's row pipeline (a RowSender and a RowReceiver joined
// in one process, packages/devkit/dist/row-pipeline.js): run `pnpm build` first.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RowPipeline } from '@sparesync/devkit';
import { tableChecksums, type DbAdapter } from '../packages/agent/src/db';
import { postgresEngine, sqliteEngine, type Engine, type TestDb } from './db/engines';
import { twoDatabases } from './harness/db-pair';

jest.setTimeout(60_000);
const packages = join(__dirname, '..', 'packages');
const AGENT = join(packages, 'agent', 'dist', 'index.js');
const DEVKIT = join(packages, 'devkit', 'dist', 'index.js');
/** One batch for the whole backlog (network.maxReplicaSizeKiB, link.maxMessageBytes). */
const ONE_BATCH = { maxBatchKiB: 256 << 10, maxMessageBytes: 256 << 20 };
const CHILD = `
const { createAdapter } = require(${JSON.stringify(AGENT)});
const { RowPipeline } = require(${JSON.stringify(DEVKIT)});
const [p, s, dir] = JSON.parse(process.argv[1]);
(async () => {
  const P = createAdapter(p);
  const S = createAdapter(s);
  const pipeline = RowPipeline.open(P, S, {
    ...${JSON.stringify(ONE_BATCH)},
    dir,
    // Tell the parent the apply is about to start, and let the message leave before the
    // (for SQLite synchronous) transaction blocks the event loop.
    beforeFrame: async (body) => {
      if (body.payload) (process.send('apply'), await new Promise((r) => setTimeout(r, 10)));
    },
  });
  process.send('start');
  await pipeline.sync();
  process.send('done');
  await pipeline.close();
  await P.close();
  await S.close();
})();`;

/** Runs replication in a child process and kills it with SIGKILL `delayMs` after it reaches `phase`. */
async function killMidway(
  p: TestDb,
  s: TestDb,
  dir: string,
  phase: 'start' | 'apply',
  delayMs: number,
): Promise<'killed' | 'finished'> {
  const child = spawn(process.execPath, ['-e', CHILD, JSON.stringify([p.spec, s.spec, dir])], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let finished = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (m) => {
    if (m === phase) setTimeout(() => child.kill('SIGKILL'), delayMs);
    if (m === 'done') finished = true;
  });
  await exited;
  return finished ? 'finished' : 'killed';
}

function crashSuite(engine: Engine): void {
  describe(`${engine.name}${engine.variant ? ` (${engine.variant})` : ''}: kill -9 while replicating`, () => {
    let p: TestDb;
    let s: TestDb;
    let P: DbAdapter;
    let S: DbAdapter;
    beforeAll(() => engine.start());
    afterAll(() => engine.stop());

    it('leaves the secondary with the whole batch or none, then converges', async () => {
      for (const built of [AGENT, DEVKIT])
        if (!existsSync(built)) throw new Error(`${built} is missing: run pnpm build first`);
      [p, s] = await twoDatabases(
        engine,
        'CREATE TABLE items (id INTEGER PRIMARY KEY, rev INTEGER NOT NULL, payload TEXT NOT NULL)',
      );
      P = p.adapter();
      S = s.adapter();
      await P.install();
      await S.install();
      const dir = mkdtempSync(join(tmpdir(), 'sparesync-crash-'));
      const rep = RowPipeline.open(P, S, ONE_BATCH);
      await rep.reinitialize();
      const N = 12_000;
      for (let k = 0; k < N; k += 1000) {
        const rows = Array.from({ length: 1000 }, (_, i) => `(${k + i + 1}, 0, '${'p'.repeat(400)}')`);
        await p.exec(`INSERT INTO items VALUES ${rows.join(', ')}`);
      }
      const outcomes: string[] = [];
      const plan: ['start' | 'apply', number][] = [
        ['start', 5], // while reading changes on the primary
        ['start', 40],
        ['apply', 15], // while applying on the secondary
        ['apply', 40],
        ['apply', 80],
        ['apply', 160],
        ['apply', 2000], // after the commit
      ];
      for (const [round, [phase, delay]] of plan.entries()) {
        if (round > 0) await p.exec(`UPDATE items SET rev = ${round}`);
        const before = await S.appliedPosition();
        const outcome = await killMidway(p, s, join(dir, `child${round}`), phase, delay);
        const after = await S.appliedPosition();
        const [[count, revs]] = (await s.rows('SELECT count(*), count(DISTINCT rev) FROM items')) as [
          [unknown, unknown],
        ];
        // Whole or nothing: every row at one revision, and the position says which.
        expect(Number(revs)).toBeLessThanOrEqual(1);
        if (after === before) outcomes.push(`${phase}+${delay}ms ${outcome}: nothing applied`);
        else {
          // Logical capture reads transaction by transaction as the slot decodes them, so the
          // first round's 12 inserts may arrive in several batches: whole transactions only.
          if (engine.variant === 'logical capture' && round === 0) {
            expect(Number(count) % 1000).toBe(0);
          } else expect(Number(count)).toBe(N);
          expect((await s.rows('SELECT DISTINCT rev FROM items')).map((r) => Number(r[0]))).toEqual([round]);
          outcomes.push(`${phase}+${delay}ms ${outcome}: batch applied`);
        }
        await rep.sync();
        expect(await tableChecksums(S)).toEqual(await tableChecksums(P));
      }
      console.log(`${engine.name} kill -9 outcomes: ${outcomes.join('; ')}`);
      expect(outcomes.some((o) => o.includes('killed'))).toBe(true);
      await rep.close();
      rmSync(dir, { recursive: true, force: true });
      await p.close();
      await s.close();
    });
  });
}

crashSuite(sqliteEngine());
crashSuite(postgresEngine());
crashSuite(postgresEngine('logical'));

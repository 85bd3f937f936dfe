// The fault suite (`pnpm chaos`; its short form runs in CI with the e2e tests): real agents, real
// BIND9, SQLite and PostgreSQL, faults at moments drawn from a printed seed, and invariants
// checked after every trial. It prints one table: scenario, trials, seed, violations of each
// invariant. CHAOS_TRIALS sets the trials per scenario (the long form), SPARESYNC_SEED replays a
// run, CHAOS_PARTITION_MAX_S the longest partition. The scenarios live in chaos/.
import { formatTable, trialsFromEnv } from './harness/chaos';
import { postgresEngine, sqliteEngine } from './db/engines';
import { failoverSuite } from './harness/failover';
import { clean, outcome, results, seed } from './chaos/context';
import { frozenReceiver, fullDisk, killDuringTransfer, restartStorm } from './chaos/files';
import { hostileFiles, hostileRows } from './chaos/hostile';
import { partitions, witnessPartitions } from './chaos/link';
import { rowsKill } from './chaos/rows';
import { clockJump, frozenApp, primaryDiesReturns } from './chaos/serving';
import type { Side } from './harness/pair';

jest.setTimeout(60 * 60_000);

/** Trials per scenario: CHAOS_TRIALS (50 in the long form), or `short` in CI; `share` of it for the slow ones. */
const trials = (short: number, share = 1) => Math.max(1, Math.round(trialsFromEnv(short) * share));

afterAll(() => {
  process.stdout.write(
    `\nfault suite, seed ${seed} (replay: SPARESYNC_SEED=${seed})\n${formatTable(results)}\n`,
  );
});

describe('fault suite', () => {
  describe('files', () => {
    test.each<Side>(['secondary', 'primary'])(
      'kill -9 or SIGTERM of the %s at random moments of a transfer',
      async (victim) => {
        expect(outcome(await killDuringTransfer(victim, trials(6)))).toEqual(clean());
      },
    );
    test('the secondary frozen for seconds in the middle of a transfer', async () => {
      expect(outcome(await frozenReceiver(trials(6, 1 / 3)))).toEqual(clean());
    });
    test('a restart storm of the secondary', async () => {
      expect(outcome(await restartStorm('secondary', trials(1, 1 / 5)))).toEqual(clean());
    });
    test("the secondary's disk fills up during a transfer, then is freed", async () => {
      expect(outcome(await fullDisk(trials(1, 1 / 5)))).toEqual(clean());
    });
  });

  describe.each([sqliteEngine(), postgresEngine()])('rows ($name)', (engine) => {
    beforeAll(() => engine.start());
    afterAll(() => engine.stop());
    test.each<Side>(['secondary', 'primary'])(
      'the %s killed or stopped while rows change',
      async (victim) => {
        expect(outcome(await rowsKill(engine, victim, trials(engine.name === 'sqlite' ? 6 : 2)))).toEqual(
          clean(),
        );
      },
    );
  });

  describe('a hostile peer with valid certificates', () => {
    test('crafted file frames are refused and change nothing', async () => {
      expect(outcome(await hostileFiles())).toEqual(clean());
    });
    describe('rows', () => {
      const engine = sqliteEngine();
      beforeAll(() => engine.start());
      afterAll(() => engine.stop());
      test('crafted row frames for tables it may not send are refused and change nothing', async () => {
        expect(outcome(await hostileRows(engine))).toEqual(clean());
      });
    });
  });

  describe('who serves', () => {
    const suite = failoverSuite('chaos.test');
    test('partitions of the link alone: no switch, never both serving, in sync after', async () => {
      for (const r of await partitions(suite, trials(6, 1 / 5))) expect(outcome(r)).toEqual(clean());
    });
    test('partitions with the witness on (link, page and etcd): never both serving', async () => {
      for (const r of await witnessPartitions(suite, trials(1, 1 / 5))) expect(outcome(r)).toEqual(clean());
    });
    test("the same cuts without the witness (the guide's behaviour, for comparison): the agents survive and recover", async () => {
      for (const r of await witnessPartitions(suite, trials(1, 1 / 5), { witness: false }))
        expect(outcome(r)).toEqual(clean());
    });
    test('the primary server dies and returns with its app started: never both serving', async () => {
      expect(outcome(await primaryDiesReturns(suite, trials(6, 1 / 4)))).toEqual(clean());
    });
    test("the primary's application freezes: a switch only past the allowable time, fenced after", async () => {
      expect(outcome(await frozenApp(suite, trials(2, 1 / 5)))).toEqual(clean());
    });
    test.each<Side>(['secondary', 'primary'])(
      "the %s's wall clock jumps: no switch, linked again after",
      async (victim) => {
        expect(outcome(await clockJump(suite, victim, trials(1, 1 / 5)))).toEqual(clean());
      },
    );
  });
});

// Two real agent processes replicating two real databases (SQLite files, or two databases in the
// private PostgreSQL cluster of test/harness/postgres.ts). Built on Pair; tests drive the agents
// only through the Control client and the CLI, and read the databases directly to compare them.
import { tableChecksums, type DbAdapter } from '../../packages/agent/src/db';
import type { DatabaseStatus } from '@sparesync/common';
import type { Engine, TestDb } from '../db/engines';
import { Pair, waitFor, type Side } from './pair';

export class DbPair {
  private constructor(
    readonly pair: Pair,
    readonly db: Record<Side, TestDb>,
    private readonly adapters: Record<Side, DbAdapter>,
  ) {}

  /** A pair whose agents replicate `primary` → `secondary`; `settings` are merged into both sides. */
  static async create(primary: TestDb, secondary: TestDb, settings: object = {}): Promise<DbPair> {
    const pair = await Pair.create({
      both: {
        network: { dbIterationPauseSeconds: 0.5 },
        log: { level: process.env.SPARESYNC_TEST_LOG ?? 'info' },
        ...settings,
      },
      primary: { database: primary.spec },
      secondary: { database: secondary.spec },
    });
    return new DbPair(
      pair,
      { primary, secondary },
      { primary: primary.adapter(), secondary: secondary.adapter() },
    );
  }

  async database(side: Side): Promise<DatabaseStatus> {
    const d = (await this.pair.status(side)).database;
    if (!d) throw new Error(`${side} reports no database status`);
    return d;
  }

  waitDb(
    side: Side,
    what: string,
    pred: (d: DatabaseStatus) => boolean,
    timeoutMs = 30_000,
  ): Promise<DatabaseStatus> {
    return waitFor(
      `${side} database: ${what}`,
      async () => {
        const d = await this.database(side);
        return pred(d) ? d : undefined;
      },
      timeoutMs,
    );
  }

  /** Both agents up, the first reinitialisation done, the sender following. */
  async startReplicating(): Promise<void> {
    await this.pair.startBoth();
    await this.waitDb(
      'primary',
      'following after the first reinitialisation',
      (d) => d.phase === 'following',
    );
  }

  checksums(side: Side) {
    return tableChecksums(this.adapters[side]);
  }

  /** Waits until both databases hold the same rows (row checksums per table) and returns them. */
  async converged(timeoutMs = 30_000) {
    try {
      return await waitFor(
        'identical tables on both sides',
        async () => {
          const [a, b] = [await this.checksums('primary'), await this.checksums('secondary')];
          return JSON.stringify(a) === JSON.stringify(b) ? a : undefined;
        },
        timeoutMs,
      );
    } catch (e) {
      // Say what each agent was doing; that is where the cause is.
      const show = async (side: Side) => {
        const rows = Object.entries(await this.checksums(side)).map(([t, c]) => `${t}=${c.rows}`);
        return `rows ${rows.join(' ')}; ${JSON.stringify(await this.database(side).catch(String))}`;
      };
      throw new Error(
        `${(e as Error).message}\nprimary: ${await show('primary')}\nsecondary: ${await show('secondary')}`,
      );
    }
  }

  async stop(): Promise<void> {
    await this.pair.stop();
    for (const a of Object.values(this.adapters)) await a.close().catch(() => {});
  }
}

/** Two fresh databases of `engine`, each with `schema`. */
export async function twoDatabases(engine: Engine, schema: string): Promise<[TestDb, TestDb]> {
  const p = await engine.create();
  const s = await engine.create();
  for (const db of [p, s]) await db.exec(schema);
  return [p, s];
}

export interface ReplicatingPair {
  /** The primary's database (its agent sends while the epoch is even). */
  p: TestDb;
  s: TestDb;
  dp: DbPair;
}

/**
 * The hooks of a suite on one engine (call it inside `describe`): the engine's server for the
 * suite; before each test two fresh databases with `schema`, `seed` run on the primary, and two
 * agents replicating them with the first reinitialisation done (`settings` merged into both);
 * after each test everything stopped. The returned object's fields are set before each test.
 */
export function replicatingPair(
  engine: Engine,
  opts: { schema: string; seed?: string; settings?: object },
): ReplicatingPair {
  const env = {} as ReplicatingPair;
  beforeAll(() => engine.start());
  afterAll(() => engine.stop());
  beforeEach(async () => {
    [env.p, env.s] = await twoDatabases(engine, opts.schema);
    if (opts.seed) await env.p.exec(opts.seed);
    env.dp = await DbPair.create(env.p, env.s, opts.settings);
    await env.dp.startReplicating();
  });
  afterEach(async () => {
    await env.dp?.stop();
    await env.p?.close();
    await env.s?.close();
  });
  return env;
}

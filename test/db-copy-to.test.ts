// COPY TO read off the pg client's socket (packages/agent/src/db/postgres/pg-copy-to.ts) against
// a real server: runs of whole lines, a failed COPY's message, and a client usable afterwards.
import { CopyTo, type Lines } from '../packages/agent/src/db/postgres/pg-copy-to';
import { pgPoolConfig } from '../packages/agent/src/db';
import { PgClient } from '@sparesync/devkit';
import { startPostgres, type PostgresServer } from './harness/postgres';

let server: PostgresServer;
let client: InstanceType<typeof PgClient>;

beforeAll(async () => {
  server = await startPostgres('sparesync_copy_to');
  client = new PgClient(pgPoolConfig({ connectionString: await server.createDatabase('copy') }));
  await client.connect();
  // Rows of varied widths, values with tabs and newlines (escaped by COPY), one row of 300 kB.
  await client.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`);
  await client.query(
    `INSERT INTO t SELECT i, repeat(md5(i::text), i % 7) || E'\\t\\n' FROM generate_series(1, 20000) i`,
  );
  await client.query(`INSERT INTO t VALUES (0, repeat('x', 300000))`);
}, 60_000);

afterAll(async () => {
  await client?.end();
  await server?.stop();
});

const SQL = 'COPY (SELECT id, v FROM t ORDER BY id) TO STDOUT';

async function copyText(): Promise<string> {
  const runs: string[] = [];
  const q = new CopyTo(SQL, 1 << 30);
  client.query(q);
  for await (const r of q.runs()) runs.push(r.data.toString());
  return runs.join('');
}

describe('CopyTo (COPY TO off the socket)', () => {
  it('cuts the output into runs of the most whole lines within the limit', async () => {
    const whole = await copyText();
    const lines = whole.split('\n').slice(0, -1);
    expect(lines).toHaveLength(20001);
    for (const max of [1000, 65536, 1 << 20]) {
      const q = new CopyTo(SQL, max);
      client.query(q);
      const runs: Lines[] = [];
      for await (const r of q.runs()) runs.push({ data: Buffer.from(r.data), rows: r.rows });
      expect(runs.map((r) => r.data.toString()).join('')).toBe(whole);
      for (const [k, r] of runs.entries()) {
        expect(r.rows).toBe(r.data.toString().split('\n').length - 1);
        if (r.rows > 1) expect(r.data.length).toBeLessThanOrEqual(max);
        const next = runs[k + 1];
        if (next) expect(r.data.length + next.data.indexOf('\n') + 1).toBeGreaterThan(max);
      }
    }
    expect((await client.query("SELECT 'ok' AS one")).rows).toEqual([{ one: 'ok' }]);
  }, 60_000);

  it('a failed COPY throws the server message, and the client goes on', async () => {
    const q = new CopyTo('COPY (SELECT 1 / (id - 15000) FROM t ORDER BY id) TO STDOUT', 4096);
    client.query(q);
    let rows = 0;
    await expect(
      (async () => {
        for await (const r of q.runs()) rows += r.rows;
      })(),
    ).rejects.toThrow('division by zero');
    expect(rows).toBeLessThan(15000);
    expect((await client.query("SELECT 'ok' AS one")).rows).toEqual([{ one: 'ok' }]);
  }, 60_000);

  it('a reader that stops early leaves the client usable once the COPY has run out', async () => {
    const q = new CopyTo(SQL, 4096);
    client.query(q);
    for await (const r of q.runs()) {
      expect(r.rows).toBeGreaterThan(0);
      break;
    }
    expect((await client.query("SELECT 'ok' AS one")).rows).toEqual([{ one: 'ok' }]);
    expect(await copyText()).toContain('20000\t');
  }, 60_000);
});

// The SQL Server engine of the database contract suite (engines.ts has the interface and the
// others); it runs only where SPARESYNC_TEST_MSSQL names a server (none runs on this machine).
import { mssql, type MssqlPool } from '@sparesync/devkit';
import { MssqlAdapter, type DbAdapter } from '../../packages/agent/src/db';
import { ALL_BYTES, LARGE_BINARY, LARGE_TEXT, UNICODE, noPrefs, type Engine } from './engines';

/**
 * SQL Server, only when SPARESYNC_TEST_MSSQL holds a connection string (a login that may create
 * databases). Each test gets a fresh database, dropped at the end. SPARESYNC_TEST_MSSQL_BACKUP_DIR
 * names a folder the server can write backups to (else the backup test is skipped).
 */
export function mssqlEngine(connectionString: string): Engine {
  const made: string[] = [];
  let master: MssqlPool | null = null;
  return {
    name: 'mssql',
    start: async () => {
      master = await new (mssql().ConnectionPool)(connectionString).connect();
    },
    stop: async () => {
      for (const db of made) {
        await master!
          .request()
          .batch(`ALTER DATABASE [${db}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${db}]`)
          .catch(() => {});
      }
      await master?.close();
    },
    table: (name) => `dbo.${name}`,
    changeLogCount: null,
    trims: false,
    notifies: false,
    backupDir: () => process.env.SPARESYNC_TEST_MSSQL_BACKUP_DIR ?? null,
    schemaDdl: `
      CREATE TABLE items (id INT PRIMARY KEY, name NVARCHAR(400) NOT NULL, qty INT);
      CREATE TABLE lines (item_id INT NOT NULL REFERENCES items(id) ON DELETE CASCADE, line INT NOT NULL,
        note NVARCHAR(400), PRIMARY KEY (item_id, line));
      CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL);`,
    addColumnSql: 'ALTER TABLE items ADD colour NVARCHAR(20)',
    autoIdDdl: 'CREATE TABLE events (id INT IDENTITY(1,1) PRIMARY KEY, what NVARCHAR(100))',
    create: async () => {
      const name = `sparesync_t_${process.pid}_${made.length + 1}`;
      await master!.request().batch(`CREATE DATABASE [${name}]`);
      made.push(name);
      const dbString = `${connectionString};Database=${name}`;
      const pool = await new (mssql().ConnectionPool)(dbString).connect();
      const adapters: DbAdapter[] = [];
      const rows = async (sql: string) => {
        const req = pool.request();
        (req as unknown as { arrayRowMode: boolean }).arrayRowMode = true;
        return (await req.query(sql)).recordset as unknown as unknown[][];
      };
      return {
        spec: { engine: 'mssql', connectionString: dbString },
        adapter: (opts) => {
          const a = new MssqlAdapter({ ...noPrefs, ...opts, connectionString: dbString });
          adapters.push(a);
          return a;
        },
        exec: async (sql) => void (await pool.request().batch(sql)),
        transaction: async (statements) => {
          const t = pool.transaction();
          await t.begin();
          try {
            for (const st of statements) await t.request().batch(st);
            await t.commit();
          } catch (e) {
            await t.rollback().catch(() => {});
            throw e;
          }
        },
        rows,
        insertTyped: async (row) => {
          const req = pool.request();
          row.forEach((v, i) => req.input(`p${i}`, v));
          await req.query(`INSERT INTO typed VALUES (${row.map((_, i) => `@p${i}`).join(', ')})`);
        },
        close: async () => {
          for (const a of adapters) await a.close().catch(() => {});
          await pool.close();
        },
      };
    },
    typedDdl: `CREATE TABLE typed (id INT PRIMARY KEY, t NVARCHAR(MAX), b VARBINARY(MAX), n DECIMAL(38,18), f FLOAT,
      ts DATETIME2(7), tstz DATETIMEOFFSET(7), bo BIT, u UNIQUEIDENTIFIER, big BIGINT, nul NVARCHAR(10))`,
    typedRows: () => [
      [
        1,
        UNICODE,
        ALL_BYTES,
        '12345678901234567890.123456789012345678',
        0.1,
        '2024-02-29 23:59:59.9999999',
        '1999-12-31 23:59:59.1234567 +05:30',
        true,
        '123E4567-E89B-12D3-A456-426614174000',
        '9223372036854775807',
        null,
      ],
      [
        2,
        LARGE_TEXT,
        LARGE_BINARY,
        '-0.000000000000000001',
        -1.7976931348623157e308,
        '0001-01-01 00:00:00',
        '9999-12-31 23:59:59.9999999 -14:00',
        false,
        '00000000-0000-0000-0000-000000000000',
        '-9223372036854775808',
        null,
      ],
    ],
  };
}

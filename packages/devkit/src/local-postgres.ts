// Starts a private PostgreSQL for tests and benchmarks (test/harness/postgres.ts, bench/src/db.ts):
// a fresh cluster in a temp folder, listening on a free loopback port with its unix socket in that
// folder. PostgreSQL refuses to run as root, so when run as root the server programs run as the
// `postgres` OS user (Debian's postgresql package creates it) and the temp folder is handed to it.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './local-pair';

const run = promisify(execFile);

export interface PostgresServer {
  /** Connection string of the database created at start (user postgres, no password, loopback). */
  connectionString: string;
  port: number;
  /** Creates another empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Folder of the server programs (psql, pg_dump, …) of this cluster's version. */
  binDir: string;
  /** Stops the server and deletes the cluster. */
  stop(): Promise<void>;
}

/** The server programs: the newest /usr/lib/postgresql/<major>/bin that has initdb and postgres. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin;
  }
  return null;
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('getent', ['passwd', name]);
  const [, , uid, gid] = stdout.trim().split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface PostgresStartOptions {
  /** wal_level=logical with room for replication slots (logical capture, a native subscription). */
  logical?: boolean;
}

export async function startPostgres(
  database = 'sparesync_test',
  options: PostgresStartOptions = {},
): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error(
      'PostgreSQL server programs not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'sparesync-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const ids = asRoot ? await osUser('postgres') : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const opts = { ...(ids ?? {}), cwd: dir, env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } };
  const pgRun = (prog: string, args: string[]) => run(join(bin, prog), args, opts);

  let started = false;
  try {
    await pgRun('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    const port = await freePort();
    // Durability off: a test cluster is thrown away, and fsync dominates small transactions.
    const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off${
      options.logical ? ' -c wal_level=logical -c max_replication_slots=100 -c max_wal_senders=100' : ''
    }`;
    await pgRun('pg_ctl', [
      '-D',
      data,
      '-o',
      serverOpts,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      'start',
    ]);
    started = true;
    const base = `postgres://postgres@127.0.0.1:${port}`;
    const createDatabase = async (name: string) => {
      await pgRun('psql', [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-c',
        `CREATE DATABASE "${name}"`,
      ]);
      return `${base}/${name}`;
    };
    const connectionString = await createDatabase(database);
    return {
      connectionString,
      port,
      createDatabase,
      binDir: bin,
      stop: async () => {
        await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (started) await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

// pg_dump / pg_restore: Debian installs them under /usr/lib/postgresql/<major>/bin, with wrappers
// in /usr/bin that need a configured cluster. We look for the newest real binary, so a dump taken
// by a newer pg_dump can always be read by the pg_restore beside it.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';

export function findPgBinary(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const p = join(root, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  throw new SpareSyncError('DbSetupInvalid', `${name} not found in /usr/lib/postgresql/*/bin or PATH`, {
    hint: 'Install the PostgreSQL client programs (Debian: apt-get install postgresql-client).',
  });
}

export function runTool(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const bin = findPgBinary(name);
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, maxBuffer: 16 << 20 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      reject(
        new SpareSyncError(
          'DbUnavailable',
          `${name} failed: ${String(stderr).trim().split('\n').slice(-3).join(' ') || err.message}`,
          {
            hint: 'The database user needs rights to back up the primary and restore on the secondary (guide §11.3).',
            cause: err,
          },
        ),
      );
    });
  });
}

/** pg_dump of the database in `snapshot` (exported by the caller), without SpareSync's own state. */
export function dumpDatabase(
  file: string,
  snapshot: string,
  connectionString: string,
  env: NodeJS.ProcessEnv,
) {
  return runTool(
    'pg_dump',
    [
      '--format=custom',
      `--file=${file}`,
      `--snapshot=${snapshot}`,
      // The change log and positions describe this server; the registry of tables travels.
      '--exclude-table-data=sparesync.changes',
      '--exclude-table-data=sparesync.state',
      // The publication (logical capture) belongs to the sending side only.
      '--no-publications',
      '--no-subscriptions',
      ...(connectionString ? [`--dbname=${connectionString}`] : []),
    ],
    env,
  );
}

export function restoreDatabase(file: string, connectionString: string, env: NodeJS.ProcessEnv) {
  return runTool(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      ...(connectionString ? [`--dbname=${connectionString}`] : ['--dbname=']),
      file,
    ],
    env,
  );
}

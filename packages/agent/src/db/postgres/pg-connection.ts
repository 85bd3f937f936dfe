// Connection settings for the PostgreSQL adapter. The password never sits in sparesync.json: it
// comes from `passwordFile`, from the PG* environment variables libpq also reads (PGPASSWORD,
// PGPASSFILE is honoured by pg_dump/pg_restore), or from the connection string if an operator
// insists. Every session uses fixed output settings so the text form of a value is the same on
// both servers: UTC, ISO dates, shortest exact floats.
import { readFileSync } from 'node:fs';
import { types as pgTypes, type PoolConfig } from 'pg';
import { SpareSyncError } from '@sparesync/common';

export interface PgConnectionOptions {
  /** postgres://user@host:port/db (or empty to use PGHOST, PGUSER, PGDATABASE…). */
  connectionString: string;
  /** File holding the password (first line). */
  passwordFile?: string;
}

const OID_BOOL = 16;
const OID_BYTEA = 17;

// Every value arrives as its exact text form, except booleans and binaries which have a typed Value.
const exactTypes = {
  getTypeParser(oid: number, format?: string) {
    if (format === 'binary') return pgTypes.getTypeParser(oid, 'binary');
    if (oid === OID_BOOL) return (v: string) => v === 't';
    if (oid === OID_BYTEA) return (v: string) => Buffer.from(v.slice(2), 'hex');
    return (v: string) => v;
  },
} as PoolConfig['types'];

export const SESSION_OPTIONS =
  '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=1';

export function poolConfig(opts: PgConnectionOptions): PoolConfig {
  let password: string | undefined;
  if (opts.passwordFile) {
    try {
      password = readFileSync(opts.passwordFile, 'utf8').split(/\r?\n/)[0];
    } catch (e) {
      throw new SpareSyncError('DbSetupInvalid', `Cannot read database.passwordFile ${opts.passwordFile}`, {
        cause: e,
      });
    }
  }
  return {
    ...(opts.connectionString ? { connectionString: opts.connectionString } : {}),
    ...(password !== undefined ? { password } : {}),
    application_name: 'sparesync',
    options: SESSION_OPTIONS,
    types: exactTypes,
    max: 4,
  };
}

/** Environment for pg_dump/pg_restore: the password travels in PGPASSWORD, never on the command line. */
export function toolEnv(config: PoolConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PGOPTIONS: SESSION_OPTIONS };
  if (typeof config.password === 'string') env.PGPASSWORD = config.password;
  return env;
}

export function unavailable(e: unknown, what: string): SpareSyncError {
  return new SpareSyncError('DbUnavailable', `PostgreSQL ${what} failed: ${(e as Error).message}`, {
    cause: e,
  });
}

// The database drivers the agent's adapters use (the same packages and versions), re-exported so
// the tests and benchmarks, which pnpm does not give these dependencies, write to the same
// databases with the same drivers.
export { default as SqliteDatabase } from 'better-sqlite3';
export { Client as PgClient, Pool as PgPool } from 'pg';
/** Loaded on first call (its Azure dependencies are ESM-only, which jest cannot load). */
export const mssql = (): typeof import('mssql') => require('mssql') as typeof import('mssql');
export type MssqlPool = import('mssql').ConnectionPool;

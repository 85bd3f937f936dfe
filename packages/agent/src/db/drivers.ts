// The database drivers the adapters use, re-exported so tests outside this package (test/, which
// pnpm does not give these dependencies) write to the same databases with the same drivers.
export { default as SqliteDatabase } from 'better-sqlite3';
export { Client as PgClient, Pool as PgPool } from 'pg';

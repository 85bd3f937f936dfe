// The private PostgreSQL of the tests lives in the devkit package (local-postgres.ts) so that the
// benchmarks start the same cluster.
export { startPostgres, postgresBinDir, type PostgresServer } from '@sparesync/devkit';

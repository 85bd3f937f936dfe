// @sparesync/devkit: what the demo, the tests and the benchmarks use, and a production install
// does not. See README.md.
export { writeLocalPair, freePort, deepMerge, type LocalPair, type LocalPairOptions } from './local-pair';
export { startAgentProcess, agentMainPath, type AgentProcess } from './agent-process';
export {
  sampleSystem,
  sampleAppScript,
  shellQuote,
  type SampleSystem,
  type SampleSystemOptions,
} from './sample-system';
export {
  startPostgres,
  postgresBinDir,
  type PostgresServer,
  type PostgresStartOptions,
} from './local-postgres';
export { startEtcd, etcdBinary, waitHealthy, type EtcdCluster, type EtcdMember } from './local-etcd';
export { writeSampleDatabase } from './sample-db';
export { SqliteDatabase, PgClient, PgPool, mssql, type MssqlPool } from './drivers';
export {
  RowPipeline,
  type RowPipelineOptions,
  type SentFrame,
  type SyncResult as RowSyncResult,
} from './row-pipeline';
export { localRowsCall } from './local-rows-call';

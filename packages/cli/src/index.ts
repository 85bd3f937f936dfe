export { writeLocalPair, freePort, deepMerge, type LocalPair, type LocalPairOptions } from './local-pair';
export { startAgentProcess, agentMainPath, type AgentProcess } from './agent-process';
export { formatStatus } from './format-status';
export {
  sampleSystem,
  sampleAppScript,
  shellQuote,
  type SampleSystem,
  type SampleSystemOptions,
} from './sample-system';
export { startPostgres, postgresBinDir, type PostgresServer } from './local-postgres';

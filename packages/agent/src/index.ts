// The composition root (agent.ts) is not exported: main.ts starts it, and importing it would load
// the whole agent (its HTTP server's ESM-only dependencies too) into every user of this index.
export { settingsProblems } from './settings-sync/settings-checks';
export {
  channelOptions,
  LINK_FLOW_CONTROL_WINDOW_BYTES,
  serverCredentials,
  serverOptions,
} from './link/credentials';
export { raiseReceiveWindow } from './link/receive-window';
export { queryAddress } from './dns/client';
// The block delta (signature → delta → atomic apply), for the delta benchmark (bench/src/delta.ts).
export {
  applyDeltaAtomically,
  chooseBlockSize,
  delta,
  encodedSignatureSize,
  signature,
  type DeltaOp,
} from './files';
// Row replication as DbPart runs it, for the database contract and crash tests: devkit's
// row-pipeline.ts joins a sending and a receiving DbReplication with an in-process Rows call.
export { DbReplication, type DbRequest } from './db/part/db-replication';
export { DbStatusTracker } from './db/part/db-status';
export { RowsStream, type RowSink, type RowsCall } from './db/part/rows-stream';
export type { RowAck, RowFrameBody } from './db/part/row-frames';
export { createAdapter, type DatabaseSettings } from './db/create';
export { decodeBatch } from './db/codec';
export { batchRowCount, type Batch } from './db/batch';
export type { DbAdapter } from './db/adapter';
export type { Direction, PartContext, PartProblem } from './parts';

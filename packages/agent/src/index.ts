export { Agent } from './agent';
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

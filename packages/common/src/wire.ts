// TypeScript shapes of the proto/sparesync.proto messages as @grpc/proto-loader delivers them
// (camelCase fields, longs as numbers, bytes as Buffer, defaults filled in, oneof name in `body`).

export interface Hello {
  role: string;
  version: string;
  timeZone: string;
  utcOffsetMinutes: number;
  nonce: Buffer;
  proof: Buffer;
  epoch: number;
  state: string;
  name: string;
  sentAtMs: number;
}

export interface Proof {
  proof: Buffer;
}

export interface Beat {
  seq: number;
  sentAtMs: number;
  echoSeq: number;
  echoSentAtMs: number;
  echoReceivedAtMs: number;
  state: string;
  reason: string;
  epoch: number;
}

export interface Goodbye {
  reason: string;
}

export type LinkFrame =
  | { body: 'hello'; hello: Hello }
  | { body: 'proof'; proof: Proof }
  | { body: 'beat'; beat: Beat }
  | { body: 'goodbye'; goodbye: Goodbye };

/** What we write: proto-loader takes the oneof member by its field name. */
export type LinkFrameOut =
  { hello: Partial<Hello> } | { proof: Proof } | { beat: Beat } | { goodbye: Goodbye };

export interface LocalStatus {
  role: string;
  state: string;
  reason: string;
  version: string;
  name: string;
  epoch: number;
  startedAtMs: number;
  decision?: string;
  lastSwitch?: SwitchLog;
}

export interface SwitchStep {
  step: string;
  outcome: 'done' | 'skipped' | 'failed';
  detail: string;
  atMs: number;
}

export interface SwitchLog {
  kind: string;
  requestedBy: string;
  why: string;
  startedAtMs: number;
  steps: SwitchStep[];
  phase: 'running' | 'waiting' | 'halted' | 'completed' | 'abandoned';
  currentStep: string;
  error: string;
  retryAtMs: number;
  endedAtMs: number;
}

export interface RemoteStatus {
  state: string;
  reachable: boolean;
  role: string;
  version: string;
  name: string;
  reason: string;
  address: string;
  lastSeenMs: number;
}

export interface LinkStatus {
  connected: boolean;
  rttMs: number;
  clockOffsetMs: number;
  lastError: string;
  connectedSinceMs: number;
  reconnectAttempts: number;
}

export interface Transition {
  atMs: number;
  from: string;
  to: string;
  reason: string;
  epoch: number;
}

export interface Status {
  local: LocalStatus;
  remote: RemoteStatus;
  link: LinkStatus;
  history: Transition[];
  /** File replication figures per folder pair (absent or empty without folders). */
  folders?: FolderStatus[];
}

// ----- File replication (Link Files stream, Status.folders) -----

export interface FolderStatus {
  name: string;
  path: string;
  direction: string;
  filesPending: number;
  bytesPending: number;
  lastScanMs: number;
  lastChangeMs: number;
  errorCount: number;
  errors: string[];
  bytesSent: number;
  bytesMatched: number;
  filesTransferred: number;
  problem: string;
}

export interface FileEntryWire {
  path: string;
  type: string;
  size: number;
  mtimeMs: number;
  mode: number;
  linkTarget: string;
}

/** The oneof member of a FileFrame (proto-loader takes it by its field name when writing). */
export type FileFrameBody =
  | { list: object }
  | { signature: { path: string; blockSize: number } }
  | { begin: { entry: FileEntryWire; blockSize: number } }
  | { chunk: { block: number; count: number; data: Buffer; deflated: boolean } }
  | { end: { size: number; sha256: Buffer; abort: boolean } }
  | { remove: { path: string } }
  | { rename: { from: string; to: string } }
  | { meta: FileEntryWire };

export type FileFrame = { epoch: number; folder: string; id: number } & FileFrameBody;

export interface FileAck {
  id: number;
  error: string;
  code: string;
  last: boolean;
  entries: FileEntryWire[];
  signature: Buffer;
  epoch: number;
}

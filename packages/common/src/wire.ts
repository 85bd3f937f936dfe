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
  /** The last time this agent stopped, cleanly or not (guide §7.3.1); absent before the first. */
  lastShutdown?: ShutdownRecord;
}

export interface ShutdownRecord {
  atMs: number;
  clean: boolean;
  reason: string;
  /** The operator has reviewed it (`sparesync mark-checked`). */
  checked: boolean;
  checkedAtMs: number;
}

export interface MarkShutdownCheckedReply {
  message: string;
  lastShutdown: ShutdownRecord;
}

export interface SwitchStep {
  step: string;
  outcome: 'done' | 'skipped' | 'failed';
  detail: string;
  atMs: number;
}

export interface SwitchLog {
  /** One attempt of a switch; a retry is a new attempt with a new id. */
  id: string;
  kind: string;
  requestedBy: string;
  why: string;
  startedAtMs: number;
  steps: SwitchStep[];
  phase: 'running' | 'waiting' | 'halted' | 'completed' | 'cancelled' | 'abandoned';
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
  /** Database replication (absent or null from an agent without the database part). */
  database?: DatabaseStatus | null;
}

// ----- Database replication (Link Rows stream, Control Db* RPCs, Status.database) -----

export interface TableRows {
  name: string;
  rows: number;
}

export interface ReinitProgress {
  active: boolean;
  kind: '' | 'snapshot' | 'backup';
  tables: TableRows[];
  tablesDone: number;
  rowsDone: number;
  rowsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  startedAtMs: number;
  finishedAtMs: number;
  error: string;
}

export interface DatabaseStatus {
  engine: string;
  phase: string;
  tables: string[];
  sourcePosition: string;
  appliedPosition: string;
  rowsPending: number;
  lagMs: number;
  lastError: string;
  lastErrorAtMs: number;
  rowsReplicated: number;
  batchesReplicated: number;
  reinitRequested: boolean;
  backupReinitRequested: boolean;
  fixRequested: boolean;
  reinit: ReinitProgress | null;
}

export interface DbOperationReply {
  message: string;
  tables: string[];
  removed: string[];
}

/** A Rows stream frame as received (oneof name in `body`). */
export interface RowBatchIn {
  epoch: number;
  seq: number;
  body: 'hello' | 'payload' | 'reinitBegin' | 'setPosition' | 'backupChunk';
  hello?: { engine: string; role: string };
  payload?: Buffer;
  reinitBegin?: { kind: string; tables: TableRows[] };
  setPosition?: { position: string };
  backupChunk?: {
    name: string;
    offset: number;
    data: Buffer;
    last: boolean;
    position: string;
    size: number;
  };
  readAtMs: number;
}

export interface RowAck {
  seq: number;
  appliedPosition: string;
  error: string;
  errorCode: string;
  epoch: number;
  engine: string;
  reinitRequested: boolean;
  backupReinitRequested: boolean;
  fixRequested: boolean;
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
  changesWaiting: number;
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

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
}

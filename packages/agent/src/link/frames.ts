// The Heartbeat stream's frames (proto/sparesync.proto, LinkFrame), named from the generated types.
import type { OneofMessage, WireInput, WireMessage } from '@sparesync/common';

export type Hello = WireMessage<'Hello'>;
export type Proof = WireMessage<'Proof'>;
export type Beat = WireMessage<'Beat'>;
export type Goodbye = WireMessage<'Goodbye'>;

/** A frame as it arrives: narrowed by `body` to the member it carries. */
export type LinkFrame = OneofMessage<WireMessage<'LinkFrame'>>;

/** A frame as written: proto-loader takes the oneof member by its field name. */
export type LinkFrameOut = WireInput<'LinkFrame'>;

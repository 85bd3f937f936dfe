// The Rows stream's frames (proto/sparesync.proto, RowBatch and RowAck), named from the generated
// types.
import type { OneofMessage, WireInput, WireMessage } from '@sparesync/common';

/** A frame as it arrives: narrowed by `body` to the member it carries. */
export type RowBatchIn = OneofMessage<WireMessage<'RowBatch'>>;

/** A frame as written: proto-loader takes the oneof member by its field name. */
export type RowBatchOut = WireInput<'RowBatch'>;

/** What the sender writes besides epoch and seq: one oneof member (and readAtMs with a payload). */
export type RowFrameBody = Omit<RowBatchOut, 'epoch' | 'seq' | 'body'>;

export type RowAck = WireMessage<'RowAck'>;

// How to move bulk bytes (file contents, row batches, backup chunks) over the link fast, as
// measured by `pnpm bench link` (table and reasoning at the top of bench/src/link.ts).
//
// - Direction: either. The HTTP/2 receive window decides how much can be in flight; Node starts
//   both ends at 64 KiB, which made a client stream of bulk data (sender dials and writes) wait
//   for a window update every 64 KiB. The agent raises it to LINK_FLOW_CONTROL_WINDOW_BYTES on
//   its channels (channelOptions) and on its server's sessions (./receive-window.ts); since then
//   push and pull are within the noise of each other in the bench, at 65-77% of plain TLS,
//   CPU-bound by per-message copies and per-frame work.
// - Chunks: LINK_BULK_CHUNK_BYTES of data per message. 64 KiB, 256 KiB and 1 MiB measured within
//   the noise of each other; 256 KiB keeps per-message costs low without holding 1 MiB buffers
//   per message in both processes. Use bulkChunkBytes() so a message fits link.maxMessageBytes.
// - Message: the bytes in a field of their own, written with back-pressure (write; on `false`
//   wait for 'drain'). Each message's bytes are copied by the encoder and again by grpc-js's
//   framing; keep other fields small so that is all the per-message work.
// - Heartbeats keep their own stream: behind bulk messages they wait for the bulk to drain.
export { LINK_FLOW_CONTROL_WINDOW_BYTES } from './credentials';

/** Data bytes per bulk message. */
export const LINK_BULK_CHUNK_BYTES = 256 * 1024;

/** Room for the other fields of a bulk message and protobuf's tags and lengths. */
const MESSAGE_OVERHEAD_BYTES = 4 * 1024;

/** The chunk size to use under the configured link.maxMessageBytes (64 KiB at least). */
export function bulkChunkBytes(maxMessageBytes: number): number {
  return Math.min(LINK_BULK_CHUNK_BYTES, maxMessageBytes - MESSAGE_OVERHEAD_BYTES);
}

// Original file: proto/sparesync.proto

import type { BatchedFile as _sparesync_v1_BatchedFile, BatchedFile__Output as _sparesync_v1_BatchedFile__Output } from '../../sparesync/v1/BatchedFile';

/**
 * Small files sent whole, packed by the sender up to a byte budget (256 KiB of data and paths,
 * the size of one FileChunk, so a batch fits wherever a chunk frame does).
 */
export interface FileBatch {
  /**
   * In the order the sender read them; a path appears at most once per batch.
   */
  'files'?: (_sparesync_v1_BatchedFile)[];
}

/**
 * Small files sent whole, packed by the sender up to a byte budget (256 KiB of data and paths,
 * the size of one FileChunk, so a batch fits wherever a chunk frame does).
 */
export interface FileBatch__Output {
  /**
   * In the order the sender read them; a path appears at most once per batch.
   */
  'files': (_sparesync_v1_BatchedFile__Output)[];
}

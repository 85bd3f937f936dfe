// Original file: proto/sparesync.proto

import type { RowsHello as _sparesync_v1_RowsHello, RowsHello__Output as _sparesync_v1_RowsHello__Output } from '../../sparesync/v1/RowsHello';
import type { ReinitBegin as _sparesync_v1_ReinitBegin, ReinitBegin__Output as _sparesync_v1_ReinitBegin__Output } from '../../sparesync/v1/ReinitBegin';
import type { SetPosition as _sparesync_v1_SetPosition, SetPosition__Output as _sparesync_v1_SetPosition__Output } from '../../sparesync/v1/SetPosition';
import type { BackupChunk as _sparesync_v1_BackupChunk, BackupChunk__Output as _sparesync_v1_BackupChunk__Output } from '../../sparesync/v1/BackupChunk';
import type { Long } from '@grpc/proto-loader';

/**
 * One frame on the Rows stream, from the sending agent. Positions are opaque, engine-specific
 * strings ("" = no valid position: the receiver must be reinitialised).
 */
export interface RowBatch {
  /**
   * The sender's epoch; the receiver refuses frames from an epoch lower than its own.
   */
  'epoch'?: (number | string | Long);
  /**
   * Frame number on this stream, from 1; echoed in RowAck.seq.
   */
  'seq'?: (number | string | Long);
  /**
   * First frame of every stream: who sends, and a request for the receiver's position and flags.
   */
  'hello'?: (_sparesync_v1_RowsHello | null);
  /**
   * Row data: a change batch or a reinitialisation chunk, in the binary batch encoding of
   * packages/agent/src/db/codec.ts (at most network.maxReplicaSizeKiB KiB, except a single
   * transaction or row larger than that, which travels alone). Applied in one transaction that
   * also records the batch's end position.
   */
  'payload'?: (Buffer | Uint8Array | string);
  /**
   * Announces a reinitialisation (a full copy of the tracked tables); payload chunks follow.
   */
  'reinitBegin'?: (_sparesync_v1_ReinitBegin | null);
  /**
   * "Fix synchronization state" (guide §7.3.2.6): the receiver records this position as applied
   * without copying any rows.
   */
  'setPosition'?: (_sparesync_v1_SetPosition | null);
  /**
   * A piece of a backup file for reinitialisation through a backup (guide §11.2, §11.3).
   */
  'backupChunk'?: (_sparesync_v1_BackupChunk | null);
  /**
   * Sender's clock when it read the rows of this frame from its database (payload frames only).
   */
  'readAtMs'?: (number | string | Long);
  'body'?: "hello"|"payload"|"reinitBegin"|"setPosition"|"backupChunk";
}

/**
 * One frame on the Rows stream, from the sending agent. Positions are opaque, engine-specific
 * strings ("" = no valid position: the receiver must be reinitialised).
 */
export interface RowBatch__Output {
  /**
   * The sender's epoch; the receiver refuses frames from an epoch lower than its own.
   */
  'epoch': (number);
  /**
   * Frame number on this stream, from 1; echoed in RowAck.seq.
   */
  'seq': (number);
  /**
   * First frame of every stream: who sends, and a request for the receiver's position and flags.
   */
  'hello'?: (_sparesync_v1_RowsHello__Output | null);
  /**
   * Row data: a change batch or a reinitialisation chunk, in the binary batch encoding of
   * packages/agent/src/db/codec.ts (at most network.maxReplicaSizeKiB KiB, except a single
   * transaction or row larger than that, which travels alone). Applied in one transaction that
   * also records the batch's end position.
   */
  'payload'?: (Buffer);
  /**
   * Announces a reinitialisation (a full copy of the tracked tables); payload chunks follow.
   */
  'reinitBegin'?: (_sparesync_v1_ReinitBegin__Output | null);
  /**
   * "Fix synchronization state" (guide §7.3.2.6): the receiver records this position as applied
   * without copying any rows.
   */
  'setPosition'?: (_sparesync_v1_SetPosition__Output | null);
  /**
   * A piece of a backup file for reinitialisation through a backup (guide §11.2, §11.3).
   */
  'backupChunk'?: (_sparesync_v1_BackupChunk__Output | null);
  /**
   * Sender's clock when it read the rows of this frame from its database (payload frames only).
   */
  'readAtMs': (number);
  'body'?: "hello"|"payload"|"reinitBegin"|"setPosition"|"backupChunk";
}

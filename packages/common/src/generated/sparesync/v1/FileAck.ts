// Original file: proto/sparesync.proto

import type { FileEntry as _sparesync_v1_FileEntry, FileEntry__Output as _sparesync_v1_FileEntry__Output } from '../../sparesync/v1/FileEntry';
import type { FileFailure as _sparesync_v1_FileFailure, FileFailure__Output as _sparesync_v1_FileFailure__Output } from '../../sparesync/v1/FileFailure';
import type { Long } from '@grpc/proto-loader';

/**
 * The receiver's answer to a FileFrame with an id.
 */
export interface FileAck {
  /**
   * The id of the frame answered.
   */
  'id'?: (number | string | Long);
  /**
   * Empty on success; otherwise why the frame failed (the stream goes on with the next frame).
   */
  'error'?: (string);
  /**
   * SpareSyncError code of the failure (e.g. PathRejected, FileVerifyFailed), empty on success.
   */
  'code'?: (string);
  /**
   * False while more FileAck frames for the same id follow (manifest and signature parts).
   */
  'last'?: (boolean);
  /**
   * Part of the manifest (answer to list).
   */
  'entries'?: (_sparesync_v1_FileEntry)[];
  /**
   * Part of the encoded block signature (answer to signature); empty when there is no old copy.
   */
  'signature'?: (Buffer | Uint8Array | string);
  /**
   * The receiver's epoch.
   */
  'epoch'?: (number | string | Long);
  /**
   * Answer to a batch: the files of it that failed (empty when all were published). FileAck.error
   * is set instead when the whole batch failed (then none of its files was published).
   */
  'failures'?: (_sparesync_v1_FileFailure)[];
  /**
   * Part of the manifest, packed (answer to a list with packed set; files/manifest-codec.ts).
   */
  'manifest'?: (Buffer | Uint8Array | string);
}

/**
 * The receiver's answer to a FileFrame with an id.
 */
export interface FileAck__Output {
  /**
   * The id of the frame answered.
   */
  'id': (number);
  /**
   * Empty on success; otherwise why the frame failed (the stream goes on with the next frame).
   */
  'error': (string);
  /**
   * SpareSyncError code of the failure (e.g. PathRejected, FileVerifyFailed), empty on success.
   */
  'code': (string);
  /**
   * False while more FileAck frames for the same id follow (manifest and signature parts).
   */
  'last': (boolean);
  /**
   * Part of the manifest (answer to list).
   */
  'entries': (_sparesync_v1_FileEntry__Output)[];
  /**
   * Part of the encoded block signature (answer to signature); empty when there is no old copy.
   */
  'signature': (Buffer);
  /**
   * The receiver's epoch.
   */
  'epoch': (number);
  /**
   * Answer to a batch: the files of it that failed (empty when all were published). FileAck.error
   * is set instead when the whole batch failed (then none of its files was published).
   */
  'failures': (_sparesync_v1_FileFailure__Output)[];
  /**
   * Part of the manifest, packed (answer to a list with packed set; files/manifest-codec.ts).
   */
  'manifest': (Buffer);
}

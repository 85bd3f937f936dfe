// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

export interface BackupChunk {
  /**
   * File name (no folders) the receiver stores the backup under in its database.backup folder.
   */
  'name'?: (string);
  /**
   * Byte offset of `data` in the file; chunks arrive in order.
   */
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
  /**
   * True on the final chunk: the receiver then restores the file into its database.
   */
  'last'?: (boolean);
  /**
   * On the final chunk: the position the restored database continues from.
   */
  'position'?: (string);
  /**
   * Total file size in bytes (on every chunk, for progress).
   */
  'size'?: (number | string | Long);
}

export interface BackupChunk__Output {
  /**
   * File name (no folders) the receiver stores the backup under in its database.backup folder.
   */
  'name': (string);
  /**
   * Byte offset of `data` in the file; chunks arrive in order.
   */
  'offset': (number);
  'data': (Buffer);
  /**
   * True on the final chunk: the receiver then restores the file into its database.
   */
  'last': (boolean);
  /**
   * On the final chunk: the position the restored database continues from.
   */
  'position': (string);
  /**
   * Total file size in bytes (on every chunk, for progress).
   */
  'size': (number);
}

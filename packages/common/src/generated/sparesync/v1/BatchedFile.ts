// Original file: proto/sparesync.proto

import type { FileEntry as _sparesync_v1_FileEntry, FileEntry__Output as _sparesync_v1_FileEntry__Output } from '../../sparesync/v1/FileEntry';

/**
 * One whole file of a FileBatch. The receiver publishes it as it does a file sent by begin /
 * chunk / end without a basis: temp file in the target folder, mode and mtime, fsync, rename,
 * directory fsync before the acknowledgement.
 */
export interface BatchedFile {
  /**
   * What the result must be: path (checked like any received path), type "file", size, mtime,
   * mode; link_target is empty.
   */
  'entry'?: (_sparesync_v1_FileEntry | null);
  /**
   * The whole content, raw-deflate compressed when `deflated` is set.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * `data` is raw-deflate compressed (settings network.compression, when that made it smaller).
   */
  'deflated'?: (boolean);
  /**
   * SHA-256 of the uncompressed content as the sender read it; the receiver checks it and
   * entry.size before publishing anything.
   */
  'sha256'?: (Buffer | Uint8Array | string);
}

/**
 * One whole file of a FileBatch. The receiver publishes it as it does a file sent by begin /
 * chunk / end without a basis: temp file in the target folder, mode and mtime, fsync, rename,
 * directory fsync before the acknowledgement.
 */
export interface BatchedFile__Output {
  /**
   * What the result must be: path (checked like any received path), type "file", size, mtime,
   * mode; link_target is empty.
   */
  'entry': (_sparesync_v1_FileEntry__Output | null);
  /**
   * The whole content, raw-deflate compressed when `deflated` is set.
   */
  'data': (Buffer);
  /**
   * `data` is raw-deflate compressed (settings network.compression, when that made it smaller).
   */
  'deflated': (boolean);
  /**
   * SHA-256 of the uncompressed content as the sender read it; the receiver checks it and
   * entry.size before publishing anything.
   */
  'sha256': (Buffer);
}

// Original file: proto/sparesync.proto

import type { FileEntry as _sparesync_v1_FileEntry, FileEntry__Output as _sparesync_v1_FileEntry__Output } from '../../sparesync/v1/FileEntry';

/**
 * Starts publishing one entry.
 */
export interface FileBegin {
  /**
   * What the result must be (path, type, size, mtime, mode, link target).
   */
  'entry'?: (_sparesync_v1_FileEntry | null);
  /**
   * For files: the block size of the signature the delta refers to, 0 when the delta has no basis
   * (only literal data follows).
   */
  'blockSize'?: (number);
}

/**
 * Starts publishing one entry.
 */
export interface FileBegin__Output {
  /**
   * What the result must be (path, type, size, mtime, mode, link target).
   */
  'entry': (_sparesync_v1_FileEntry__Output | null);
  /**
   * For files: the block size of the signature the delta refers to, 0 when the delta has no basis
   * (only literal data follows).
   */
  'blockSize': (number);
}

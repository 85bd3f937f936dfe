// Original file: proto/sparesync.proto


/**
 * A file of a FileBatch that was not published; the other files of the batch are unaffected.
 */
export interface FileFailure {
  /**
   * Position of the file in FileBatch.files (0-based).
   */
  'index'?: (number);
  /**
   * Its path as the sender gave it.
   */
  'path'?: (string);
  /**
   * Why it failed.
   */
  'error'?: (string);
  /**
   * SpareSyncError code of the failure (e.g. PathRejected, FileVerifyFailed).
   */
  'code'?: (string);
}

/**
 * A file of a FileBatch that was not published; the other files of the batch are unaffected.
 */
export interface FileFailure__Output {
  /**
   * Position of the file in FileBatch.files (0-based).
   */
  'index': (number);
  /**
   * Its path as the sender gave it.
   */
  'path': (string);
  /**
   * Why it failed.
   */
  'error': (string);
  /**
   * SpareSyncError code of the failure (e.g. PathRejected, FileVerifyFailed).
   */
  'code': (string);
}

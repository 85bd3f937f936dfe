// Original file: proto/sparesync.proto


/**
 * Asks for the signature of the receiver's current copy of `path`.
 */
export interface SignatureRequest {
  'path'?: (string);
  /**
   * Block size the receiver must use (chosen by the sender from the file's size).
   */
  'blockSize'?: (number);
}

/**
 * Asks for the signature of the receiver's current copy of `path`.
 */
export interface SignatureRequest__Output {
  'path': (string);
  /**
   * Block size the receiver must use (chosen by the sender from the file's size).
   */
  'blockSize': (number);
}

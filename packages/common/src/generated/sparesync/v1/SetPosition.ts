// Original file: proto/sparesync.proto


export interface SetPosition {
  /**
   * The sender's current position; the receiver continues from it.
   */
  'position'?: (string);
}

export interface SetPosition__Output {
  /**
   * The sender's current position; the receiver continues from it.
   */
  'position': (string);
}

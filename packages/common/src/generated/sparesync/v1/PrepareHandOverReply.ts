// Original file: proto/sparesync.proto


export interface PrepareHandOverReply {
  /**
   * One line for the switch log: what the primary did and how long the drain took.
   */
  'detail'?: (string);
}

export interface PrepareHandOverReply__Output {
  /**
   * One line for the switch log: what the primary did and how long the drain took.
   */
  'detail': (string);
}

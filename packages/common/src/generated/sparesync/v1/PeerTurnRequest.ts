// Original file: proto/sparesync.proto


export interface PeerTurnRequest {
  /**
   * True: OperatorTurnedOn; false: OperatorTurnedOff.
   */
  'on'?: (boolean);
  /**
   * The sender's name, for the receiver's log.
   */
  'fromName'?: (string);
}

export interface PeerTurnRequest__Output {
  /**
   * True: OperatorTurnedOn; false: OperatorTurnedOff.
   */
  'on': (boolean);
  /**
   * The sender's name, for the receiver's log.
   */
  'fromName': (string);
}

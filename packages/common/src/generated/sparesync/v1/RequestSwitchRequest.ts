// Original file: proto/sparesync.proto


export interface RequestSwitchRequest {
  /**
   * "primary" or "secondary": the server that is to run the managed system.
   */
  'to'?: (string);
}

export interface RequestSwitchRequest__Output {
  /**
   * "primary" or "secondary": the server that is to run the managed system.
   */
  'to': (string);
}

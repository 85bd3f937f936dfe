// Original file: proto/sparesync.proto


export interface RequestSwitchRequest {
  /**
   * "primary" or "secondary": the server that is to run the managed system; "undo": reverse the
   * switch under way or halted (guide §10.1.4), i.e. switch back to where it started. Refused
   * (accepted false, with the reason) when there is none, or while SpareSync is turned off.
   */
  'to'?: (string);
}

export interface RequestSwitchRequest__Output {
  /**
   * "primary" or "secondary": the server that is to run the managed system; "undo": reverse the
   * switch under way or halted (guide §10.1.4), i.e. switch back to where it started. Refused
   * (accepted false, with the reason) when there is none, or while SpareSync is turned off.
   */
  'to': (string);
}

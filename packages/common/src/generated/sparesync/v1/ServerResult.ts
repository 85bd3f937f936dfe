// Original file: proto/sparesync.proto


/**
 * What one server did with an operator request.
 */
export interface ServerResult {
  /**
   * "primary" or "secondary", and the server's name (settings name or host name).
   */
  'role'?: (string);
  'name'?: (string);
  /**
   * False when the request could not be delivered (the peer was unreachable); then the other
   * fields are empty and detail says why.
   */
  'reached'?: (boolean);
  /**
   * Whether the server did what was asked (e.g. it is now TurnedOff).
   */
  'done'?: (boolean);
  /**
   * Its state after the request.
   */
  'state'?: (string);
  /**
   * Its state machine's decision in one sentence, or why the request failed.
   */
  'detail'?: (string);
}

/**
 * What one server did with an operator request.
 */
export interface ServerResult__Output {
  /**
   * "primary" or "secondary", and the server's name (settings name or host name).
   */
  'role': (string);
  'name': (string);
  /**
   * False when the request could not be delivered (the peer was unreachable); then the other
   * fields are empty and detail says why.
   */
  'reached': (boolean);
  /**
   * Whether the server did what was asked (e.g. it is now TurnedOff).
   */
  'done': (boolean);
  /**
   * Its state after the request.
   */
  'state': (string);
  /**
   * Its state machine's decision in one sentence, or why the request failed.
   */
  'detail': (string);
}

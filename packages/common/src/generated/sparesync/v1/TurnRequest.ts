// Original file: proto/sparesync.proto


export interface TurnRequest {
  /**
   * Act on this server only (the guide's "only on this server"); by default both servers.
   */
  'thisServerOnly'?: (boolean);
}

export interface TurnRequest__Output {
  /**
   * Act on this server only (the guide's "only on this server"); by default both servers.
   */
  'thisServerOnly': (boolean);
}

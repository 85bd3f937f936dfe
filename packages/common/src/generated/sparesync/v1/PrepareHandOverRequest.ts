// Original file: proto/sparesync.proto


export interface PrepareHandOverRequest {
  /**
   * The secondary's name, for the primary's log.
   */
  'fromName'?: (string);
}

export interface PrepareHandOverRequest__Output {
  /**
   * The secondary's name, for the primary's log.
   */
  'fromName': (string);
}

// Original file: proto/sparesync.proto


export interface WatchStatusRequest {
  /**
   * Longest time between two events (seconds); 0 means 10. At least 1.
   */
  'keepaliveSeconds'?: (number);
  /**
   * False (the default, as before this field): every event carries the full status (~2.5 KB).
   * True: only the "initial" event carries it; "changed" events carry the summary only, and
   * "keepalive" events neither (call GetStatus for the figures).
   */
  'changesOnly'?: (boolean);
}

export interface WatchStatusRequest__Output {
  /**
   * Longest time between two events (seconds); 0 means 10. At least 1.
   */
  'keepaliveSeconds': (number);
  /**
   * False (the default, as before this field): every event carries the full status (~2.5 KB).
   * True: only the "initial" event carries it; "changed" events carry the summary only, and
   * "keepalive" events neither (call GetStatus for the figures).
   */
  'changesOnly': (boolean);
}

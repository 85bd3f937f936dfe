// Original file: proto/sparesync.proto


export interface WatchStatusRequest {
  /**
   * Longest time between two events (seconds); 0 means 10. At least 1.
   */
  'keepaliveSeconds'?: (number);
}

export interface WatchStatusRequest__Output {
  /**
   * Longest time between two events (seconds); 0 means 10. At least 1.
   */
  'keepaliveSeconds': (number);
}

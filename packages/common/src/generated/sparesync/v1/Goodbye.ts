// Original file: proto/sparesync.proto


/**
 * Sent by an agent that stops on purpose (SIGTERM, service stop). The receiver shows the peer as
 * Stopped, not as lost (guide §8).
 */
export interface Goodbye {
  'reason'?: (string);
}

/**
 * Sent by an agent that stops on purpose (SIGTERM, service stop). The receiver shows the peer as
 * Stopped, not as lost (guide §8).
 */
export interface Goodbye__Output {
  'reason': (string);
}

// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A heartbeat. Carries an echo of the last Beat received from the other side, so each side can
 * compute the round trip and the clock offset the NTP way:
 * t0 = echo_sent_at_ms (my clock), t1 = echo_received_at_ms (peer clock),
 * t2 = sent_at_ms (peer clock),   t3 = arrival (my clock)
 * rtt = (t3 - t0) - (t2 - t1);  offset(peer - me) = ((t1 - t0) + (t2 - t3)) / 2
 */
export interface Beat {
  'seq'?: (number | string | Long);
  'sentAtMs'?: (number | string | Long);
  'echoSeq'?: (number | string | Long);
  'echoSentAtMs'?: (number | string | Long);
  'echoReceivedAtMs'?: (number | string | Long);
  /**
   * The sender's current state name and reason, so each side can show the other's.
   */
  'state'?: (string);
  'reason'?: (string);
  'epoch'?: (number | string | Long);
}

/**
 * A heartbeat. Carries an echo of the last Beat received from the other side, so each side can
 * compute the round trip and the clock offset the NTP way:
 * t0 = echo_sent_at_ms (my clock), t1 = echo_received_at_ms (peer clock),
 * t2 = sent_at_ms (peer clock),   t3 = arrival (my clock)
 * rtt = (t3 - t0) - (t2 - t1);  offset(peer - me) = ((t1 - t0) + (t2 - t3)) / 2
 */
export interface Beat__Output {
  'seq': (number);
  'sentAtMs': (number);
  'echoSeq': (number);
  'echoSentAtMs': (number);
  'echoReceivedAtMs': (number);
  /**
   * The sender's current state name and reason, so each side can show the other's.
   */
  'state': (string);
  'reason': (string);
  'epoch': (number);
}

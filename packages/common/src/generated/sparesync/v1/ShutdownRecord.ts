// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A stop of the agent, for the operator to review and mark checked.
 */
export interface ShutdownRecord {
  /**
   * When: the stop itself, or for an unclean end the last "alive" mark (written every 30 s).
   */
  'atMs'?: (number | string | Long);
  /**
   * True: stopped on purpose (SIGTERM, restart); false: killed, crashed or the server lost power.
   */
  'clean'?: (boolean);
  /**
   * Why, one sentence.
   */
  'reason'?: (string);
  /**
   * The operator has reviewed it (MarkShutdownChecked).
   */
  'checked'?: (boolean);
  /**
   * When it was marked checked (0 = not yet).
   */
  'checkedAtMs'?: (number | string | Long);
}

/**
 * A stop of the agent, for the operator to review and mark checked.
 */
export interface ShutdownRecord__Output {
  /**
   * When: the stop itself, or for an unclean end the last "alive" mark (written every 30 s).
   */
  'atMs': (number);
  /**
   * True: stopped on purpose (SIGTERM, restart); false: killed, crashed or the server lost power.
   */
  'clean': (boolean);
  /**
   * Why, one sentence.
   */
  'reason': (string);
  /**
   * The operator has reviewed it (MarkShutdownChecked).
   */
  'checked': (boolean);
  /**
   * When it was marked checked (0 = not yet).
   */
  'checkedAtMs': (number);
}

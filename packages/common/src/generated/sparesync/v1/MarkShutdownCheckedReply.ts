// Original file: proto/sparesync.proto

import type { ShutdownRecord as _sparesync_v1_ShutdownRecord, ShutdownRecord__Output as _sparesync_v1_ShutdownRecord__Output } from '../../sparesync/v1/ShutdownRecord';

export interface MarkShutdownCheckedReply {
  /**
   * One line for the operator.
   */
  'message'?: (string);
  /**
   * The record as now stored, checked.
   */
  'lastShutdown'?: (_sparesync_v1_ShutdownRecord | null);
}

export interface MarkShutdownCheckedReply__Output {
  /**
   * One line for the operator.
   */
  'message': (string);
  /**
   * The record as now stored, checked.
   */
  'lastShutdown': (_sparesync_v1_ShutdownRecord__Output | null);
}

// Original file: proto/sparesync.proto

import type { Status as _sparesync_v1_Status, Status__Output as _sparesync_v1_Status__Output } from '../../sparesync/v1/Status';
import type { StatusSummary as _sparesync_v1_StatusSummary, StatusSummary__Output as _sparesync_v1_StatusSummary__Output } from '../../sparesync/v1/StatusSummary';
import type { Long } from '@grpc/proto-loader';

export interface StatusEvent {
  /**
   * Why this event was sent: "initial" (the first one), "changed" (something in Status changed)
   * or "keepalive" (nothing changed for keepalive_seconds).
   */
  'cause'?: (string);
  /**
   * The full status at at_ms (absent on "changed" and "keepalive" events with changes_only).
   */
  'status'?: (_sparesync_v1_Status | null);
  'atMs'?: (number | string | Long);
  /**
   * What a change is judged on, always present: a few hundred bytes.
   */
  'summary'?: (_sparesync_v1_StatusSummary | null);
}

export interface StatusEvent__Output {
  /**
   * Why this event was sent: "initial" (the first one), "changed" (something in Status changed)
   * or "keepalive" (nothing changed for keepalive_seconds).
   */
  'cause': (string);
  /**
   * The full status at at_ms (absent on "changed" and "keepalive" events with changes_only).
   */
  'status': (_sparesync_v1_Status__Output | null);
  'atMs': (number);
  /**
   * What a change is judged on, always present: a few hundred bytes.
   */
  'summary': (_sparesync_v1_StatusSummary__Output | null);
}

// Original file: proto/sparesync.proto

import type { Status as _sparesync_v1_Status, Status__Output as _sparesync_v1_Status__Output } from '../../sparesync/v1/Status';
import type { Long } from '@grpc/proto-loader';

export interface StatusEvent {
  /**
   * Why this event was sent: "initial" (the first one), "changed" (something in Status changed)
   * or "keepalive" (nothing changed for keepalive_seconds).
   */
  'cause'?: (string);
  /**
   * The full status at at_ms.
   */
  'status'?: (_sparesync_v1_Status | null);
  'atMs'?: (number | string | Long);
}

export interface StatusEvent__Output {
  /**
   * Why this event was sent: "initial" (the first one), "changed" (something in Status changed)
   * or "keepalive" (nothing changed for keepalive_seconds).
   */
  'cause': (string);
  /**
   * The full status at at_ms.
   */
  'status': (_sparesync_v1_Status__Output | null);
  'atMs': (number);
}

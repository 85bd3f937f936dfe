// Original file: proto/sparesync.proto

import type { ServerResult as _sparesync_v1_ServerResult, ServerResult__Output as _sparesync_v1_ServerResult__Output } from '../../sparesync/v1/ServerResult';

export interface OperatorReply {
  /**
   * True when the request was carried out on every server it was meant for: false when the
   * state machine refused it (see message) or the peer could not be reached.
   */
  'accepted'?: (boolean);
  /**
   * One sentence for the operator: what happened and, when refused, why and what to do.
   */
  'message'?: (string);
  /**
   * This server first, then the peer when the request was forwarded to it.
   */
  'servers'?: (_sparesync_v1_ServerResult)[];
  /**
   * RequestSwitch: the id of the switch attempt that runs (SwitchLog.id), to follow in
   * Status.local.last_switch; empty when no switch runs (refused, or an undo that only cancelled).
   */
  'switchId'?: (string);
}

export interface OperatorReply__Output {
  /**
   * True when the request was carried out on every server it was meant for: false when the
   * state machine refused it (see message) or the peer could not be reached.
   */
  'accepted': (boolean);
  /**
   * One sentence for the operator: what happened and, when refused, why and what to do.
   */
  'message': (string);
  /**
   * This server first, then the peer when the request was forwarded to it.
   */
  'servers': (_sparesync_v1_ServerResult__Output)[];
  /**
   * RequestSwitch: the id of the switch attempt that runs (SwitchLog.id), to follow in
   * Status.local.last_switch; empty when no switch runs (refused, or an undo that only cancelled).
   */
  'switchId': (string);
}

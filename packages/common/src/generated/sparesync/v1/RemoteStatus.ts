// Original file: proto/sparesync.proto

import type { AgentState as _sparesync_v1_AgentState, AgentState__Output as _sparesync_v1_AgentState__Output } from '../../sparesync/v1/AgentState';
import type { Long } from '@grpc/proto-loader';

/**
 * The peer agent as this agent last saw it.
 */
export interface RemoteStatus {
  /**
   * The peer's state, or "Unknown" when it has never been reached, or "Stopped" after its Goodbye.
   */
  'state'?: (string);
  /**
   * True while the heartbeat stream to the peer is up and verified.
   */
  'reachable'?: (boolean);
  'role'?: (string);
  'version'?: (string);
  'name'?: (string);
  'reason'?: (string);
  /**
   * Address this agent dials, host:port.
   */
  'address'?: (string);
  /**
   * When the peer was last heard from (0 = never).
   */
  'lastSeenMs'?: (number | string | Long);
  /**
   * state as an enum (see the top of this file).
   */
  'stateCode'?: (_sparesync_v1_AgentState);
}

/**
 * The peer agent as this agent last saw it.
 */
export interface RemoteStatus__Output {
  /**
   * The peer's state, or "Unknown" when it has never been reached, or "Stopped" after its Goodbye.
   */
  'state': (string);
  /**
   * True while the heartbeat stream to the peer is up and verified.
   */
  'reachable': (boolean);
  'role': (string);
  'version': (string);
  'name': (string);
  'reason': (string);
  /**
   * Address this agent dials, host:port.
   */
  'address': (string);
  /**
   * When the peer was last heard from (0 = never).
   */
  'lastSeenMs': (number);
  /**
   * state as an enum (see the top of this file).
   */
  'stateCode': (_sparesync_v1_AgentState__Output);
}

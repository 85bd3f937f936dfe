// Original file: proto/sparesync.proto

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
}

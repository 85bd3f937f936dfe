// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

export interface LinkStatus {
  /**
   * True while a verified heartbeat stream is up.
   */
  'connected'?: (boolean);
  /**
   * Round-trip time of the latest heartbeat in milliseconds (0 while disconnected).
   */
  'rttMs'?: (number | string);
  /**
   * Peer clock minus this agent's clock in milliseconds, round-trip corrected.
   */
  'clockOffsetMs'?: (number | string);
  /**
   * The last link error (connection refused, certificate rejected, handshake failure, ...).
   */
  'lastError'?: (string);
  /**
   * When the current connection was established (0 while disconnected).
   */
  'connectedSinceMs'?: (number | string | Long);
  /**
   * Reconnect attempts since the link was last up.
   */
  'reconnectAttempts'?: (number);
}

export interface LinkStatus__Output {
  /**
   * True while a verified heartbeat stream is up.
   */
  'connected': (boolean);
  /**
   * Round-trip time of the latest heartbeat in milliseconds (0 while disconnected).
   */
  'rttMs': (number);
  /**
   * Peer clock minus this agent's clock in milliseconds, round-trip corrected.
   */
  'clockOffsetMs': (number);
  /**
   * The last link error (connection refused, certificate rejected, handshake failure, ...).
   */
  'lastError': (string);
  /**
   * When the current connection was established (0 while disconnected).
   */
  'connectedSinceMs': (number);
  /**
   * Reconnect attempts since the link was last up.
   */
  'reconnectAttempts': (number);
}

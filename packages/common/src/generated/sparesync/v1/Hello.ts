// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Sent once by each side at the start of a Heartbeat stream (client first).
 */
export interface Hello {
  /**
   * "primary" or "secondary": the role this agent is configured with.
   */
  'role'?: (string);
  /**
   * The agent's software version; both sides must run the same version (guide §8.1).
   */
  'version'?: (string);
  /**
   * IANA time zone name of the agent's machine, e.g. "Europe/Berlin".
   */
  'timeZone'?: (string);
  /**
   * The time zone's current offset from UTC in minutes (east positive).
   */
  'utcOffsetMinutes'?: (number);
  /**
   * 32 random bytes. The other side proves it holds the pair key by returning
   * HMAC-SHA256(pair key, label | this nonce | its own nonce).
   */
  'nonce'?: (Buffer | Uint8Array | string);
  /**
   * Only on the server's Hello: HMAC-SHA256(pair key, "server" | client nonce | server nonce).
   */
  'proof'?: (Buffer | Uint8Array | string);
  /**
   * The highest completed switch epoch this agent knows (fences stale writers).
   */
  'epoch'?: (number | string | Long);
  /**
   * The agent's own state name (see State in Status).
   */
  'state'?: (string);
  /**
   * Free-form server name for messages and the admin page.
   */
  'name'?: (string);
  /**
   * The sender's clock when it sent this frame.
   */
  'sentAtMs'?: (number | string | Long);
}

/**
 * Sent once by each side at the start of a Heartbeat stream (client first).
 */
export interface Hello__Output {
  /**
   * "primary" or "secondary": the role this agent is configured with.
   */
  'role': (string);
  /**
   * The agent's software version; both sides must run the same version (guide §8.1).
   */
  'version': (string);
  /**
   * IANA time zone name of the agent's machine, e.g. "Europe/Berlin".
   */
  'timeZone': (string);
  /**
   * The time zone's current offset from UTC in minutes (east positive).
   */
  'utcOffsetMinutes': (number);
  /**
   * 32 random bytes. The other side proves it holds the pair key by returning
   * HMAC-SHA256(pair key, label | this nonce | its own nonce).
   */
  'nonce': (Buffer);
  /**
   * Only on the server's Hello: HMAC-SHA256(pair key, "server" | client nonce | server nonce).
   */
  'proof': (Buffer);
  /**
   * The highest completed switch epoch this agent knows (fences stale writers).
   */
  'epoch': (number);
  /**
   * The agent's own state name (see State in Status).
   */
  'state': (string);
  /**
   * Free-form server name for messages and the admin page.
   */
  'name': (string);
  /**
   * The sender's clock when it sent this frame.
   */
  'sentAtMs': (number);
}

// Original file: proto/sparesync.proto


/**
 * The client's answer to the server's Hello: HMAC-SHA256(pair key, "client" | server nonce | client nonce).
 */
export interface Proof {
  'proof'?: (Buffer | Uint8Array | string);
}

/**
 * The client's answer to the server's Hello: HMAC-SHA256(pair key, "client" | server nonce | client nonce).
 */
export interface Proof__Output {
  'proof': (Buffer);
}

// Original file: proto/sparesync.proto


export interface Identity {
  /**
   * settings name (or the host name when empty), "primary" or "secondary", the agent's version.
   */
  'name'?: (string);
  'role'?: (string);
  'version'?: (string);
  /**
   * SHA-256 of this agent's certificate (tls.cert), upper-case hex with colons: what a client pins.
   */
  'fingerprint'?: (string);
  /**
   * The fingerprint this agent pins for its peer (peer.fingerprint).
   */
  'peerFingerprint'?: (string);
  /**
   * The TLS server name SpareSync's own clients set when they dial it ("sparesync-agent"; see the
   * top of this file) and the DNS names and IP addresses its certificate carries.
   */
  'tlsServerName'?: (string);
  'certificateNames'?: (string)[];
}

export interface Identity__Output {
  /**
   * settings name (or the host name when empty), "primary" or "secondary", the agent's version.
   */
  'name': (string);
  'role': (string);
  'version': (string);
  /**
   * SHA-256 of this agent's certificate (tls.cert), upper-case hex with colons: what a client pins.
   */
  'fingerprint': (string);
  /**
   * The fingerprint this agent pins for its peer (peer.fingerprint).
   */
  'peerFingerprint': (string);
  /**
   * The TLS server name SpareSync's own clients set when they dial it ("sparesync-agent"; see the
   * top of this file) and the DNS names and IP addresses its certificate carries.
   */
  'tlsServerName': (string);
  'certificateNames': (string)[];
}

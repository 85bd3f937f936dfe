// Original file: proto/sparesync.proto


export interface NotifyTransportResult {
  /**
   * "smtp" or "webhook".
   */
  'transport'?: (string);
  /**
   * Where the message went, safe to show: "smtp HOST:PORT (SECURITY) to ADDRESSES" or
   * "webhook URL" (without credentials or query string).
   */
  'target'?: (string);
  /**
   * True when the transport accepted the message (the SMTP server took it, the webhook answered 2xx).
   */
  'ok'?: (boolean);
  /**
   * The server's answer when ok, otherwise why it failed with a hint; never holds a password.
   */
  'detail'?: (string);
}

export interface NotifyTransportResult__Output {
  /**
   * "smtp" or "webhook".
   */
  'transport': (string);
  /**
   * Where the message went, safe to show: "smtp HOST:PORT (SECURITY) to ADDRESSES" or
   * "webhook URL" (without credentials or query string).
   */
  'target': (string);
  /**
   * True when the transport accepted the message (the SMTP server took it, the webhook answered 2xx).
   */
  'ok': (boolean);
  /**
   * The server's answer when ok, otherwise why it failed with a hint; never holds a password.
   */
  'detail': (string);
}

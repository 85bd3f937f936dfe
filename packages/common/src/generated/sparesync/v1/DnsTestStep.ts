// Original file: proto/sparesync.proto


export interface DnsTestStep {
  'step'?: (string);
  'ok'?: (boolean);
  /**
   * Not run because an earlier step made it pointless.
   */
  'skipped'?: (boolean);
  /**
   * What was done or found, or what went wrong.
   */
  'detail'?: (string);
  /**
   * What to check when it failed (e.g. the TSIG key), empty on success.
   */
  'hint'?: (string);
}

export interface DnsTestStep__Output {
  'step': (string);
  'ok': (boolean);
  /**
   * Not run because an earlier step made it pointless.
   */
  'skipped': (boolean);
  /**
   * What was done or found, or what went wrong.
   */
  'detail': (string);
  /**
   * What to check when it failed (e.g. the TSIG key), empty on success.
   */
  'hint': (string);
}

// Original file: proto/sparesync.proto


/**
 * What happened to one setting whose effective value changed.
 */
export interface SettingOutcome {
  /**
   * JSON Pointer of the setting (or group, for arrays of objects).
   */
  'path'?: (string);
  /**
   * Effective values before and after as JSON (defaults filled in).
   */
  'oldJson'?: (string);
  'newJson'?: (string);
  /**
   * Marked x-local: this server only, never sent to the peer.
   */
  'local'?: (boolean);
  /**
   * Takes effect after the agent restarts (Restart RPC); false: in effect now.
   */
  'restartRequired'?: (boolean);
  /**
   * Marked x-critical (shown highlighted).
   */
  'critical'?: (boolean);
}

/**
 * What happened to one setting whose effective value changed.
 */
export interface SettingOutcome__Output {
  /**
   * JSON Pointer of the setting (or group, for arrays of objects).
   */
  'path': (string);
  /**
   * Effective values before and after as JSON (defaults filled in).
   */
  'oldJson': (string);
  'newJson': (string);
  /**
   * Marked x-local: this server only, never sent to the peer.
   */
  'local': (boolean);
  /**
   * Takes effect after the agent restarts (Restart RPC); false: in effect now.
   */
  'restartRequired': (boolean);
  /**
   * Marked x-critical (shown highlighted).
   */
  'critical': (boolean);
}

// Original file: proto/sparesync.proto


export interface GetSettingsReply {
  /**
   * The settings file of this agent (absolute path).
   */
  'file'?: (string);
  /**
   * The JSON Pointer asked for ("" for all).
   */
  'path'?: (string);
  /**
   * The value as JSON, defaults filled in.
   */
  'valueJson'?: (string);
  /**
   * The schema's markers for the path (guide §7.1): critical (highlighted), restart required,
   * local (never copied to the other server). All false for the whole document.
   */
  'critical'?: (boolean);
  'restartRequired'?: (boolean);
  'local'?: (boolean);
}

export interface GetSettingsReply__Output {
  /**
   * The settings file of this agent (absolute path).
   */
  'file': (string);
  /**
   * The JSON Pointer asked for ("" for all).
   */
  'path': (string);
  /**
   * The value as JSON, defaults filled in.
   */
  'valueJson': (string);
  /**
   * The schema's markers for the path (guide §7.1): critical (highlighted), restart required,
   * local (never copied to the other server). All false for the whole document.
   */
  'critical': (boolean);
  'restartRequired': (boolean);
  'local': (boolean);
}

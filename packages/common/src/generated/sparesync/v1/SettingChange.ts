// Original file: proto/sparesync.proto


/**
 * One change, as in JSON Patch (RFC 6902) "add"/"replace" (value_json) or "remove" (remove).
 */
export interface SettingChange {
  /**
   * JSON Pointer ("/system/allowableResponseTimeSeconds") or dotted path
   * ("system.allowableResponseTimeSeconds"). Array items by index ("/maintenanceWindows/0").
   */
  'path'?: (string);
  /**
   * The new value as JSON text, e.g. "60", "true", "\"text\"", "[...]".
   */
  'valueJson'?: (string);
  /**
   * Remove the setting from the file (it falls back to its default).
   */
  'remove'?: (boolean);
}

/**
 * One change, as in JSON Patch (RFC 6902) "add"/"replace" (value_json) or "remove" (remove).
 */
export interface SettingChange__Output {
  /**
   * JSON Pointer ("/system/allowableResponseTimeSeconds") or dotted path
   * ("system.allowableResponseTimeSeconds"). Array items by index ("/maintenanceWindows/0").
   */
  'path': (string);
  /**
   * The new value as JSON text, e.g. "60", "true", "\"text\"", "[...]".
   */
  'valueJson': (string);
  /**
   * Remove the setting from the file (it falls back to its default).
   */
  'remove': (boolean);
}

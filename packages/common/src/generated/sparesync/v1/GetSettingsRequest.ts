// Original file: proto/sparesync.proto


export interface GetSettingsRequest {
  /**
   * A setting or group as a JSON Pointer ("/system/allowableResponseTimeSeconds") or dotted
   * ("system.allowableResponseTimeSeconds"); empty for all settings.
   */
  'path'?: (string);
}

export interface GetSettingsRequest__Output {
  /**
   * A setting or group as a JSON Pointer ("/system/allowableResponseTimeSeconds") or dotted
   * ("system.allowableResponseTimeSeconds"); empty for all settings.
   */
  'path': (string);
}

// Original file: proto/sparesync.proto


export interface SendTestMessageRequest {
  /**
   * Text of the test message ("" for a default text).
   */
  'text'?: (string);
}

export interface SendTestMessageRequest__Output {
  /**
   * Text of the test message ("" for a default text).
   */
  'text': (string);
}

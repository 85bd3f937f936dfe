// Original file: proto/sparesync.proto


/**
 * Opens a Rows stream.
 */
export interface RowsHello {
  /**
   * Database engine of the sender: "sqlite", "postgres" or "mssql"; both sides must use the same.
   */
  'engine'?: (string);
  /**
   * Sender's agent role, for messages.
   */
  'role'?: (string);
}

/**
 * Opens a Rows stream.
 */
export interface RowsHello__Output {
  /**
   * Database engine of the sender: "sqlite", "postgres" or "mssql"; both sides must use the same.
   */
  'engine': (string);
  /**
   * Sender's agent role, for messages.
   */
  'role': (string);
}

// Original file: proto/sparesync.proto


/**
 * Asks for the receiver's manifest.
 */
export interface ListFolder {
  /**
   * Answer with FileAck.manifest (packed entries, the agent's files/manifest-codec.ts) instead of
   * FileAck.entries.
   */
  'packed'?: (boolean);
}

/**
 * Asks for the receiver's manifest.
 */
export interface ListFolder__Output {
  /**
   * Answer with FileAck.manifest (packed entries, the agent's files/manifest-codec.ts) instead of
   * FileAck.entries.
   */
  'packed': (boolean);
}

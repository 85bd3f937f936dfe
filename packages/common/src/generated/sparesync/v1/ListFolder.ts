// Original file: proto/sparesync.proto


/**
 * Asks for the receiver's manifest.
 */
export interface ListFolder {
}

/**
 * Asks for the receiver's manifest.
 */
export interface ListFolder__Output {
}

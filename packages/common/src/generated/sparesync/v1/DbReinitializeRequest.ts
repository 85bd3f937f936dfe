// Original file: proto/sparesync.proto


export interface DbReinitializeRequest {
  /**
   * Reinitialise through a backup (pg_dump / SQLite backup API / BACKUP DATABASE) moved over the link.
   */
  'fromBackup'?: (boolean);
}

export interface DbReinitializeRequest__Output {
  /**
   * Reinitialise through a backup (pg_dump / SQLite backup API / BACKUP DATABASE) moved over the link.
   */
  'fromBackup': (boolean);
}

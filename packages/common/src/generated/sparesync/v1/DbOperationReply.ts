// Original file: proto/sparesync.proto


export interface DbOperationReply {
  /**
   * One sentence: what was done or recorded.
   */
  'message'?: (string);
  /**
   * DbInstallScripts: the tables that now have change capture.
   */
  'tables'?: (string)[];
  /**
   * DbInstallScripts: the tables whose capture was removed.
   */
  'removed'?: (string)[];
}

export interface DbOperationReply__Output {
  /**
   * One sentence: what was done or recorded.
   */
  'message': (string);
  /**
   * DbInstallScripts: the tables that now have change capture.
   */
  'tables': (string)[];
  /**
   * DbInstallScripts: the tables whose capture was removed.
   */
  'removed': (string)[];
}

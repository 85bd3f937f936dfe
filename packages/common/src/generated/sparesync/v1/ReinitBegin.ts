// Original file: proto/sparesync.proto

import type { TableRows as _sparesync_v1_TableRows, TableRows__Output as _sparesync_v1_TableRows__Output } from '../../sparesync/v1/TableRows';

/**
 * Start of a reinitialisation, for progress on the receiving side.
 */
export interface ReinitBegin {
  /**
   * "snapshot" (rows copied over this stream) or "backup" (a backup file follows in BackupChunk frames).
   */
  'kind'?: (string);
  /**
   * The tracked tables and their row counts at the snapshot (empty for "backup").
   */
  'tables'?: (_sparesync_v1_TableRows)[];
}

/**
 * Start of a reinitialisation, for progress on the receiving side.
 */
export interface ReinitBegin__Output {
  /**
   * "snapshot" (rows copied over this stream) or "backup" (a backup file follows in BackupChunk frames).
   */
  'kind': (string);
  /**
   * The tracked tables and their row counts at the snapshot (empty for "backup").
   */
  'tables': (_sparesync_v1_TableRows__Output)[];
}

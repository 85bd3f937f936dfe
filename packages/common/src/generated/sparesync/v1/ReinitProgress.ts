// Original file: proto/sparesync.proto

import type { TableRows as _sparesync_v1_TableRows, TableRows__Output as _sparesync_v1_TableRows__Output } from '../../sparesync/v1/TableRows';
import type { Long } from '@grpc/proto-loader';

export interface ReinitProgress {
  /**
   * True while it runs.
   */
  'active'?: (boolean);
  /**
   * "snapshot" or "backup".
   */
  'kind'?: (string);
  /**
   * Tables copied and their row counts at the snapshot.
   */
  'tables'?: (_sparesync_v1_TableRows)[];
  'tablesDone'?: (number);
  'rowsDone'?: (number | string | Long);
  'rowsTotal'?: (number | string | Long);
  /**
   * Backup reinitialisation: bytes moved over the link and the file size.
   */
  'bytesDone'?: (number | string | Long);
  'bytesTotal'?: (number | string | Long);
  'startedAtMs'?: (number | string | Long);
  /**
   * 0 while it runs.
   */
  'finishedAtMs'?: (number | string | Long);
  /**
   * Empty when it succeeded (or still runs).
   */
  'error'?: (string);
}

export interface ReinitProgress__Output {
  /**
   * True while it runs.
   */
  'active': (boolean);
  /**
   * "snapshot" or "backup".
   */
  'kind': (string);
  /**
   * Tables copied and their row counts at the snapshot.
   */
  'tables': (_sparesync_v1_TableRows__Output)[];
  'tablesDone': (number);
  'rowsDone': (number);
  'rowsTotal': (number);
  /**
   * Backup reinitialisation: bytes moved over the link and the file size.
   */
  'bytesDone': (number);
  'bytesTotal': (number);
  'startedAtMs': (number);
  /**
   * 0 while it runs.
   */
  'finishedAtMs': (number);
  /**
   * Empty when it succeeded (or still runs).
   */
  'error': (string);
}

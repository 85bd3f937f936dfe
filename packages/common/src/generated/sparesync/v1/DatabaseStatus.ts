// Original file: proto/sparesync.proto

import type { ReinitProgress as _sparesync_v1_ReinitProgress, ReinitProgress__Output as _sparesync_v1_ReinitProgress__Output } from '../../sparesync/v1/ReinitProgress';
import type { Long } from '@grpc/proto-loader';

/**
 * Database replication as one agent sees it.
 */
export interface DatabaseStatus {
  /**
   * "none", "sqlite", "postgres" or "mssql".
   */
  'engine'?: (string);
  /**
   * What replication does now: "disabled", "idle" (not sending or receiving), "connecting",
   * "following" (sending changes as they commit), "receiving", "reinitializing", "waiting"
   * (stopped on a problem until the operator acts; see last_error), "failed".
   */
  'phase'?: (string);
  /**
   * Tables with change capture on this database.
   */
  'tables'?: (string)[];
  /**
   * Sending side: the position read from its database up to. Receiving side: the position of the
   * last frame received.
   */
  'sourcePosition'?: (string);
  /**
   * The receiving database's applied position (on the sending side: as last acknowledged).
   */
  'appliedPosition'?: (string);
  /**
   * Rows read from the change log and not yet acknowledged by the receiver.
   */
  'rowsPending'?: (number | string | Long);
  /**
   * Age of the oldest unacknowledged change as the sending side sees it (0 when caught up).
   */
  'lagMs'?: (number | string);
  /**
   * The last problem, with its SpareSync code in front (e.g. "DbSetupInvalid: ..."); empty when none.
   */
  'lastError'?: (string);
  'lastErrorAtMs'?: (number | string | Long);
  /**
   * Rows and batches replicated since the agent started.
   */
  'rowsReplicated'?: (number | string | Long);
  'batchesReplicated'?: (number | string | Long);
  /**
   * Operator requests not yet carried out.
   */
  'reinitRequested'?: (boolean);
  'backupReinitRequested'?: (boolean);
  'fixRequested'?: (boolean);
  /**
   * The running or last reinitialisation.
   */
  'reinit'?: (_sparesync_v1_ReinitProgress | null);
  /**
   * How changes are captured: "triggers", "logical" (PostgreSQL logical decoding from a
   * replication slot), or "" where the engine has one way (SQLite triggers, SQL Server Change
   * Tracking) or it is not known yet.
   */
  'capture'?: (string);
  /**
   * PostgreSQL logical capture on the sending side: WAL the slot retains (bytes; 0 without a slot).
   */
  'slotRetainedWalBytes'?: (number | string | Long);
}

/**
 * Database replication as one agent sees it.
 */
export interface DatabaseStatus__Output {
  /**
   * "none", "sqlite", "postgres" or "mssql".
   */
  'engine': (string);
  /**
   * What replication does now: "disabled", "idle" (not sending or receiving), "connecting",
   * "following" (sending changes as they commit), "receiving", "reinitializing", "waiting"
   * (stopped on a problem until the operator acts; see last_error), "failed".
   */
  'phase': (string);
  /**
   * Tables with change capture on this database.
   */
  'tables': (string)[];
  /**
   * Sending side: the position read from its database up to. Receiving side: the position of the
   * last frame received.
   */
  'sourcePosition': (string);
  /**
   * The receiving database's applied position (on the sending side: as last acknowledged).
   */
  'appliedPosition': (string);
  /**
   * Rows read from the change log and not yet acknowledged by the receiver.
   */
  'rowsPending': (number);
  /**
   * Age of the oldest unacknowledged change as the sending side sees it (0 when caught up).
   */
  'lagMs': (number);
  /**
   * The last problem, with its SpareSync code in front (e.g. "DbSetupInvalid: ..."); empty when none.
   */
  'lastError': (string);
  'lastErrorAtMs': (number);
  /**
   * Rows and batches replicated since the agent started.
   */
  'rowsReplicated': (number);
  'batchesReplicated': (number);
  /**
   * Operator requests not yet carried out.
   */
  'reinitRequested': (boolean);
  'backupReinitRequested': (boolean);
  'fixRequested': (boolean);
  /**
   * The running or last reinitialisation.
   */
  'reinit': (_sparesync_v1_ReinitProgress__Output | null);
  /**
   * How changes are captured: "triggers", "logical" (PostgreSQL logical decoding from a
   * replication slot), or "" where the engine has one way (SQLite triggers, SQL Server Change
   * Tracking) or it is not known yet.
   */
  'capture': (string);
  /**
   * PostgreSQL logical capture on the sending side: WAL the slot retains (bytes; 0 without a slot).
   */
  'slotRetainedWalBytes': (number);
}

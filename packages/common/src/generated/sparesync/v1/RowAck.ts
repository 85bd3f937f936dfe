// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The receiver's answer to one RowBatch frame.
 */
export interface RowAck {
  /**
   * RowBatch.seq of the frame answered.
   */
  'seq'?: (number | string | Long);
  /**
   * The receiver's applied position after handling the frame ("" = none; reinitialisation needed).
   */
  'appliedPosition'?: (string);
  /**
   * Empty on success; otherwise why the frame was not applied (the receiver's database is
   * unchanged by that frame).
   */
  'error'?: (string);
  /**
   * SpareSync error code of `error` (e.g. DbReinitRequired, DbSetupInvalid), empty on success.
   */
  'errorCode'?: (string);
  /**
   * The receiver's epoch.
   */
  'epoch'?: (number | string | Long);
  /**
   * Database engine of the receiver (answer to RowsHello).
   */
  'engine'?: (string);
  /**
   * Operator requests recorded on the receiving side that the sender carries out (answer to
   * RowsHello): reinitialise, reinitialise through a backup, fix the synchronisation state.
   */
  'reinitRequested'?: (boolean);
  'backupReinitRequested'?: (boolean);
  'fixRequested'?: (boolean);
}

/**
 * The receiver's answer to one RowBatch frame.
 */
export interface RowAck__Output {
  /**
   * RowBatch.seq of the frame answered.
   */
  'seq': (number);
  /**
   * The receiver's applied position after handling the frame ("" = none; reinitialisation needed).
   */
  'appliedPosition': (string);
  /**
   * Empty on success; otherwise why the frame was not applied (the receiver's database is
   * unchanged by that frame).
   */
  'error': (string);
  /**
   * SpareSync error code of `error` (e.g. DbReinitRequired, DbSetupInvalid), empty on success.
   */
  'errorCode': (string);
  /**
   * The receiver's epoch.
   */
  'epoch': (number);
  /**
   * Database engine of the receiver (answer to RowsHello).
   */
  'engine': (string);
  /**
   * Operator requests recorded on the receiving side that the sender carries out (answer to
   * RowsHello): reinitialise, reinitialise through a backup, fix the synchronisation state.
   */
  'reinitRequested': (boolean);
  'backupReinitRequested': (boolean);
  'fixRequested': (boolean);
}

// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The witness on etcd as this agent's client last saw it.
 */
export interface WitnessStatus {
  /**
   * The last round reached etcd (lease renewed, keys read).
   */
  'reachable'?: (boolean);
  /**
   * The role the holder key names, "" while the key is free (or not yet read).
   */
  'holderRole'?: (string);
  'holderEpoch'?: (number | string | Long);
  /**
   * This agent's lease backs the holder key.
   */
  'mine'?: (boolean);
  /**
   * Milliseconds until this agent's lease could expire (0 when it has none).
   */
  'leaseLeftMs'?: (number | string | Long);
  /**
   * The epoch etcd records at <prefix>/epoch (-1 when none is).
   */
  'epoch'?: (number | string | Long);
  /**
   * The last round's detail: what the key names, or why etcd could not be reached.
   */
  'detail'?: (string);
  /**
   * Cut off from its peer and the witness, this agent stopped its managed system.
   */
  'selfFenced'?: (boolean);
}

/**
 * The witness on etcd as this agent's client last saw it.
 */
export interface WitnessStatus__Output {
  /**
   * The last round reached etcd (lease renewed, keys read).
   */
  'reachable': (boolean);
  /**
   * The role the holder key names, "" while the key is free (or not yet read).
   */
  'holderRole': (string);
  'holderEpoch': (number);
  /**
   * This agent's lease backs the holder key.
   */
  'mine': (boolean);
  /**
   * Milliseconds until this agent's lease could expire (0 when it has none).
   */
  'leaseLeftMs': (number);
  /**
   * The epoch etcd records at <prefix>/epoch (-1 when none is).
   */
  'epoch': (number);
  /**
   * The last round's detail: what the key names, or why etcd could not be reached.
   */
  'detail': (string);
  /**
   * Cut off from its peer and the witness, this agent stopped its managed system.
   */
  'selfFenced': (boolean);
}

// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One finished step of a switch.
 */
export interface SwitchStep {
  /**
   * e.g. persist-epoch, start-managed-system, update-dns.
   */
  'step'?: (string);
  /**
   * "done", "skipped" or "failed".
   */
  'outcome'?: (string);
  'detail'?: (string);
  'atMs'?: (number | string | Long);
}

/**
 * One finished step of a switch.
 */
export interface SwitchStep__Output {
  /**
   * e.g. persist-epoch, start-managed-system, update-dns.
   */
  'step': (string);
  /**
   * "done", "skipped" or "failed".
   */
  'outcome': (string);
  'detail': (string);
  'atMs': (number);
}

// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

export interface TableRows {
  /**
   * Table name as the engine reports it (PostgreSQL: schema.table).
   */
  'name'?: (string);
  'rows'?: (number | string | Long);
}

export interface TableRows__Output {
  /**
   * Table name as the engine reports it (PostgreSQL: schema.table).
   */
  'name': (string);
  'rows': (number);
}

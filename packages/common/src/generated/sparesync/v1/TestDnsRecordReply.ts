// Original file: proto/sparesync.proto

import type { DnsTestStep as _sparesync_v1_DnsTestStep, DnsTestStep__Output as _sparesync_v1_DnsTestStep__Output } from '../../sparesync/v1/DnsTestStep';

export interface TestDnsRecordReply {
  /**
   * True when every step succeeded.
   */
  'ok'?: (boolean);
  /**
   * The test record's name (e.g. _sparesync-test.example.com.) and the server asked (host:port).
   */
  'name'?: (string);
  'server'?: (string);
  /**
   * add, query-added, delete, query-deleted, in this order.
   */
  'steps'?: (_sparesync_v1_DnsTestStep)[];
}

export interface TestDnsRecordReply__Output {
  /**
   * True when every step succeeded.
   */
  'ok': (boolean);
  /**
   * The test record's name (e.g. _sparesync-test.example.com.) and the server asked (host:port).
   */
  'name': (string);
  'server': (string);
  /**
   * add, query-added, delete, query-deleted, in this order.
   */
  'steps': (_sparesync_v1_DnsTestStep__Output)[];
}

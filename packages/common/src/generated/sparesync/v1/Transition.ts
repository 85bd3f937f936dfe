// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

export interface Transition {
  'atMs'?: (number | string | Long);
  'from'?: (string);
  'to'?: (string);
  'reason'?: (string);
  'epoch'?: (number | string | Long);
}

export interface Transition__Output {
  'atMs': (number);
  'from': (string);
  'to': (string);
  'reason': (string);
  'epoch': (number);
}

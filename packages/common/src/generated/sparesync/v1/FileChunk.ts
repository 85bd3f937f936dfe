// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One delta instruction: copy `count` blocks of the receiver's old copy starting at `block`, or
 * (count = 0) append `data`.
 */
export interface FileChunk {
  'block'?: (number | string | Long);
  'count'?: (number);
  /**
   * Literal bytes (at most 256 KiB before compression).
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * `data` is raw-deflate compressed (settings network.compression).
   */
  'deflated'?: (boolean);
}

/**
 * One delta instruction: copy `count` blocks of the receiver's old copy starting at `block`, or
 * (count = 0) append `data`.
 */
export interface FileChunk__Output {
  'block': (number);
  'count': (number);
  /**
   * Literal bytes (at most 256 KiB before compression).
   */
  'data': (Buffer);
  /**
   * `data` is raw-deflate compressed (settings network.compression).
   */
  'deflated': (boolean);
}

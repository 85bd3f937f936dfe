// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The end of a transfer.
 */
export interface FileEnd {
  /**
   * Size and SHA-256 of the whole file as the sender read it.
   */
  'size'?: (number | string | Long);
  'sha256'?: (Buffer | Uint8Array | string);
  /**
   * The sender saw the file change while reading it: discard, it will be sent again later.
   */
  'abort'?: (boolean);
}

/**
 * The end of a transfer.
 */
export interface FileEnd__Output {
  /**
   * Size and SHA-256 of the whole file as the sender read it.
   */
  'size': (number);
  'sha256': (Buffer);
  /**
   * The sender saw the file change while reading it: discard, it will be sent again later.
   */
  'abort': (boolean);
}

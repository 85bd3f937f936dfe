// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * File replication figures of one folder pair on this agent.
 */
export interface FolderStatus {
  /**
   * Folder pair name (settings folders[].name) and this server's path of it.
   */
  'name'?: (string);
  'path'?: (string);
  /**
   * "send", "receive" or "idle": what this agent does with the folder now.
   */
  'direction'?: (string);
  /**
   * Files and bytes found different and not yet confirmed by the receiver (sender side).
   */
  'filesPending'?: (number | string | Long);
  'bytesPending'?: (number | string | Long);
  /**
   * When the last full comparison with the other side completed (0 = never).
   */
  'lastScanMs'?: (number | string | Long);
  /**
   * When the last change was applied (sender: confirmed by the receiver; receiver: applied).
   */
  'lastChangeMs'?: (number | string | Long);
  /**
   * Errors since start, and the most recent ones (newest last, bounded), each naming the path.
   */
  'errorCount'?: (number | string | Long);
  'errors'?: (string)[];
  /**
   * Bytes of file data sent as literals (after compression), and bytes the receiver rebuilt from
   * blocks of its old copies (sender side).
   */
  'bytesSent'?: (number | string | Long);
  'bytesMatched'?: (number | string | Long);
  /**
   * Entries published (sender: confirmed; receiver: applied) since start.
   */
  'filesTransferred'?: (number | string | Long);
  /**
   * Why the folder cannot be replicated now (missing, unreadable), empty when fine.
   */
  'problem'?: (string);
  /**
   * Paths seen changing and waiting for network.sendDelaySeconds before they are compared and
   * sent (sender side); they are not in files_pending yet, their sizes not known.
   */
  'changesWaiting'?: (number | string | Long);
}

/**
 * File replication figures of one folder pair on this agent.
 */
export interface FolderStatus__Output {
  /**
   * Folder pair name (settings folders[].name) and this server's path of it.
   */
  'name': (string);
  'path': (string);
  /**
   * "send", "receive" or "idle": what this agent does with the folder now.
   */
  'direction': (string);
  /**
   * Files and bytes found different and not yet confirmed by the receiver (sender side).
   */
  'filesPending': (number);
  'bytesPending': (number);
  /**
   * When the last full comparison with the other side completed (0 = never).
   */
  'lastScanMs': (number);
  /**
   * When the last change was applied (sender: confirmed by the receiver; receiver: applied).
   */
  'lastChangeMs': (number);
  /**
   * Errors since start, and the most recent ones (newest last, bounded), each naming the path.
   */
  'errorCount': (number);
  'errors': (string)[];
  /**
   * Bytes of file data sent as literals (after compression), and bytes the receiver rebuilt from
   * blocks of its old copies (sender side).
   */
  'bytesSent': (number);
  'bytesMatched': (number);
  /**
   * Entries published (sender: confirmed; receiver: applied) since start.
   */
  'filesTransferred': (number);
  /**
   * Why the folder cannot be replicated now (missing, unreadable), empty when fine.
   */
  'problem': (string);
  /**
   * Paths seen changing and waiting for network.sendDelaySeconds before they are compared and
   * sent (sender side); they are not in files_pending yet, their sizes not known.
   */
  'changesWaiting': (number);
}

// Original file: proto/sparesync.proto

import type { ListFolder as _sparesync_v1_ListFolder, ListFolder__Output as _sparesync_v1_ListFolder__Output } from '../../sparesync/v1/ListFolder';
import type { SignatureRequest as _sparesync_v1_SignatureRequest, SignatureRequest__Output as _sparesync_v1_SignatureRequest__Output } from '../../sparesync/v1/SignatureRequest';
import type { FileBegin as _sparesync_v1_FileBegin, FileBegin__Output as _sparesync_v1_FileBegin__Output } from '../../sparesync/v1/FileBegin';
import type { FileChunk as _sparesync_v1_FileChunk, FileChunk__Output as _sparesync_v1_FileChunk__Output } from '../../sparesync/v1/FileChunk';
import type { FileEnd as _sparesync_v1_FileEnd, FileEnd__Output as _sparesync_v1_FileEnd__Output } from '../../sparesync/v1/FileEnd';
import type { RemovePath as _sparesync_v1_RemovePath, RemovePath__Output as _sparesync_v1_RemovePath__Output } from '../../sparesync/v1/RemovePath';
import type { RenamePath as _sparesync_v1_RenamePath, RenamePath__Output as _sparesync_v1_RenamePath__Output } from '../../sparesync/v1/RenamePath';
import type { FileEntry as _sparesync_v1_FileEntry, FileEntry__Output as _sparesync_v1_FileEntry__Output } from '../../sparesync/v1/FileEntry';
import type { FileBatch as _sparesync_v1_FileBatch, FileBatch__Output as _sparesync_v1_FileBatch__Output } from '../../sparesync/v1/FileBatch';
import type { Long } from '@grpc/proto-loader';

/**
 * One frame from the sender to the receiver on a Files stream.
 */
export interface FileFrame {
  /**
   * The sender's epoch. The receiver refuses the stream (FAILED_PRECONDITION) when it is lower
   * than the receiver's own epoch: a returning old primary never overwrites the side that took over.
   */
  'epoch'?: (number | string | Long);
  /**
   * Folder pair name (settings folders[].name); each side maps it to its own path.
   */
  'folder'?: (string);
  /**
   * Request id, unique per stream and > 0. Answered by FileAck frames with the same id; chunk and
   * end frames carry the id of the transfer they belong to.
   */
  'id'?: (number | string | Long);
  /**
   * Asks for the receiver's manifest of the folder (answered by FileAck.entries, in parts).
   */
  'list'?: (_sparesync_v1_ListFolder | null);
  /**
   * Asks for the block signature of the receiver's copy of a file (FileAck.signature).
   */
  'signature'?: (_sparesync_v1_SignatureRequest | null);
  /**
   * Creates or replaces a directory or symlink, or (for a file) starts a transfer that the
   * following chunk frames and one end frame complete.
   */
  'begin'?: (_sparesync_v1_FileBegin | null);
  /**
   * Part of the transfer started by the begin frame with the same id.
   */
  'chunk'?: (_sparesync_v1_FileChunk | null);
  /**
   * Closes a transfer: the receiver verifies size and SHA-256, then publishes atomically.
   */
  'end'?: (_sparesync_v1_FileEnd | null);
  /**
   * Takes a path away (into .deleted unless the folder's archive is off).
   */
  'remove'?: (_sparesync_v1_RemovePath | null);
  /**
   * Renames a path on the receiver, so moved content is not sent again.
   */
  'rename'?: (_sparesync_v1_RenamePath | null);
  /**
   * Sets the mode and mtime of an existing entry whose content is already equal.
   */
  'meta'?: (_sparesync_v1_FileEntry | null);
  /**
   * Several small files, each sent whole in this one frame: answered by one FileAck once every
   * file of it is published and durable (or failed), with FileAck.failures naming the files
   * that failed. Large files and deltas keep the begin / chunk / end transfer.
   */
  'batch'?: (_sparesync_v1_FileBatch | null);
  'body'?: "list"|"signature"|"begin"|"chunk"|"end"|"remove"|"rename"|"meta"|"batch";
}

/**
 * One frame from the sender to the receiver on a Files stream.
 */
export interface FileFrame__Output {
  /**
   * The sender's epoch. The receiver refuses the stream (FAILED_PRECONDITION) when it is lower
   * than the receiver's own epoch: a returning old primary never overwrites the side that took over.
   */
  'epoch': (number);
  /**
   * Folder pair name (settings folders[].name); each side maps it to its own path.
   */
  'folder': (string);
  /**
   * Request id, unique per stream and > 0. Answered by FileAck frames with the same id; chunk and
   * end frames carry the id of the transfer they belong to.
   */
  'id': (number);
  /**
   * Asks for the receiver's manifest of the folder (answered by FileAck.entries, in parts).
   */
  'list'?: (_sparesync_v1_ListFolder__Output | null);
  /**
   * Asks for the block signature of the receiver's copy of a file (FileAck.signature).
   */
  'signature'?: (_sparesync_v1_SignatureRequest__Output | null);
  /**
   * Creates or replaces a directory or symlink, or (for a file) starts a transfer that the
   * following chunk frames and one end frame complete.
   */
  'begin'?: (_sparesync_v1_FileBegin__Output | null);
  /**
   * Part of the transfer started by the begin frame with the same id.
   */
  'chunk'?: (_sparesync_v1_FileChunk__Output | null);
  /**
   * Closes a transfer: the receiver verifies size and SHA-256, then publishes atomically.
   */
  'end'?: (_sparesync_v1_FileEnd__Output | null);
  /**
   * Takes a path away (into .deleted unless the folder's archive is off).
   */
  'remove'?: (_sparesync_v1_RemovePath__Output | null);
  /**
   * Renames a path on the receiver, so moved content is not sent again.
   */
  'rename'?: (_sparesync_v1_RenamePath__Output | null);
  /**
   * Sets the mode and mtime of an existing entry whose content is already equal.
   */
  'meta'?: (_sparesync_v1_FileEntry__Output | null);
  /**
   * Several small files, each sent whole in this one frame: answered by one FileAck once every
   * file of it is published and durable (or failed), with FileAck.failures naming the files
   * that failed. Large files and deltas keep the begin / chunk / end transfer.
   */
  'batch'?: (_sparesync_v1_FileBatch__Output | null);
  'body'?: "list"|"signature"|"begin"|"chunk"|"end"|"remove"|"rename"|"meta"|"batch";
}

// Original file: proto/sparesync.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One entry of a folder: what a manifest lists and what the sender publishes.
 */
export interface FileEntry {
  /**
   * Posix path relative to the folder root; never absolute, never with '.' or '..' segments.
   */
  'path'?: (string);
  /**
   * "file", "dir" or "symlink".
   */
  'type'?: (string);
  /**
   * Size in bytes (0 for directories and symlinks).
   */
  'size'?: (number | string | Long);
  /**
   * Modification time in ms since the Unix epoch, at full stat precision.
   */
  'mtimeMs'?: (number | string);
  /**
   * Permission bits (mode & 07777).
   */
  'mode'?: (number);
  /**
   * For symlinks: where the link points (replicated as is, never followed).
   */
  'linkTarget'?: (string);
}

/**
 * One entry of a folder: what a manifest lists and what the sender publishes.
 */
export interface FileEntry__Output {
  /**
   * Posix path relative to the folder root; never absolute, never with '.' or '..' segments.
   */
  'path': (string);
  /**
   * "file", "dir" or "symlink".
   */
  'type': (string);
  /**
   * Size in bytes (0 for directories and symlinks).
   */
  'size': (number);
  /**
   * Modification time in ms since the Unix epoch, at full stat precision.
   */
  'mtimeMs': (number);
  /**
   * Permission bits (mode & 07777).
   */
  'mode': (number);
  /**
   * For symlinks: where the link points (replicated as is, never followed).
   */
  'linkTarget': (string);
}

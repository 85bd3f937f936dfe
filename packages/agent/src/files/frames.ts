// The Files stream's frames (proto/sparesync.proto, FileFrame and FileAck), named from the
// generated types, and the one conversion between a manifest entry and its wire form, which both
// ends use: it refuses an entry of an unknown type or none at all.
import { SpareSyncError, type OneofMessage, type WireInput, type WireMessage } from '@sparesync/common';
import type { ManifestEntry } from './scan';

export type FileEntryWire = WireMessage<'FileEntry'>;
export type BatchedFileWire = WireMessage<'BatchedFile'>;
export type FileBatchWire = WireMessage<'FileBatch'>;
/** A file of a batch that was not published (FileAck.failures). */
export type FileFailureWire = WireMessage<'FileFailure'>;
export type FileAck = WireMessage<'FileAck'>;

/** A frame as it arrives: narrowed by `body` to the member it carries. */
export type FileFrame = OneofMessage<WireMessage<'FileFrame'>>;

/** A frame as written: proto-loader takes the oneof member by its field name. */
export type FileFrameOut = WireInput<'FileFrame'>;

/** The oneof member of a frame being written; the channel adds epoch, folder and id. */
export type FileFrameBody = Omit<FileFrameOut, 'epoch' | 'folder' | 'id' | 'body'>;

export function entryToWire(e: ManifestEntry): FileEntryWire {
  return {
    path: e.path,
    type: e.type,
    size: e.size,
    mtimeMs: e.mtimeMs,
    mode: e.mode,
    linkTarget: e.linkTarget ?? '',
  };
}

export function entryFromWire(w: FileEntryWire | null): ManifestEntry {
  if (!w) throw new SpareSyncError('InvalidArgument', 'a file frame without its entry');
  if (w.type !== 'file' && w.type !== 'dir' && w.type !== 'symlink') {
    throw new Error(`entry ${JSON.stringify(w.path)} has unknown type ${JSON.stringify(w.type)}`);
  }
  const e: ManifestEntry = { path: w.path, type: w.type, size: w.size, mtimeMs: w.mtimeMs, mode: w.mode };
  if (w.type === 'symlink') e.linkTarget = w.linkTarget;
  return e;
}

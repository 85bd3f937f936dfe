// The offline marker (guide §10.1.1): a small HTML file in the managed system's folder while
// SpareSync keeps it stopped on this server. IIS serves app_offline.htm instead of the application;
// other servers and scripts can test for the file.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SpareSyncError, writeFileDurably } from '@sparesync/common';

const FOLDER_SETTING = 'managedSystem.offlineMarker.folder';

export function offlineMarkerHtml(at: Date): string {
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>Temporarily offline</title></head>',
    '<body><h1>This application is temporarily offline on this server</h1>',
    `<p>SpareSync took it offline at ${at.toISOString()}; it runs on the other server of the pair.</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Writes the marker whole or not at all: temp file, fsync, rename into place. */
export async function writeMarker(folder: string, name: string, at = new Date()): Promise<void> {
  const target = join(folder, name);
  try {
    await writeFileDurably(target, offlineMarkerHtml(at), { mode: 0o644 });
  } catch (e) {
    throw markerError(`cannot write the offline marker ${target}`, e);
  }
}

/** Removes the marker; a marker that is not there is fine. */
export async function removeMarker(folder: string, name: string): Promise<void> {
  const target = join(folder, name);
  try {
    await rm(target, { force: true });
  } catch (e) {
    throw markerError(`cannot remove the offline marker ${target}`, e);
  }
}

function markerError(what: string, e: unknown): SpareSyncError {
  return new SpareSyncError('OfflineMarkerFailed', `${what} (${FOLDER_SETTING}): ${messageOf(e)}`, {
    cause: e,
  });
}

/** fs errors can come from another realm (jest workers), where instanceof Error fails. */
function messageOf(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(e);
}

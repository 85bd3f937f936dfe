// Names the replication machinery owns inside a synchronized folder. Nothing with these names is
// ever scanned, replicated or removed as data.

/** Top-level subfolder of every synchronized folder that keeps deleted and overwritten files. */
export const ARCHIVE_DIR = '.deleted';

/** Prefix of the temp files a write lands in before it is renamed over its target (one constant
 * for every durable write, common durable-file.ts). */
export { PROCESS_TEMP_PREFIX, TEMP_PREFIX } from '@sparesync/common';
import { TEMP_PREFIX } from '@sparesync/common';

/**
 * True for paths (posix, relative to the folder root) that belong to SpareSync: the `.deleted`
 * archive at the top of the folder and temp files at any depth. Only the top-level `.deleted` is
 * ours; an application's own `x/.deleted` is data.
 */
export function isInternalPath(relPath: string): boolean {
  // Called for every path of every scan: string tests, no split (the first segment is ARCHIVE_DIR,
  // or any segment starts with TEMP_PREFIX, which holds no '/').
  return (
    relPath === ARCHIVE_DIR ||
    relPath.startsWith(ARCHIVE_DIR + '/') ||
    relPath.startsWith(TEMP_PREFIX) ||
    relPath.includes('/' + TEMP_PREFIX)
  );
}

// The position of a backup travels beside it in `<file>.position.json`, so a backup moved through
// configured paths (guide §11.2, separate database server) still knows where replication resumes.
import { promises as fs } from 'node:fs';
import { SpareSyncError } from '@sparesync/common';
import type { BackupInfo } from './adapter';
import type { Position } from './batch';

export function positionFile(file: string): string {
  return `${file}.position.json`;
}

export async function writeBackupPosition(
  file: string,
  engine: string,
  position: Position,
): Promise<BackupInfo> {
  const tmp = `${positionFile(file)}.tmp`;
  await fs.writeFile(tmp, JSON.stringify({ engine, position, createdAt: new Date().toISOString() }) + '\n');
  await fs.rename(tmp, positionFile(file));
  return { file, position };
}

export async function readBackupPosition(file: string, engine: string): Promise<BackupInfo> {
  let doc: { engine?: unknown; position?: unknown };
  try {
    doc = JSON.parse(await fs.readFile(positionFile(file), 'utf8')) as typeof doc;
  } catch (e) {
    throw new SpareSyncError(
      'DbSetupInvalid',
      `Cannot read the position of backup ${file} from ${positionFile(file)}`,
      {
        hint: 'Copy the .position.json file together with the backup.',
        cause: e,
      },
    );
  }
  if (doc.engine !== engine || typeof doc.position !== 'string') {
    throw new SpareSyncError('DbSetupInvalid', `${positionFile(file)} does not describe a ${engine} backup`);
  }
  return { file, position: doc.position };
}

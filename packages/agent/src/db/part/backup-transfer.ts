// Reinitialisation through a backup (guide §11.2, §11.3) moved over the Link: the sender backs up
// its database and streams the file in chunks; the receiver writes it to a temp file in its backup
// folder, fsyncs and renames it, then restores it. Where the database server is another machine
// (database.backup.separateServer), `dbDir` is the folder as the database server sees it and
// `agentDir` the same folder as this agent reaches it.
import { mkdirSync } from 'node:fs';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SpareSyncError, type LoadedSettings } from '@sparesync/common';
import { positionFile, writeBackupPosition } from '../backup-file';

export interface BackupDirs {
  dbDir: string;
  agentDir: string;
}

export function backupDirs(loaded: LoadedSettings): BackupDirs {
  const b = loaded.settings.database.backup;
  const fallback = join(loaded.resolvePath(loaded.settings.dataDir), 'db-backups');
  const dbDir = b.folder ? loaded.resolvePath(b.folder) : fallback;
  const agentDir = b.separateServer && b.agentFolder ? loaded.resolvePath(b.agentFolder) : dbDir;
  return { dbDir, agentDir };
}

/** Reads `file` in chunks of at most `chunkBytes`. */
export async function* fileChunks(
  file: string,
  chunkBytes: number,
): AsyncGenerator<{ offset: number; data: Buffer; size: number; last: boolean }> {
  const size = (await stat(file)).size;
  const fh = await open(file, 'r');
  try {
    let offset = 0;
    do {
      const buf = Buffer.allocUnsafe(Math.min(chunkBytes, size - offset));
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      if (bytesRead !== buf.length) {
        throw new SpareSyncError('DbBatchInvalid', `backup ${file} changed while it was being sent`);
      }
      offset += bytesRead;
      yield { offset: offset - bytesRead, data: buf, size, last: offset >= size };
    } while (offset < size);
  } finally {
    await fh.close();
  }
}

export async function removeBackup(file: string): Promise<void> {
  await rm(file, { force: true });
  await rm(positionFile(file), { force: true });
}

/** The receiving side: one backup file at a time, written to `<name>.part` and renamed when whole. */
export class BackupWriter {
  private fh: FileHandle | null = null;
  private name = '';
  private written = 0;

  constructor(
    private readonly dirs: BackupDirs,
    private readonly engine: string,
  ) {}

  /** Writes a chunk; on the last one returns the path to restore from (as the database server sees it). */
  async write(c: {
    name: string;
    offset: number;
    data: Buffer;
    last: boolean;
    position: string;
  }): Promise<string | null> {
    if (basename(c.name) !== c.name || c.name.startsWith('.') || c.name === '') {
      throw new SpareSyncError(
        'PathRejected',
        `backup file name ${JSON.stringify(c.name)} is not a plain name`,
      );
    }
    if (c.offset === 0) {
      await this.abort();
      mkdirSync(this.dirs.agentDir, { recursive: true, mode: 0o700 });
      this.fh = await open(join(this.dirs.agentDir, `${c.name}.part`), 'w', 0o600);
      this.name = c.name;
      this.written = 0;
    }
    if (!this.fh || c.name !== this.name || c.offset !== this.written) {
      throw new SpareSyncError(
        'DbBatchInvalid',
        `backup chunk of ${c.name} at offset ${c.offset} does not follow what was received (${this.written} bytes of ${this.name || 'nothing'})`,
      );
    }
    await this.fh.write(c.data, 0, c.data.length, c.offset);
    this.written += c.data.length;
    if (!c.last) return null;
    await this.fh.sync();
    await this.fh.close();
    this.fh = null;
    const target = join(this.dirs.agentDir, c.name);
    await rename(`${target}.part`, target);
    await writeBackupPosition(target, this.engine, c.position);
    return join(this.dirs.dbDir, c.name);
  }

  async abort(): Promise<void> {
    if (!this.fh) return;
    await this.fh.close().catch(() => {});
    this.fh = null;
    await rm(join(this.dirs.agentDir, `${this.name}.part`), { force: true });
  }
}

// The little state an agent keeps across restarts (the epoch that fences stale writers),
// written atomically: temp file, fsync, rename.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';

export interface PersistedState {
  epoch: number;
}

export class StateFile {
  readonly path: string;
  constructor(private readonly dir: string) {
    this.path = join(dir, 'state.json');
  }

  read(): PersistedState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { epoch: 0 };
      throw new SpareSyncError('ConfigUnreadable', `cannot read ${this.path}: ${(e as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as Partial<PersistedState>;
      return { epoch: typeof parsed.epoch === 'number' ? parsed.epoch : 0 };
    } catch (e) {
      throw new SpareSyncError('ConfigUnreadable', `${this.path} is corrupt: ${(e as Error).message}`, {
        hint: 'Restore it from the other server or a backup; it holds the switch epoch.',
      });
    }
  }

  write(state: PersistedState): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(state, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}

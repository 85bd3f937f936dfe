// The little state an agent keeps across restarts (the epoch that fences stale writers, and
// whether the operator or a fatal error turned SpareSync off), written atomically: temp file,
// fsync, rename, fsync of the folder.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SpareSyncError } from '@sparesync/common';

export interface PersistedState {
  epoch: number;
  /** Why SpareSync is turned off; absent when it is on. */
  turnedOff?: string;
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
      const epoch = typeof parsed.epoch === 'number' ? parsed.epoch : 0;
      return typeof parsed.turnedOff === 'string' ? { epoch, turnedOff: parsed.turnedOff } : { epoch };
    } catch (e) {
      throw new SpareSyncError('ConfigUnreadable', `${this.path} is corrupt: ${(e as Error).message}`, {
        hint: 'Restore it from the other server or a backup; it holds the switch epoch.',
      });
    }
  }

  /** Changes some fields (turnedOff: null clears it) and writes the whole state durably. */
  update(change: { epoch?: number; turnedOff?: string | null }): PersistedState {
    const { turnedOff, ...rest } = { ...this.read(), ...change };
    const next: PersistedState = typeof turnedOff === 'string' ? { ...rest, turnedOff } : rest;
    this.write(next);
    return next;
  }

  write(state: PersistedState): void {
    writeJsonDurably(this.dir, this.path, state);
  }
}

/** Temp file (mode 0600), fsync, rename over `path`, fsync of `dir`: the old or the new content. */
export function writeJsonDurably(dir: string, path: string, value: unknown): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

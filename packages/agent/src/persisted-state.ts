// The little state an agent keeps across restarts (the epoch that fences stale writers, and
// whether the operator or a fatal error turned SpareSync off), written atomically: temp file,
// fsync, rename, fsync of the folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpareSyncError, writeFileDurablySync } from '@sparesync/common';

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
    writeJsonDurably(this.path, state);
  }
}

/** The JSON of `value` in `path` (mode 0600), written durably (common durable-file.ts). */
export function writeJsonDurably(path: string, value: unknown): void {
  writeFileDurablySync(path, JSON.stringify(value, null, 2) + '\n', { mkdir: true });
}

// Failover traffic for `pnpm bench switchback`: what the managed system writes while the secondary
// runs it — row changes in the sample SQLite database (table notes) and file changes in the
// replicated folder — and the checks that all of it reached the primary.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteDatabase } from '@sparesync/devkit';
import { sleep } from './lib-system';

type Db = InstanceType<typeof SqliteDatabase>;

const TICK_MS = 100;
/** Per tick (at 100 row changes/s): a marker update, 4 updates of earlier rows, 5 inserts. */
const FILES_PER_DIR = 100;

export interface LoadOptions {
  /** The database and the folder the managed system writes (the secondary's, after a failover). */
  dbFile: string;
  folder: string;
  /** Row changes and file changes per second (rounded to whole ticks of 100 ms). */
  rowsPerSecond: number;
  filesPerSecond: number;
  /** The managed system stops writing once this file exists (the switch's offline marker). */
  offlineMarker: string;
}

export interface LoadFigures {
  ticks: number;
  rowChanges: number;
  fileChanges: number;
  seconds: number;
  /** Why the writer stopped. */
  stoppedBy: 'offline marker' | 'stop()';
}

export class Load {
  private readonly db: Db;
  private readonly markerId: number;
  /** Relative path (under `folder`) → sha256 of the content last written, and when. */
  readonly files = new Map<string, { sha: string; atMs: number }>();
  private readonly paths: string[] = [];
  private tick = 0;
  /** Wall clock (ms) of the last file change. */
  lastFileAtMs = 0;
  private stopping = false;
  private done: Promise<LoadFigures> | undefined;

  constructor(private readonly o: LoadOptions) {
    this.db = new SqliteDatabase(o.dbFile);
    this.db.pragma('busy_timeout = 10000');
    this.markerId = Number(
      this.db.prepare('INSERT INTO notes (text) VALUES (?)').run('bench marker tick 0').lastInsertRowid,
    );
  }

  /** The last tick written (its rows committed, its file written). */
  get lastTick(): number {
    return this.tick;
  }

  start(): void {
    this.done = this.run();
  }

  /** Stops at the next tick (if the offline marker has not stopped it already). */
  async stop(): Promise<LoadFigures> {
    this.stopping = true;
    return this.finished();
  }

  finished(): Promise<LoadFigures> {
    if (!this.done) throw new Error('the load was not started');
    return this.done;
  }

  close(): void {
    this.db.close();
  }

  private async run(): Promise<LoadFigures> {
    const rowsPerTick = Math.round((this.o.rowsPerSecond * TICK_MS) / 1000);
    const inserts = Math.round(rowsPerTick / 2);
    const updates = Math.max(0, rowsPerTick - 1 - inserts);
    const fileEvery = Math.max(1, Math.round(1000 / TICK_MS / this.o.filesPerSecond));
    const filesPerTick = Math.max(1, Math.round((this.o.filesPerSecond * TICK_MS) / 1000));
    const insert = this.db.prepare('INSERT INTO notes (text) VALUES (?)');
    const update = this.db.prepare('UPDATE notes SET text = ? WHERE id = ?');
    const ids: number[] = [];
    const write = this.db.transaction((tick: number) => {
      update.run(`bench marker tick ${tick}`, this.markerId);
      for (let i = 0; i < updates && ids.length; i++) {
        update.run(`updated at tick ${tick}`, ids[Math.floor(Math.random() * ids.length)]);
      }
      for (let i = 0; i < inserts; i++)
        ids.push(Number(insert.run(`inserted at tick ${tick}`).lastInsertRowid));
    });
    let rowChanges = 0;
    let fileChanges = 0;
    const t0 = performance.now();
    let stoppedBy: LoadFigures['stoppedBy'] = 'stop()';
    for (let tick = 1; ; tick++) {
      if (this.stopping) break;
      // The managed system goes offline when the marker appears: nothing is written after it.
      if (existsSync(this.o.offlineMarker)) {
        stoppedBy = 'offline marker';
        break;
      }
      write(tick);
      rowChanges += 1 + Math.min(updates, ids.length) + inserts;
      if (tick % fileEvery === 0) {
        for (let i = 0; i < filesPerTick; i++) this.changeFile(tick);
        fileChanges += filesPerTick;
      }
      this.tick = tick;
      const next = t0 + tick * TICK_MS;
      const now = performance.now();
      if (next > now) await sleep(next - now);
    }
    return {
      ticks: this.tick,
      rowChanges,
      fileChanges,
      seconds: (performance.now() - t0) / 1000,
      stoppedBy,
    };
  }

  /** Half the changes create a file, half rewrite an earlier one (2–8 KiB of random bytes). */
  private changeFile(tick: number): void {
    let rel: string;
    if (this.paths.length === 0 || tick % 2 === 0) {
      const n = this.paths.length;
      const dir = `load/d${String(Math.floor(n / FILES_PER_DIR)).padStart(3, '0')}`;
      mkdirSync(join(this.o.folder, dir), { recursive: true });
      rel = `${dir}/f${String(n).padStart(6, '0')}.bin`;
      this.paths.push(rel);
    } else {
      rel = this.paths[Math.floor(Math.random() * this.paths.length)] as string;
    }
    const data = randomBytes(2048 + Math.floor(Math.random() * 6144));
    writeFileSync(join(this.o.folder, rel), data);
    this.files.set(rel, { sha: sha256(data), atMs: performance.now() });
    this.lastFileAtMs = Date.now();
  }

  /** The marker tick the given database (the primary's) holds; -1 when it lacks the row. */
  markerTickIn(dbFile: string): number {
    const db = new SqliteDatabase(dbFile, { readonly: true });
    try {
      db.pragma('busy_timeout = 2000');
      const row = db.prepare('SELECT text FROM notes WHERE id = ?').get(this.markerId) as
        { text: string } | undefined;
      return row ? Number(row.text.replace('bench marker tick ', '')) : -1;
    } finally {
      db.close();
    }
  }

  /**
   * Files written in the last `withinMs` whose content in `folder` (the primary's) is not the last
   * written: those still on their way. Older files are checked by missingFiles() at the end.
   */
  pendingFiles(folder: string, withinMs: number): number {
    const since = performance.now() - withinMs;
    let n = 0;
    for (const [rel, f] of this.files) if (f.atMs >= since && !holds(folder, rel, f.sha)) n++;
    return n;
  }

  /** Every file written, checked in `folder`: relative paths missing or with other content. */
  missingFiles(folder: string): string[] {
    return [...this.files].filter(([rel, f]) => !holds(folder, rel, f.sha)).map(([rel]) => rel);
  }
}

function holds(folder: string, rel: string, sha: string): boolean {
  try {
    return sha256(readFileSync(join(folder, rel))) === sha;
  } catch {
    return false;
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Row count and a digest of every row of notes (id, text) in `dbFile`. */
export function notesDigest(dbFile: string): { rows: number; sha: string } {
  const db = new SqliteDatabase(dbFile, { readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    const h = createHash('sha256');
    let rows = 0;
    for (const r of db.prepare('SELECT id, text FROM notes ORDER BY id').iterate() as IterableIterator<{
      id: number;
      text: string;
    }>) {
      h.update(`${r.id}\t${r.text}\n`);
      rows++;
    }
    return { rows, sha: h.digest('hex') };
  } finally {
    db.close();
  }
}

/** Files under `folder/load`, recursively, as relative paths. */
export function loadFiles(folder: string): string[] {
  const root = join(folder, 'load');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(folder.length + 1));
}

import { spawn, type ChildProcess } from 'node:child_process';
import type { Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';

/** For `.catch`: a path that is not there is null; any other error stays an error. */
export function ifGone(e: NodeJS.ErrnoException): null {
  if (e.code === 'ENOENT') return null;
  throw e;
}

export function lstatOrNull(path: string): Promise<Stats | null> {
  return lstat(path).catch(ifGone);
}

export async function writeAll(out: FileHandle, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) {
    const { bytesWritten } = await out.write(data, off, data.length - off, null);
    off += bytesWritten;
  }
}

/** Makes a rename in `dir` durable: the directory entry is data too. (On a file: its content.) */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

let syncfsMissing = false;

/**
 * A shell that runs `sync -f` for each path written to its stdin, one line each, and answers
 * each with the exit code. Forking the agent itself for every syncfs cost ~6 ms of its main
 * thread (the page tables of a ~150 MB process): 0.5 s of 10,000 files' initial sync. The shell
 * forks a process a fraction of that size. It ends when the agent exits (its stdin closes).
 */
class SyncHelper {
  private readonly child: ChildProcess;
  private answer: ((code: number) => void) | undefined;
  private out = '';
  dead = false;

  constructor() {
    const script = 'while IFS= read -r p; do sync -f -- "$p"; echo $?; done';
    this.child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout] as unknown as Array<{ unref(): void }>) s.unref();
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (text: string) => {
      this.out += text;
      const nl = this.out.indexOf('\n');
      if (nl < 0) return;
      const code = Number(this.out.slice(0, nl));
      this.out = this.out.slice(nl + 1);
      const answer = this.answer;
      this.answer = undefined;
      answer?.(code);
    });
    const end = () => {
      this.dead = true;
      this.answer?.(-1);
      this.answer = undefined;
    };
    this.child.once('error', end);
    this.child.once('exit', end);
    this.child.stdin!.on('error', end);
  }

  /** The exit code of `sync -f path` (127: no `sync` here), or -1 if the helper is gone. One at a time. */
  run(path: string): Promise<number> {
    if (this.dead) return Promise.resolve(-1);
    return new Promise((resolve) => {
      this.answer = resolve;
      this.child.stdin!.write(path + '\n');
    });
  }

  stop(): void {
    this.child.stdin!.end();
  }
}

let helper: SyncHelper | undefined;
let running: Promise<unknown> = Promise.resolve();
/** Requests waiting for the one running, by path: a request for the same path joins them. */
const queued = new Map<string, Promise<boolean>>();

/**
 * syncfs(2) of the file system holding `path`, through coreutils' `sync -f` (Node has no call for
 * it): every written file and directory on it durable with one flush. False when it could not
 * run (no `sync -f` here, or it failed): the caller then fsyncs what it needs one by one. It
 * flushes other processes' writes to that file system too; the price of one flush per group
 * instead of one per file (issue 16). Flushes run one at a time; a request for a file system
 * (`key`, its device number say) already waiting to be flushed shares that flush: it starts
 * after the caller's writes.
 */
export function syncFileSystem(path: string, key = path): Promise<boolean> {
  if (syncfsMissing) return Promise.resolve(false);
  if (path.includes('\n')) return syncOnce(path);
  const waiting = queued.get(key);
  if (waiting) return waiting;
  const flush = running.then(async () => {
    queued.delete(key);
    if (syncfsMissing) return false;
    if (!helper || helper.dead) helper = new SyncHelper();
    const code = await helper.run(path);
    if (code === 127) syncfsMissing = true;
    return code === 0 || (code === -1 && (await syncOnce(path)));
  });
  queued.set(key, flush);
  running = flush;
  return flush;
}

/** Ends the helper shell (tests; an agent's exit ends it anyway) and forgets a missing `sync`. */
export function stopSyncHelper(): void {
  helper?.stop();
  helper = undefined;
  syncfsMissing = false;
}

function syncOnce(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('sync', ['-f', path], { stdio: 'ignore' });
    child.once('error', () => {
      syncfsMissing = true;
      resolve(false);
    });
    child.once('exit', (code) => resolve(code === 0));
  });
}

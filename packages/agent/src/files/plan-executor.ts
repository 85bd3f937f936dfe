// Carries out a Plan over a session's Files streams. Renames, removals, directories, symlinks and
// mode changes go in order on the first stream and are confirmed before any file is sent; files
// are then spread over all streams (network.maxConnections), each stream pipelining up to WINDOW
// transfers whose acks are still outstanding. Small files sent whole go several to a frame
// (batch.ts); others by sendFile. `remote` is updated only from the receiver's acks.
import { BatchBuilder, batchOutcomes } from './batch';
import { ackError, type FileChannel } from './channel';
import { entryToWire, type FileAck } from './frames';
import type { FolderStats } from './folder-stats';
import { sharedSlice } from './loop-slice';
import { parentOf } from './path-safety';
import { applyRenames, isUnder, type Plan } from './planner';
import type { ManifestEntry } from './scan';
import { readWhole, sendFile, sendsWhole, type TransferOptions } from './transfer';

const WINDOW = 128;
/**
 * Files in flight per stream (a batch counts its files): 128 batches of up to 512 tiny files
 * held every file of 100,000 in memory at once, and the sender's collections paused it for up to
 * 140 ms (issue 16).
 */
const WINDOW_FILES = 2048;
/** Files of one directory a worker takes at a time, and their bytes (a large file goes alone). */
const RUN = 64;
const RUN_BYTES = 1024 * 1024;

export interface ExecContext {
  root: string;
  channels: FileChannel[];
  remote: Map<string, ManifestEntry>;
  stats: FolderStats;
  options: Omit<TransferOptions, 'useBasis'>;
  now(): number;
  /** A file changed while it was read: look at it again later. */
  retryLater(path: string): void;
  /** The receiver refused or failed `path` (its disk full, say): retried with backoff. */
  failed(path: string, message: string): void;
  /** `path` reached the receiver. */
  sent(path: string): void;
}

export async function executePlan(plan: Plan, x: ExecContext): Promise<void> {
  const ch = x.channels[0]!;
  const confirm = async (acks: Promise<FileAck[]>, path: string, what: string, onOk: () => void) => {
    const err = ackError(await acks);
    if (err) {
      x.stats.error(`${what}: ${err.message}`);
      x.failed(path, `${what}: ${err.message}`);
    } else {
      onOk();
      x.sent(path);
      x.stats.lastChangeMs = x.now();
      x.stats.filesTransferred++;
    }
  };
  // Each confirmation is owned from the moment it exists: when the stream fails, the request that
  // found it failed throws out of here, and the confirmations already made reject with the same
  // error, which nobody would await (an unhandled rejection ends Node 20).
  const ordered: Promise<void>[] = [];
  const own = (p: Promise<void>) => ordered.push(owned(p));
  for (const r of plan.renames) {
    const { acks } = await ch.request({ rename: r });
    own(
      confirm(acks, r.to, `rename ${r.from} -> ${r.to}`, () =>
        replaceMap(x.remote, applyRenames(x.remote, [r]).map),
      ),
    );
  }
  for (const e of plan.remove) {
    const { acks } = await ch.request({ remove: { path: e.path } });
    own(confirm(acks, e.path, `remove ${e.path}`, () => deleteTree(x.remote, e.path)));
  }
  const files: ManifestEntry[] = [];
  for (const { entry, reasons } of plan.send) {
    if (sharedSlice.due()) await sharedSlice.turn(); // 100,000 files to send: ~20 ms at once
    const metaOnly = reasons.every((r) => r === 'mode');
    if (entry.type === 'file' && !metaOnly) {
      files.push(entry);
      continue;
    }
    const body = metaOnly
      ? { meta: entryToWire(entry) }
      : { begin: { entry: entryToWire(entry), blockSize: 0 } };
    const { acks } = await ch.request(body);
    own(confirm(acks, entry.path, `publish ${entry.path}`, () => x.remote.set(entry.path, strip(entry))));
  }
  await Promise.all(ordered);
  x.stats.filesPending += files.length;
  x.stats.bytesPending += files.reduce((a, e) => a + e.size, 0);
  const queue = new WorkQueue(files.map((entry) => ({ entry, useBasis: true })));
  await Promise.all(x.channels.map((c) => worker(c, queue, x)));
}

interface WorkItem {
  entry: ManifestEntry;
  useBasis: boolean;
}

/**
 * First in, first out, shared by the streams' workers. A worker takes a run of files of one
 * directory at a time, so that each stream's commit groups on the receiver (commit-group.ts) span
 * few directories: one directory fsync covers many files. Streams taking files in turn made every
 * group touch ~3x the directories, and directory fsyncs outnumbered the files' own.
 */
class WorkQueue {
  private head = 0;

  constructor(private items: WorkItem[]) {}

  /**
   * Up to `max` items from the head that share the first one's directory, of at most `maxBytes`
   * (at least one item): a directory of large files is spread over the streams, so that the
   * receiver writes and syncs several at once instead of one stream taking them all in turn.
   */
  takeRun(max: number, maxBytes: number): WorkItem[] {
    const run: WorkItem[] = [];
    const dir = this.head < this.items.length ? parentOf(this.items[this.head]!.entry.path) : '';
    let bytes = 0;
    while (run.length < max && this.head < this.items.length) {
      const item = this.items[this.head]!;
      if (parentOf(item.entry.path) !== dir || (run.length > 0 && bytes + item.entry.size > maxBytes)) break;
      bytes += item.entry.size;
      run.push(item);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return run;
  }

  push(item: WorkItem): void {
    this.items.push(item);
  }
}

async function worker(ch: FileChannel, queue: WorkQueue, x: ExecContext): Promise<void> {
  const outstanding: Array<{ done: Promise<void>; files: number }> = [];
  let filesInFlight = 0;
  const batch = new BatchBuilder();
  let batched: WorkItem[] = [];
  const done = (e: ManifestEntry) => {
    x.stats.filesPending = Math.max(0, x.stats.filesPending - 1);
    x.stats.bytesPending = Math.max(0, x.stats.bytesPending - e.size);
  };
  /** The receiver's answer for one file: sent is what it published (when err is null). */
  const settle = (item: WorkItem, sent: ManifestEntry, err: (Error & { code: string }) | null) => {
    if (err?.code === 'FileVerifyFailed' && item.useBasis) {
      queue.push({ entry: item.entry, useBasis: false }); // resend whole
      return;
    }
    done(item.entry);
    if (err) {
      x.stats.error(`send ${item.entry.path}: ${err.message}`);
      x.failed(item.entry.path, `send ${item.entry.path}: ${err.message}`);
      return;
    }
    x.sent(sent.path);
    x.remote.set(sent.path, strip(sent));
    x.stats.lastChangeMs = x.now();
    x.stats.filesTransferred++;
  };
  // A batch or a single transfer takes one place in the window: a batch is at most one chunk's
  // bytes, so the window still bounds what the receiver holds as it did.
  // Owned as soon as made, like the confirmations above: a stream failure throws out of this worker
  // through the request or write that met it, and leaves these rejected behind it.
  const track = async (p: Promise<void>, files = 1) => {
    outstanding.push({ done: owned(p), files });
    filesInFlight += files;
    while (outstanding.length >= WINDOW || filesInFlight >= WINDOW_FILES) {
      const first = outstanding.shift()!;
      filesInFlight -= first.files;
      await first.done;
    }
  };
  const flush = async () => {
    if (batch.size === 0) return;
    const items = batched;
    batched = [];
    const { batch: frame, entries } = batch.take();
    const { acks } = await ch.request({ batch: frame });
    await track(
      acks.then((got) => {
        const errors = batchOutcomes(got, items.length);
        items.forEach((item, i) => settle(item, entries[i]!, errors[i]!));
      }),
      items.length,
    );
  };
  for (;;) {
    const run = queue.takeRun(RUN, RUN_BYTES);
    if (run.length === 0) {
      await flush();
      if (outstanding.length === 0) return;
      await Promise.all(outstanding.splice(0).map((o) => o.done));
      filesInFlight = 0;
      continue;
    }
    for (const item of run) {
      await sharedSlice.turn();
      const basis = x.remote.get(item.entry.path);
      const options = { ...x.options, useBasis: item.useBasis };
      if (sendsWhole(item.entry, basis, options)) {
        // Small files are read whole, synchronously, right before they join the batch.
        const read = readWhole(x.root, item.entry);
        if (!read) {
          done(item.entry); // gone, or changing while read
          x.retryLater(item.entry.path);
          continue;
        }
        if (!batch.fits(item.entry.path, read.data.length)) await flush();
        x.stats.bytesSent += batch.add(item.entry, read, x.options.compress);
        batched.push(item);
        continue;
      }
      const r = await sendFile(ch, x.root, item.entry, basis, options, x.stats);
      if (r.kind === 'changed') {
        done(item.entry);
        x.retryLater(item.entry.path);
        continue;
      }
      await track(r.acks.then((acks) => settle(item, r.entry, ackError(acks))));
    }
  }
}

/** `p` itself, marked as handled: whoever awaits it still sees its rejection. */
export function owned<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

function strip(e: ManifestEntry): ManifestEntry {
  const { ino: _ino, ...rest } = e;
  return rest;
}

function replaceMap<K, V>(target: Map<K, V>, source: Map<K, V>): void {
  target.clear();
  for (const [k, v] of source) target.set(k, v);
}

function deleteTree(m: Map<string, ManifestEntry>, path: string): void {
  const isDir = m.get(path)?.type === 'dir';
  m.delete(path);
  if (isDir) for (const k of [...m.keys()]) if (isUnder(k, path)) m.delete(k);
}

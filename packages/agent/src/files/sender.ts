// The sending side of one folder pair. A session runs while this agent sends: it opens the Files
// streams on the peer's client, fetches the receiver's manifest, compares everything (start-up,
// reconnect, and every scanIntervalSeconds), then sends watched changes in coalesced batches.
// Any stream failure ends the session; the part starts a new one at the next direction('send').
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '@sparesync/common';
import { sweepStaleTemps } from './atomic-write';
import { ackError, FileChannel, openFilesCall } from './channel';
import type { FolderConfig } from './folder-config';
import type { FolderStats } from './folder-stats';
import { loadIndex, sameEntries, sameEntry, saveIndex } from './local-index';
import { runSliced } from './loop-slice';
import { entryOf } from './entry';
import { ManifestOverlay, pathsOf } from './manifest-overlay';
import { ManifestStore } from './manifest-store';
import { diffManifests } from './manifest-diff';
import { executePlan } from './plan-executor';
import { expandScope, isUnder, planSteps, planSync } from './planner';
import { remoteView, type Listing } from './remote-view';
import { CompressionGate } from './compression-gate';
import { releaseMemoryAfter } from '../memory';
import { scanSteps, type ManifestEntry } from './scan';
import { watchFolder, type FolderWatcher } from './watcher';

export interface SenderOptions {
  epoch(): number;
  now(): number;
  log: Logger;
  indexFile: string;
  delayMs: number;
  streams: number;
  maxBlockSize: number;
  compress: boolean;
}

const RETRY_CHANGED_MS = 1000;
/** A path the receiver failed is tried again after 1 s, doubling up to 5 min while it fails. */
const RETRY_FAILED_MAX_MS = 300_000;
const INDEX_SAVE_MS = 10_000;

export class FolderSender {
  private local = new Map<string, ManifestEntry>();
  private remote = new Map<string, ManifestEntry>();
  private readonly dirty = new Set<string>();
  private wake: (() => void) | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private scanDue = false;
  private closing = false;
  private savedAt = 0;
  /** Whether the index file holds `local` as it is (nothing to write); set once it is read. */
  private indexSaved = true;
  private indexLoaded: Promise<void> = Promise.resolve();
  /** Paths that failed on the receiver, with their attempts and the timer of their next retry. */
  private readonly retries = new Map<string, { attempts: number; timer?: NodeJS.Timeout }>();
  /** Callers of verify() waiting for the next full comparison; told how much it had to send. */
  private verifiers: Array<(planned: number) => void> = [];
  /** What it learnt about which kinds of file shrink, for as long as this folder is sent. */
  private readonly gate: CompressionGate;

  constructor(
    readonly cfg: FolderConfig,
    private readonly stats: FolderStats,
    private readonly o: SenderOptions,
  ) {
    this.gate = new CompressionGate(o.compress);
  }

  /**
   * Starts reading the index; the first comparison waits for it (it is only needed there, to
   * recognise renames), so the agent's start does not (JSON of 100,000 entries: ~0.1 s).
   */
  loadIndex(): void {
    this.indexLoaded = loadIndex(this.o.indexFile).then((m) => {
      this.local = m;
      this.indexSaved = m.size > 0;
    });
  }

  /** One session on `client`; resolves when stopped, rejects when a stream or the folder fails. */
  async run(client: grpc.Client, stopped: () => boolean): Promise<void> {
    const channels = Array.from(
      { length: Math.max(1, this.o.streams) },
      () => new FileChannel(openFilesCall(client), this.cfg.name, this.o.epoch, () => this.wake?.()),
    );
    let watcher: FolderWatcher | undefined;
    let scanTimer: NodeJS.Timeout | undefined;
    this.closing = false;
    try {
      await this.firstSync(channels, (w) => (watcher = w));
      this.releaseMemory();
      while (!stopped() && !this.closing) {
        if (this.cfg.scanIntervalMs > 0 && !scanTimer) {
          scanTimer = setTimeout(() => {
            scanTimer = undefined;
            this.scanDue = true;
            this.wake?.();
          }, this.cfg.scanIntervalMs);
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (this.scanDue || this.closing || (this.dirty.size > 0 && !this.flushTimer)) resolve();
        });
        this.wake = undefined;
        for (const ch of channels) if (ch.failed) throw ch.failed;
        if (this.scanDue) {
          this.scanDue = false;
          const verifiers = this.verifiers.splice(0);
          // The comparison reads every path after this point, so changes waiting for the send
          // delay are covered by it; what changes during it is marked again and waits as usual.
          // (Left waiting, they made verify() report work that was done, and a reverse sync
          // compared again and again until the delay ran out.)
          this.clearDirty();
          clearTimeout(this.flushTimer);
          this.flushTimer = undefined;
          const planned = await this.rescan(channels);
          this.releaseMemory();
          for (const v of verifiers) v(planned + this.dirty.size);
        } else if (this.dirty.size > 0 && !this.flushTimer) {
          await this.syncDirty(channels);
        }
      }
    } finally {
      clearTimeout(scanTimer);
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      await watcher?.close();
      for (const ch of channels) ch.close();
      this.stats.filesPending = 0;
      this.stats.bytesPending = 0;
      this.stats.changesWaiting = 0;
      await this.indexLoaded;
      if (!this.indexSaved) await saveIndex(this.o.indexFile, this.local).catch(() => undefined);
    }
  }

  /**
   * Asks the running session for a full comparison with a freshly fetched receiver manifest and
   * resolves, when it has completed, with the number of changes it had to make (0: in sync).
   */
  verify(): Promise<number> {
    return new Promise((resolve) => {
      this.verifiers.push(resolve);
      this.scanDue = true;
      this.wake?.();
    });
  }

  /** Ends the current session (direction no longer send). */
  close(): void {
    this.closing = true;
    this.wake?.();
  }

  private markDirty(path: string, delayMs: number): void {
    this.dirty.add(path);
    this.stats.changesWaiting = this.dirty.size;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.wake?.();
    }, delayMs);
  }

  private clearDirty(): void {
    this.dirty.clear();
    this.stats.changesWaiting = 0;
  }

  /*
   * The session's first comparison and its rescans run in frames of their own: a value of run()'s
   * frame stays alive as long as the session (days), and the receiver's manifest held there was
   * ~14 MB of heap at 100,000 files.
   */

  /** Starts watching (handed to `watching`, which closes it) and compares everything once. */
  private async firstSync(channels: FileChannel[], watching: (w: FolderWatcher) => void): Promise<void> {
    // The receiver lists its side while this one is watched and scanned (fullSync).
    const listing = this.list(channels[0]!);
    listing.catch(() => undefined); // awaited by fullSync; a failure there ends the session
    this.clearDirty();
    if (!this.cfg.watch) return void (await this.fullSync(channels, listing));
    // The scan sets each directory's watch before it lists the directory (a change after that is
    // reported, one before it is scanned): one walk of the tree instead of two.
    const watcher = await watchFolder(
      this.cfg,
      (p) => this.markDirty(p, this.o.delayMs),
      (e) => this.stats.error(`watching ${this.cfg.root}: ${e.message}`),
      { walk: false },
    );
    watching(watcher);
    await this.fullSync(channels, listing, (rel) => watcher.watchDirectory(rel));
  }

  private rescan(channels: FileChannel[]): Promise<number> {
    return this.fullSync(channels, this.list(channels[0]!));
  }

  /** Called by run() once a comparison's frames are gone, so that its manifests are garbage. */
  private releaseMemory(): void {
    void releaseMemoryAfter(Math.max(this.local.size, this.remote.size));
  }

  /** The receiver's list as it arrives; read against this side's scan once that is done. */
  private async list(ch: FileChannel): Promise<Listing> {
    const { acks } = await ch.request({ list: { packed: true } });
    const got = await acks;
    const err = ackError(got);
    if (err) throw new Error(`the receiver cannot list folder ${this.cfg.name}: ${err.message}`);
    const listing: Listing = { parts: [], entries: [] };
    for (const a of got) {
      if (a.manifest.length > 0) listing.parts.push(a.manifest);
      for (const w of a.entries) listing.entries.push(w); // a receiver that does not pack
    }
    return listing;
  }

  /**
   * Compares everything with the receiver's manifest (`listing`, requested by the caller so that
   * it is listed while this side is scanned) and sends what differs; returns how many changes
   * that took.
   */
  private async fullSync(
    channels: FileChannel[],
    listing: Promise<Listing>,
    watch?: (rel: string) => void,
  ): Promise<number> {
    let watchFailed: unknown;
    const onDirectory =
      watch &&
      ((rel: string) => {
        try {
          watch(rel);
        } catch (e) {
          throw (watchFailed = new Error(`watching ${join(this.cfg.root, rel)}: ${(e as Error).message}`));
        }
      });
    const scanned = (async () => {
      const now = new ManifestStore();
      const temps = sweepStaleTemps(this.cfg.root, this.o.log);
      const { exclude, symlinks } = this.cfg;
      const options = { exclude, symlinks, onDirectory, onTemp: temps.onTemp };
      for await (const _ of scanSteps(this.cfg.root, options, now.scanSink(pathsOf(this.local))));
      temps.done();
      return now.trim();
    })().catch((e: Error) => {
      if (e !== watchFailed)
        this.stats.setProblem(`folder ${this.cfg.name} (${this.cfg.root}) cannot be read: ${e.message}`);
      throw e;
    });
    const [theirs, now] = await Promise.all([listing, scanned, this.indexLoaded]);
    this.stats.clearProblem();
    const previous = this.local;
    // Both views rest on the scan's store, which nothing writes to from here on (the receiver's:
    // remoteView, its entries where they differ).
    this.local = new ManifestOverlay(now);
    // Sliced: at 1,000,000 entries each of these held the event loop for about a second.
    if (!(await runSliced(sameEntries(previous, now)))) this.indexSaved = false;
    const remote = await runSliced(remoteView(now, theirs));
    const plan = await runSliced(planSteps(now, remote, previous));
    this.remote = remote;
    await executePlan(plan, this.exec(channels));
    this.settleRetries();
    this.stats.lastScanMs = this.o.now();
    await this.saveIndex(true);
    return plan.renames.length + plan.remove.length + plan.send.length;
  }

  private async syncDirty(channels: FileChannel[]): Promise<void> {
    const scope = new Set(this.dirty);
    this.clearDirty();
    const previous = new Map<string, ManifestEntry>();
    for (const p of [...scope].sort()) {
      const old = this.local.get(p);
      if (old) previous.set(p, old);
      const e = await this.entryAt(p);
      if (e) {
        if (!old || !sameEntry(old, e)) this.indexSaved = false;
        this.local.set(p, e);
      } else {
        this.indexSaved = false;
        this.local.delete(p);
        if (old?.type === 'dir')
          for (const k of [...this.local.keys()]) if (isUnder(k, p)) this.local.delete(k);
      }
    }
    await this.addRenameSources(scope, previous);
    const wide = expandScope(scope, this.local, this.remote);
    await executePlan(planSync(this.local, this.remote, previous, wide), this.exec(channels));
    this.settleRetries();
    await this.saveIndex(false);
  }

  /**
   * A rename can reach us as two batches (the new name first). For each new path, the old path
   * with the same inode that is gone from disk joins the scope, so the plan sees both ends.
   */
  private async addRenameSources(scope: Set<string>, previous: Map<string, ManifestEntry>): Promise<void> {
    const fresh = [...scope].filter((p) => !previous.has(p) && this.local.get(p)?.ino !== undefined);
    if (fresh.length === 0) return;
    const inos = new Set(fresh.map((p) => this.local.get(p)!.ino));
    for (const [path, e] of [...this.local]) {
      if (scope.has(path) || !inos.has(e.ino) || (await this.entryAt(path))?.ino === e.ino) continue;
      scope.add(path);
      previous.set(path, e);
      this.indexSaved = false;
      this.local.delete(path);
      if (e.type === 'dir')
        for (const k of [...this.local.keys()]) if (isUnder(k, path)) this.local.delete(k);
    }
  }

  /** The local entry at `rel` now, or undefined when it is gone, excluded or not replicated. */
  private async entryAt(rel: string): Promise<ManifestEntry | undefined> {
    const st = await lstat(join(this.cfg.root, rel)).catch(() => null);
    const e = st && entryOf(rel, st, this.cfg);
    if (!e || typeof e === 'string') return undefined;
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    if (parent && !this.local.has(parent)) return undefined; // under an excluded directory
    if (e.type === 'symlink') e.linkTarget = await readlink(join(this.cfg.root, rel));
    return e;
  }

  private exec(channels: FileChannel[]) {
    return {
      root: this.cfg.root,
      channels,
      remote: this.remote,
      stats: this.stats,
      options: { maxBlockSize: this.o.maxBlockSize, compress: this.gate },
      now: this.o.now,
      retryLater: (p: string) => this.markDirty(p, RETRY_CHANGED_MS),
      failed: (p: string, message: string) => this.fileFailed(p, message),
      sent: (p: string) => this.fileSent(p),
    };
  }

  /** Retries `path` with backoff; the folder shows WorkingWithErrors until it succeeds. */
  private fileFailed(path: string, message: string): void {
    this.stats.fileFailed(path, message);
    const r = this.retries.get(path) ?? { attempts: 0 };
    clearTimeout(r.timer);
    r.attempts++;
    const delay = Math.min(RETRY_FAILED_MAX_MS, RETRY_CHANGED_MS * 2 ** (r.attempts - 1));
    r.timer = setTimeout(() => {
      r.timer = undefined;
      this.markDirty(path, 0);
    }, delay);
    r.timer.unref();
    this.retries.set(path, r);
  }

  private fileSent(path: string): void {
    const r = this.retries.get(path);
    if (!r) return;
    clearTimeout(r.timer);
    this.retries.delete(path);
    this.stats.fileRecovered(path);
  }

  /** Failed paths that need nothing any more (equal on both sides now, or gone from both). */
  private settleRetries(): void {
    for (const [path, r] of this.retries) {
      if (r.timer) continue; // still waiting for its retry
      const mine = this.local.get(path);
      const theirs = this.remote.get(path);
      const diff = diffManifests(mine ? [mine] : [], theirs ? [theirs] : []);
      if (diff.send.length === 0 && diff.remove.length === 0) this.fileSent(path);
    }
  }

  /** Writes the index when it changed: at once (`force`) or at most every INDEX_SAVE_MS. */
  private async saveIndex(force: boolean): Promise<void> {
    if (this.indexSaved || (!force && this.o.now() - this.savedAt < INDEX_SAVE_MS)) return;
    this.savedAt = this.o.now();
    this.indexSaved = true; // changes made while it is written clear this again
    await saveIndex(this.o.indexFile, this.local).catch((e: unknown) => {
      this.indexSaved = false;
      throw e;
    });
  }
}

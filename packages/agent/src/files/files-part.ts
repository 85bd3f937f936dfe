// The file replication part (issue 4): serves the Link Files stream as receiver, runs one
// FolderSender per folder pair while this agent sends, and reports per-folder figures and
// problems. The direction comes from the runner; this part never decides it.
import { join } from 'node:path';
import { status as grpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Status } from '@sparesync/common';
import type { AgentPart, Direction, PartContext } from '../parts';
import { pruneArchive } from './deleted-archive';
import { foldersFromSettings, type FolderConfig } from './folder-config';
import { FolderStats } from './folder-stats';
import { FolderWriter } from './folder-writer';
import { serveFilesStream } from './receiver';
import { FolderSender } from './sender';

/**
 * A failed session is retried after FIRST_RETRY_MS, doubling up to RETRY_MS while sessions keep
 * failing fast. The common failure is the peer not receiving yet: both agents reach their new
 * state within a beat of each other, and a fixed 1 s wait was a third of a small initial sync.
 */
const FIRST_RETRY_MS = 50;
const RETRY_MS = 1000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
const PRUNE_EVERY_MS = 3_600_000;

/** A stream that ended because the peer went away or is not receiving (yet): grpc UNAVAILABLE
 * or CANCELLED, as a link reset, a restart or the peer's "still starting" or "not receiving" say. */
function peerNotReady(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === grpcStatus.UNAVAILABLE || code === grpcStatus.CANCELLED;
}

export class FilesPart implements AgentPart {
  readonly name = 'files';
  readonly link = {
    files: (call: ServerDuplexStream<unknown, unknown>) => {
      this.serve(call).catch((e: Error) => {
        this.ctx.log.warn(`Files stream from the peer ended: ${e.message}`);
        call.destroy();
      });
    },
  };
  private ctx!: PartContext;
  private folders: FolderConfig[] = [];
  private readonly stats = new Map<string, FolderStats>();
  private readonly writers = new Map<string, FolderWriter>();
  private readonly senders: FolderSender[] = [];
  private readonly running = new Set<FolderSender>();
  private current: Direction = 'idle';
  private prunedAt = 0;

  async start(ctx: PartContext): Promise<void> {
    this.ctx = ctx;
    const s = ctx.settings;
    this.folders = foldersFromSettings(ctx.loaded);
    for (const f of this.folders) {
      const stats = new FolderStats(f.name, f.root, (p) => ctx.report(p));
      this.stats.set(f.name, stats);
      this.writers.set(f.name, new FolderWriter(f, s.network.blockSizeBytes));
      const sender = new FolderSender(f, stats, {
        epoch: ctx.epoch,
        now: ctx.now,
        log: ctx.log,
        indexFile: join(ctx.loaded.resolvePath(s.dataDir), 'files', `${f.name}.index.json`),
        delayMs: s.network.sendDelaySeconds * 1000,
        streams: s.network.maxConnections,
        maxBlockSize: s.network.blockSizeBytes,
        compress: s.network.compression,
      });
      sender.loadIndex();
      this.senders.push(sender); // temp files a crash left: the folder's first scan removes them
    }
    await this.prune();
  }

  direction(d: Direction): void {
    this.current = d;
    for (const st of this.stats.values()) st.direction = d;
    if (d !== 'send') {
      for (const s of this.running) s.close();
      return;
    }
    for (const s of this.senders) if (!this.running.has(s)) void this.runSender(s);
  }

  /**
   * In sync when a full comparison of every folder, each with the receiver's manifest fetched
   * anew, finds nothing to send. Repeats the comparison until then (files still changing, a
   * session restarting after a link drop) or until `timeoutMs`.
   */
  async synced(timeoutMs: number): Promise<void> {
    const deadline = this.ctx.now() + timeoutMs;
    for (const sender of this.senders) {
      for (;;) {
        if (this.current !== 'send') throw new Error(`file replication is ${this.current}, not sending`);
        if (!this.running.has(sender)) void this.runSender(sender);
        const left = deadline - this.ctx.now();
        const planned = await Promise.race([sender.verify(), sleep(Math.max(0, left)).then(() => -1)]);
        if (planned === 0) break;
        if (planned < 0 || this.ctx.now() >= deadline) {
          const st = this.stats.get(sender.cfg.name);
          throw new Error(
            `folder ${sender.cfg.name} is not in sync after ${Math.round(timeoutMs / 1000)} s (${st?.filesPending ?? 0} file(s) pending${st?.errors.length ? `; last error: ${st.errors.at(-1)}` : ''})`,
          );
        }
      }
    }
  }

  status(): Partial<Status> {
    return { folders: [...this.stats.values()].map((s) => s.toStatus()) };
  }

  async stop(): Promise<void> {
    this.current = 'idle';
    for (const s of this.running) s.close();
  }

  /** Sessions of one folder while this agent sends; a session that fails is retried on the same
   * link, and given up when the link is gone (the next direction('send') starts a new one). */
  private async runSender(sender: FolderSender): Promise<void> {
    this.running.add(sender);
    const stats = this.stats.get(sender.cfg.name)!;
    let retryMs = FIRST_RETRY_MS;
    try {
      while (this.current === 'send') {
        const client = this.ctx.peer();
        if (!client) return;
        const startedAt = this.ctx.now();
        try {
          await sender.run(client, () => this.current !== 'send');
        } catch (e) {
          if (this.current !== 'send') return;
          const msg = `folder ${sender.cfg.name}: ${(e as Error).message}`;
          if (peerNotReady(e)) {
            // The peer restarting, still starting, or not receiving yet: the link's state, which
            // status shows as such, and no fault of the folder's.
            this.ctx.log.debug(`file replication session ended: ${msg}`);
          } else if (stats.errors.at(-1) !== msg) {
            stats.error(msg);
            this.ctx.log.warn(`file replication session ended: ${msg}`);
          }
          retryMs = this.ctx.now() - startedAt > RETRY_MS ? FIRST_RETRY_MS : Math.min(retryMs * 2, RETRY_MS);
          await new Promise((r) => setTimeout(r, retryMs));
        }
      }
    } finally {
      this.running.delete(sender);
    }
  }

  private async serve(call: ServerDuplexStream<unknown, unknown>): Promise<void> {
    await this.prune();
    await serveFilesStream(call, {
      writers: this.writers,
      epoch: this.ctx.epoch,
      direction: () => this.current,
      log: this.ctx.log,
      onApplied: (folder) => {
        const st = this.stats.get(folder);
        if (!st) return;
        st.filesTransferred++;
        st.lastChangeMs = this.ctx.now();
      },
      onError: (folder, message) => this.stats.get(folder)?.error(message),
      onListed: (folder, error) => {
        const st = this.stats.get(folder);
        if (!st) return;
        if (!error) {
          st.clearProblem();
          st.lastScanMs = this.ctx.now();
        } else st.setProblem(`folder ${folder} (${st.path}) cannot be read: ${error.message}`);
      },
    });
  }

  /** Removes .deleted entries past their retention, at most once an hour. */
  private async prune(): Promise<void> {
    const now = this.ctx.now();
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    for (const f of this.folders) {
      if (f.keepDeleted && f.retentionDays > 0) {
        await pruneArchive(f.archiveRoot, f.retentionDays, now).catch((e: Error) =>
          this.ctx.log.warn(`pruning ${f.archiveRoot}: ${e.message}`),
        );
      }
    }
  }
}

// Row replication between two databases in one process, for the database contract and crash
// tests: the sending agent's DbReplication (its RowSender) and the receiving agent's (its
// RowReceiver), each built as DbPart builds it, joined by an in-process Rows call that carries
// every frame through the proto's serializers (local-rows-call.ts). Nothing of the loop is the
// test's own: syncing, reinitialising and the per-table copy are the agent's requests and waits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger, validateSettings } from '@sparesync/common';
import {
  DbReplication,
  DbStatusTracker,
  RowsStream,
  batchRowCount,
  decodeBatch,
  type DbAdapter,
  type Direction,
  type PartContext,
  type RowAck,
  type RowFrameBody,
  type RowSink,
} from '@sparesync/agent';
import { hookedSink } from './hooked-sink';
import { localRowsCall } from './local-rows-call';

export interface RowPipelineOptions {
  /** network.maxReplicaSizeKiB: the largest batch and snapshot chunk (default 64). */
  maxBatchKiB?: number;
  /** link.maxMessageBytes (default 4 MiB). */
  maxMessageBytes?: number;
  /** network.dbIterationPauseSeconds, the fallback poll (default 30: commits and syncs wake it). */
  pauseSeconds?: number;
  /** Folder for both agents' data (flags, backups); default a temp folder removed by close(). */
  dir?: string;
  /** Runs before a frame is handed to the receiver (frames in the sender's order, one at a time). */
  beforeFrame?(body: RowFrameBody): Promise<void> | void;
  /** Runs after a frame's acknowledgement arrived, before the sender sees it (acks in order, one at a time). */
  afterAck?(frame: SentFrame): Promise<void> | void;
}

/** A frame the sender sent, with the acknowledgement; payloads summarised. */
export interface SentFrame {
  body: 'hello' | 'payload' | 'reinitBegin' | 'setPosition' | 'backupChunk';
  /** Encoded payload bytes (payload frames). */
  bytes: number;
  batch?: { kind: 'changes' | 'snapshot'; from: string; to: string; rows: number; tables: string[] };
  ack: RowAck;
}

export interface SyncResult {
  frames: SentFrame[];
  /** Rows of the changes batches sent. */
  rows: number;
  /** Tables the sender leaves out until install-scripts (DbFlags.awaitingInstall). */
  notReplicated: string[];
}

const DEFAULT_TIMEOUT_MS = 45_000;

export class RowPipeline {
  private running = false;
  private frames: SentFrame[] = [];
  private onFatal: ((detail: string) => void) | null = null;

  /** The sending agent's replication (its sender runs while this pipeline runs). */
  readonly sending: DbReplication;
  /** The receiving agent's replication (its receiver serves the Rows calls). */
  readonly receiving: DbReplication;
  private readonly dir: string;

  /** Replication from `source` (the sending agent's database) to `target`; not running yet. */
  static open(source: DbAdapter, target: DbAdapter, opts: RowPipelineOptions = {}): RowPipeline {
    return new RowPipeline(source, target, opts);
  }

  private constructor(
    source: DbAdapter,
    target: DbAdapter,
    private readonly opts: RowPipelineOptions,
  ) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sparesync-rows-'));
    this.sending = this.side('primary', source, () => (this.running ? 'send' : 'idle'));
    this.receiving = this.side('secondary', target, () => 'receive');
  }

  /** One agent's replication as DbPart builds it, with this pipeline's settings and sink. */
  private side(name: 'primary' | 'secondary', adapter: DbAdapter, direction: () => Direction) {
    const settings = pipelineSettings(name, adapter, this.opts);
    const root = join(this.dir, name);
    const ctx: PartContext = {
      loaded: { file: join(root, 'sparesync.json'), settings, resolvePath: (p) => resolve(root, p) },
      settings,
      log: createLogger({ level: process.env.SPARESYNC_TEST_LOG ?? 'error', label: name }),
      epoch: () => 0,
      peer: () => undefined,
      report: (p) => {
        if (p.type === 'DbSyncProblem' && p.fatal) this.onFatal?.(p.detail);
      },
      now: () => Date.now(),
    };
    const tracker = new DbStatusTracker(adapter.engine, ctx.now);
    return new DbReplication({ ctx, adapter, tracker, open: (f) => this.openSink(f), direction });
  }

  /** Runs the sender (it follows the change log) until stop(). */
  start(): void {
    this.running = true;
    this.sending.sender.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.sending.sender.stop();
  }

  /**
   * Sends until a read of the change log begun now finds nothing left and every batch is
   * acknowledged, with no reinitialisation under way or requested (DbReplication.synced); runs the
   * sender for it unless it runs already. Rejects at once when the sender stops on a fatal problem,
   * and with what is pending and the last error after `timeoutMs`.
   */
  async sync(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SyncResult> {
    const was = this.running;
    const first = this.frames.length;
    const fatal = new Promise<never>((_, reject) => {
      this.onFatal = (detail) => reject(new Error(`row replication stopped: ${detail}`));
    });
    if (!was) this.start();
    try {
      await Promise.race([this.sending.synced(timeoutMs, true), fatal]);
    } finally {
      this.onFatal = null;
      if (!was) await this.stop();
    }
    const frames = this.frames.splice(first);
    if (!this.running) this.frames = [];
    return {
      frames,
      rows: frames.reduce((n, f) => n + (f.batch?.kind === 'changes' ? f.batch.rows : 0), 0),
      notReplicated: this.sending.flags.read().awaitingInstall,
    };
  }

  /** Reinitialisation as the operator requests it on the sending agent (`sparesync db reinit`), then sync(). */
  reinitialize(timeoutMs?: number): Promise<SyncResult> {
    this.sending.request({ reinit: true });
    return this.sync(timeoutMs);
  }

  /** Copies these tables alone, as after install-scripts (DbFlags.reinitTables), then sync(). */
  reinitializeTables(tables: string[], timeoutMs?: number): Promise<SyncResult> {
    const pending = this.sending.flags.read().reinitTables;
    this.sending.request({ reinitTables: [...new Set([...pending, ...tables])].sort() });
    return this.sync(timeoutMs);
  }

  /** Stops the sender and removes the pipeline's folder (the adapters belong to the caller). */
  async close(): Promise<void> {
    await this.stop();
    if (!this.opts.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private openSink(onFailure: () => void): RowSink {
    const opts = this.opts;
    const call = localRowsCall((c) => this.receiving.receiver.handle(c));
    const stream = new RowsStream(call, () => this.sending.ctx.epoch(), onFailure);
    return hookedSink(stream, {
      before: (body) => opts.beforeFrame?.(body),
      after: async (body, ack) => {
        const frame = summary(body, ack);
        this.frames.push(frame);
        await opts.afterAck?.(frame);
      },
    });
  }
}

function summary(body: RowFrameBody, ack: RowAck): SentFrame {
  const kind = Object.keys(body).find((k) => k !== 'readAtMs') as SentFrame['body'];
  if (!body.payload) return { body: kind, bytes: 0, ack };
  const payload = Buffer.from(body.payload);
  const b = decodeBatch(payload, Infinity);
  return {
    body: kind,
    bytes: payload.length,
    batch: {
      kind: b.kind,
      from: b.from,
      to: b.to,
      rows: batchRowCount(b),
      tables: b.tables.map((t) => t.table),
    },
    ack,
  };
}

/** One agent's settings from the real schema: the pipeline's sizes, no automatic reinitialisation. */
function pipelineSettings(role: 'primary' | 'secondary', adapter: DbAdapter, opts: RowPipelineOptions) {
  const result = validateSettings({
    role,
    peer: { host: '127.0.0.1', fingerprint: 'AA'.repeat(32) },
    tls: { ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' },
    pairKeyFile: 'pair.key',
    dataDir: 'data',
    // A sync error must fail the test, not be repaired by a reinitialisation.
    database: { engine: adapter.engine, reinitOnError: false, installOnFirstStart: false },
    network: {
      maxReplicaSizeKiB: opts.maxBatchKiB ?? 64,
      dbIterationPauseSeconds: opts.pauseSeconds ?? 30,
    },
    link: { maxMessageBytes: opts.maxMessageBytes ?? 4 * 1024 * 1024 },
  });
  if (!result.ok) throw new Error(`row pipeline settings: ${JSON.stringify(result.problems)}`);
  return result.settings;
}

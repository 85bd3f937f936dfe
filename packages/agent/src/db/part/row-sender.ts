// The sending side: while this agent's direction is `send`, opens a row sink to the peer (the Rows
// stream in production; the contract tests give it an in-process one), carries out the operator's
// requests (row-requests.ts: fix state, reinitialise through a backup, reinitialise), then
// follows the change log: a commit wakes it at once (onChange), the iteration pause is the
// fallback poll. The change log is trimmed only after the receiver acknowledged its commit.
import { performance } from 'node:perf_hooks';
import { SpareSyncError, errorCodes, type ErrorCode } from '@sparesync/common';
import type { ChangeSet, DbAdapter } from '../adapter';
import { batchRowCount, type Batch, type Position } from '../batch';
import type { BufferPool } from '../buffer-pool';
import { encodeBatch } from '../codec';
import type { PartContext } from '../../parts';
import type { BackupDirs } from './backup-transfer';
import { describeError, type DbStatusTracker } from './db-status';
import type { DbFlagFile } from './flags';
import { FRAME_HEAD, frameInPlace, type RowAck, type RowFrameBody } from './row-frames';
import type { RowSink, RowSinkOpener } from './rows-stream';
import { RowRequests } from './row-requests';
import { SchemaWatch } from './schema-watch';
import { Wakeup } from './wakeup';

export interface SenderDeps {
  ctx: PartContext;
  adapter: DbAdapter;
  tracker: DbStatusTracker;
  flags: DbFlagFile;
  dirs: BackupDirs;
  maxBatchBytes: number;
  maxMessageBytes: number;
  pauseMs: number;
  /** Opens the sink of a session (production: the Rows stream to the peer, `peerRows`). */
  open: RowSinkOpener;
}

const EMPTY_BATCH_MS = 10_000;
/** The change-log backlog (Status rowsPending) is counted at most this often while a backlog drains. */
const BACKLOG_COUNT_MS = 1000;

const round = (ms: number) => Math.round(ms * 100) / 100;

interface ReadAhead {
  from: Position;
  /** When it began (ctx.now()), and how long it took (performance.now()). */
  at: number;
  ms: number;
  read: Promise<ChangeSet>;
}

/** An error the receiving agent answered with (its database is unchanged by that frame). */
export class ReceiverError extends SpareSyncError {}

/** Thrown inside a session when the receiver asks for an operator request to be carried out. */
class RestartSession extends Error {}

export class RowSender {
  private abort: AbortController | null = null;
  private running: Promise<void> | null = null;
  private wanted = false;
  private readonly wake: Wakeup;
  /** Reads of the change log begun, and the last one that found it drained with all batches acked. */
  private readsStarted = 0;
  private drainedRead = 0;
  private backlogCountedAt = -Infinity;
  private readonly schema: SchemaWatch;
  private readonly requests: RowRequests;
  /** The trims after acknowledged batches, chained in order. */
  private trimming: Promise<void> = Promise.resolve();
  /** The position the queued trim (not yet begun) trims to; null: none queued. */
  private trimTo: Position | null = null;
  /**
   * The changes batch sent whose acknowledgement this side has not seen (null: none). The
   * receiver may have committed it before the stream broke; the next session's hello tells.
   */
  private unacked: { to: Position; rows: number } | null = null;

  constructor(private readonly d: SenderDeps) {
    this.wake = new Wakeup(d.ctx.now);
    this.schema = new SchemaWatch(d);
    this.requests = new RowRequests(d, {
      send: (stream, body) => this.send(stream, body),
      sendBatch: (stream, batch, readAtMs, pool) => this.sendBatch(stream, batch, readAtMs, pool),
    });
  }

  /** Runs the loop until stop(); a loop still winding down from an earlier stop() is followed by a new one. */
  start(): void {
    this.wanted = true;
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.loop(abort.signal).finally(() => {
      this.running = null;
      if (this.abort === abort) this.abort = null;
      if (this.wanted) this.start();
    });
  }

  async stop(): Promise<void> {
    this.wanted = false;
    this.abort?.abort();
    this.wake.poke();
    await this.running;
  }

  /** An operator request was recorded: re-read the requests now instead of at the next wake-up. */
  kick(): void {
    this.wake.poke(true);
  }

  /**
   * Starts a read of the change log now; returns a ticket that drained() accepts once a read
   * begun after this call found nothing left to send and every batch before it was acknowledged.
   */
  checkDrained(): number {
    this.schema.expire();
    this.wake.poke();
    return this.readsStarted + 1;
  }

  drained(ticket: number): boolean {
    return this.drainedRead >= ticket;
  }

  /** While a backlog drains, counts the change log (at most every BACKLOG_COUNT_MS); a figure only. */
  private async countBacklog(): Promise<void> {
    const { adapter, tracker, ctx } = this.d;
    if (!adapter.backlog || ctx.now() - this.backlogCountedAt < BACKLOG_COUNT_MS) return;
    this.backlogCountedAt = ctx.now();
    const entries = await adapter.backlog().catch(() => null);
    if (entries) tracker.s.rowsPending = entries.reduce((n, e) => n + e.entries, 0);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const { tracker } = this.d;
    while (!signal.aborted) {
      // A sink that fails while the sender waits for commits ends the wait (kick), so the
      // session starts over at once instead of at the next batch.
      const stream = this.d.open(() => this.wake.poke(true));
      if (!stream) break; // the link is down: the next direction('send') starts again
      tracker.phase('connecting');
      const stopStream = () => stream.close();
      signal.addEventListener('abort', stopStream);
      try {
        await this.session(stream, signal);
      } catch (e) {
        if (signal.aborted) break;
        if (await this.handleFailure(e, signal)) break;
      } finally {
        signal.removeEventListener('abort', stopStream);
        stream.close();
      }
    }
    // Ended on its own (link down, fenced): wait for the next direction('send').
    if (!signal.aborted) this.wanted = false;
    if (tracker.s.phase !== 'failed' && tracker.s.phase !== 'waiting') tracker.phase('idle');
  }

  /** Decides what a failure means; true when the sender must stop until the next direction('send'). */
  private async handleFailure(e: unknown, signal: AbortSignal): Promise<boolean> {
    const { ctx, tracker, flags } = this.d;
    if (e instanceof RestartSession) return false;
    const code: ErrorCode = e instanceof SpareSyncError ? e.code : 'Internal';
    const retryMs = Math.min(1000, Math.max(100, this.d.pauseMs));
    if (code === 'PeerUnreachable') {
      // The link's own monitor reports a lost peer; a refused or dropped stream (the peer
      // restarting, or not receiving yet right after a switch) is retried quietly, and is no
      // error of the database's: lastError keeps what it was.
      ctx.log.debug('database row stream ended; retrying', { err: describeError(e).message });
      tracker.phase('connecting');
      await this.wake.pause(retryMs, signal);
      return false;
    }
    const line = tracker.error(e);
    if (code === 'DbUnavailable') {
      // The state machine applies system.dbConnectionErrorsFatal to connection problems.
      ctx.report({ type: 'DbSyncProblem', fatal: false, connection: true, detail: line });
      tracker.phase('connecting');
      await this.wake.pause(retryMs, signal);
      return false;
    }
    if (code === 'EpochFenced') {
      // The peer took over (a planned switch persists its epoch the moment our drain is done, and
      // its refusal can beat the heartbeat that carries the epoch). Not an error of ours: stop
      // sending; the heartbeat brings the epoch, the machine fences this side and turns it around.
      ctx.log.warn('database replication stopped: the peer holds a higher epoch', { err: line });
      tracker.phase('idle');
      return true;
    }
    const syncError = code === 'DbReinitRequired' && !tracker.s.reinit?.active;
    if (syncError && ctx.settings.database.reinitOnError) {
      // The position is lost or a batch could not be applied: copy everything again.
      ctx.log.warn('database replication cannot continue; reinitialising', { err: line });
      ctx.report({ type: 'DbSyncProblem', fatal: false, connection: false, detail: line });
      flags.update({ reinit: true });
      tracker.flags(flags.read());
      return false;
    }
    // Schema changes, a failed reinitialisation, or reinitOnError off: wait for the operator.
    const detail = syncError
      ? `DbSyncReInitRequired: ${line} (database.reinitOnError is off; run \`sparesync db reinit\`)`
      : line;
    if (syncError) tracker.s.lastError = detail;
    ctx.log.error('database replication stopped until the operator acts', { err: detail });
    ctx.report({
      type: 'DbSyncProblem',
      fatal: true,
      connection: false,
      detail,
      ...(syncError ? { reinitRequired: true } : {}),
    });
    tracker.phase('waiting');
    await this.wake.untilKicked(signal);
    return false;
  }

  private async session(stream: RowSink, signal: AbortSignal): Promise<void> {
    const { adapter, ctx, tracker, flags } = this.d;
    this.schema.expire();
    const hello = await this.send(stream, { hello: { engine: adapter.engine, role: ctx.settings.role } });
    ctx.log.debug('row stream open', { applied: hello.appliedPosition });
    // A batch committed by the receiver whose acknowledgement was lost (the stream broke, or the
    // ack asked for a restart) is counted now: it is never sent again, so rowsReplicated would
    // stay short of what the receiver holds.
    const lost = this.unacked;
    this.unacked = null;
    if (lost && hello.appliedPosition === lost.to) tracker.applied(lost.rows, 0);
    await this.requests.carryOut(stream, hello);
    tracker.flags(flags.read());
    await this.follow(stream, signal);
  }

  /** Sends a frame; an error answer becomes a ReceiverError, a request of the receiver a restart. */
  private async send(
    stream: RowSink,
    body: RowFrameBody,
    requestsMatter = true,
    written?: () => void,
  ): Promise<RowAck> {
    const ack = await stream.send(body, written);
    if (ack.error) {
      const code = (ack.errorCode in errorCodes ? ack.errorCode : 'Internal') as ErrorCode;
      throw new ReceiverError(code, `the receiving agent: ${ack.error}`);
    }
    this.d.tracker.s.appliedPosition = ack.appliedPosition;
    if (
      requestsMatter &&
      'payload' in body &&
      (ack.reinitRequested || ack.backupReinitRequested || ack.fixRequested)
    ) {
      throw new RestartSession();
    }
    return ack;
  }

  /** `pool`: the payload's buffer comes from it and goes back once written (snapshot chunks). */
  private async sendBatch(stream: RowSink, batch: Batch, readAtMs: number, pool?: BufferPool): Promise<void> {
    const payload = encodeBatch(batch, Infinity, pool, pool ? FRAME_HEAD : 0);
    if (pool) frameInPlace(payload);
    for (const t of batch.tables) t.copy?.release?.();
    if (payload.length > this.d.maxMessageBytes - 1024) {
      const big = batch.tables.map((t) => t.table).join(', ');
      throw new SpareSyncError(
        'DbBatchInvalid',
        `a batch of ${payload.length} bytes (tables ${big}) exceeds link.maxMessageBytes (${this.d.maxMessageBytes})`,
        {
          hint: 'A single row or transaction is larger than the link allows: raise link.maxMessageBytes on both servers.',
        },
      );
    }
    await this.send(
      stream,
      { payload, readAtMs },
      batch.kind === 'changes',
      pool && (() => pool.give(payload)),
    );
  }

  private async follow(stream: RowSink, signal: AbortSignal): Promise<void> {
    const { adapter, ctx, tracker } = this.d;
    let position = tracker.s.appliedPosition;
    let lastSent = 0;
    const unsubscribe = adapter.onChange(() => this.wake.poke());
    tracker.phase('following');
    /** The read of the batch after the one being sent (a backlog), begun at `at`. */
    let readAhead: ReadAhead | null = null;
    try {
      while (!signal.aborted) {
        if (this.wake.consumeKick()) throw new RestartSession();
        const seenAt = this.wake.reset();
        const read = ++this.readsStarted;
        const schemaProblem = await this.schema.check(this.d.pauseMs);
        if (this.d.flags.read().reinitTables.length) throw new RestartSession();
        // When the commit that woke this iteration was seen (its first read only).
        let wokeAt = seenAt;
        for (;;) {
          let readAt = ctx.now();
          const t0 = performance.now();
          let ahead = readAhead;
          readAhead = null;
          if (ahead && ahead.from !== position) ahead = null; // not sent: the position did not move
          if (ahead) readAt = ahead.at;
          const { batch, nextPosition } = await (ahead?.read ??
            adapter.changesSince(position, this.d.maxBatchBytes));
          const readMs = ahead ? ahead.ms : performance.now() - t0;
          const rows = batchRowCount(batch);
          // A batch without rows only moves the position (other transactions committed); it is
          // sent at most every EMPTY_BATCH_MS so an idle database does not cause a write a poll.
          const positionOnly = !batch.tables.length && !Object.keys(batch.sequences).length;
          const due = !positionOnly || ctx.now() - lastSent >= EMPTY_BATCH_MS;
          if (due && (nextPosition !== position || batch.tables.length)) {
            lastSent = ctx.now();
            if (rows) tracker.pendingSince ??= seenAt ?? readAt;
            if (!batch.complete) await this.countBacklog();
            tracker.s.rowsPending = Math.max(tracker.s.rowsPending, rows);
            tracker.s.sourcePosition = nextPosition;
            const t1 = performance.now();
            this.unacked = rows ? { to: batch.to, rows } : null;
            const sending = this.sendBatch(stream, batch, readAt);
            // A backlog: the next batch is read while this one is sent and applied. It starts at
            // this batch's end and is used only once this batch was acknowledged (a failed send
            // ends the session, and the next starts from the receiver's position).
            if (!batch.complete && !signal.aborted) readAhead = this.readFrom(nextPosition);
            await sending;
            this.unacked = null;
            // The stages of a batch's lag (`pnpm bench db` reads these lines): commit seen → read
            // begun (wakeMs), the read (readMs), send → acknowledged, i.e. the receiver's apply
            // and the link's round trip (sendMs).
            ctx.log.debug('batch sent', {
              from: batch.from,
              to: batch.to,
              rows,
              complete: batch.complete,
              wakeMs: wokeAt === null ? null : readAt - wokeAt,
              readMs: round(readMs),
              sendMs: round(performance.now() - t1),
            });
            // Acknowledged: the receiver committed it, so these entries are no longer needed here.
            // Trimmed behind the next read (one trim at a time, in order): a commit waiting for
            // the sender need not wait for the trim's round trips as well.
            this.trim(nextPosition);
            if (rows) tracker.applied(rows, 0);
            tracker.s.rowsPending = Math.max(0, tracker.s.rowsPending - rows);
            position = nextPosition;
          }
          wokeAt = null;
          if (batch.complete) break;
          // An incomplete read is followed by the next at once; stop() must still end the loop.
          if (signal.aborted) return;
        }
        // Drained once the trims before this read are done too (a test may count the log).
        void this.trimming.then(() => {
          if (read > this.drainedRead) this.drainedRead = read;
        });
        tracker.s.rowsPending = 0;
        tracker.pendingSince = null;
        tracker.s.lagMs = 0;
        if (!schemaProblem && tracker.clearError()) ctx.report({ type: 'ProblemCleared', source: 'db' });
        await this.wake.sleep(this.d.pauseMs, signal);
      }
    } finally {
      unsubscribe();
      // A read still running must not outlive the session (the adapter may be closed next).
      await (readAhead as ReadAhead | null)?.read.catch(() => {});
      await this.trimming;
    }
  }

  /** Starts a read of the change log from `from`; its failure is reported where it is awaited. */
  private readFrom(from: Position): ReadAhead {
    const at = this.d.ctx.now();
    const t0 = performance.now();
    const ahead: ReadAhead = {
      from,
      at,
      ms: 0,
      read: this.d.adapter.changesSince(from, this.d.maxBatchBytes).then((r) => {
        ahead.ms = performance.now() - t0;
        return r;
      }),
    };
    ahead.read.catch(() => {}); // awaited by the loop, unless the session ended first
    return ahead;
  }

  private trim(position: Position): void {
    const { adapter, ctx } = this.d;
    // trim(p) removes everything up to p, so a failed trim is made good by the next one, and the
    // positions acknowledged while one trim runs are trimmed together by the next (one queued).
    const queued = this.trimTo !== null;
    this.trimTo = position;
    if (queued) return;
    this.trimming = this.trimming
      .then(() => {
        const to = this.trimTo!;
        this.trimTo = null;
        return adapter.trim(to);
      })
      .catch((e: unknown) => {
        ctx.log.warn('could not trim the change log', { err: describeError(e).message });
      });
  }
}

// The operator's requests a row session carries out before it follows the change log:
// fix the synchronisation state without copying, reinitialise through a backup file,
// reinitialise by a snapshot, or copy again the tables installed again after a schema change.
// The flags file (this side's requests) and the receiver's hello (its requests) decide which.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SnapshotInfo } from '../adapter';
import { upsertCount, type Batch, type Position } from '../batch';
import { fileChunks, removeBackup } from './backup-transfer';
import type { RowAck, RowFrameBody } from './row-frames';
import type { SenderDeps } from './row-sender';
import type { RowSink } from './rows-stream';
import { readAhead } from './read-ahead';
import { BufferPool } from '../buffer-pool';

/** Room past maxBatchBytes in a pooled encoding: a chunk's cut is an estimate (pg-copy-out.ts). */
const ENCODING_SLACK = 64 * 1024;

/** How a request sends its frames: the sender's checked send (an error answer throws). */
export interface RequestChannel {
  send(stream: RowSink, body: RowFrameBody): Promise<RowAck>;
  /** `pool`: the encoding's buffer is taken from it and given back once written. */
  sendBatch(stream: RowSink, batch: Batch, readAtMs: number, pool?: BufferPool): Promise<void>;
}

export class RowRequests {
  constructor(
    private readonly d: SenderDeps,
    private readonly ch: RequestChannel,
  ) {}

  /** Carries out the first request that applies (a receiver without a position is reinitialised). */
  async carryOut(stream: RowSink, hello: RowAck): Promise<void> {
    const own = this.d.flags.read();
    if (own.fix || hello.fixRequested) await this.fixState(stream);
    else if (own.backupReinit || hello.backupReinitRequested) await this.backupReinit(stream);
    else if (own.reinit || hello.reinitRequested || hello.appliedPosition === '') await this.reinit(stream);
    else if (own.reinitTables.length)
      await this.reinitTables(stream, own.reinitTables, hello.appliedPosition);
  }

  private done(position: Position, what: string): void {
    const { flags, tracker, ctx } = this.d;
    flags.update({ reinit: false, backupReinit: false, fix: false, reinitTables: [] });
    tracker.flags(flags.read());
    tracker.s.sourcePosition = position;
    tracker.s.appliedPosition = position;
    ctx.log.info(what);
  }

  private async fixState(stream: RowSink): Promise<void> {
    const position = await this.d.adapter.currentPosition();
    await this.ch.send(stream, { setPosition: { position } });
    await this.d.adapter.trim(position);
    this.done(position, 'synchronisation state fixed without copying (operator request)');
  }

  /**
   * Sends a snapshot's chunks; the receiver holds everything it saw once this returns. One chunk
   * more than the receiver is applying is on its way (it reads the next frame as soon as it
   * committed one), but the last chunk — the one that gives the receiver its position — goes only
   * once every chunk before it was acknowledged: a copy with a failed chunk never ends as complete.
   */
  private async copy(stream: RowSink, snap: SnapshotInfo): Promise<void> {
    const { adapter, tracker, ctx } = this.d;
    tracker.reinitBegin('snapshot', snap.tables);
    let inFlight: Promise<void> | null = null;
    // Encodings of chunks, reused once the Rows stream wrote them (buffer-pool.ts).
    const pool = new BufferPool(this.d.maxBatchBytes + ENCODING_SLACK);
    try {
      await this.ch.send(stream, { reinitBegin: { kind: 'snapshot', tables: snap.tables } });
      for await (const chunk of readAhead(snap.chunks)) {
        if (chunk.to !== '') await inFlight;
        const sent = this.ch
          .sendBatch(stream, chunk, ctx.now(), pool)
          .then(() =>
            tracker.reinitRows(chunk.tables.map((t) => ({ table: t.table, rows: upsertCount(t) }))),
          );
        sent.catch(() => {}); // awaited below, or the copy failed on an earlier chunk
        await inFlight;
        inFlight = sent;
      }
      await inFlight;
      await adapter.trim(snap.position);
    } catch (e) {
      tracker.reinitEnd(e);
      throw e;
    }
    tracker.reinitEnd();
  }

  private async reinit(stream: RowSink): Promise<void> {
    const { adapter, tracker, ctx } = this.d;
    ctx.log.info('database reinitialisation starts');
    const snap = await adapter.snapshot(this.d.maxBatchBytes);
    await this.copy(stream, snap);
    this.done(snap.position, `database reinitialisation finished (${tracker.s.reinit?.rowsDone ?? 0} rows)`);
  }

  /**
   * Copies the tables installed again after a schema change (schema-watch.ts), while the receiver
   * keeps its position: changes of these tables after it are applied again on top of the copy
   * (rows carry current values). Only the last chunk restores the position, so a crash in between
   * leaves the receiver without one and the next session reinitialises everything.
   */
  private async reinitTables(stream: RowSink, tables: string[], position: Position): Promise<void> {
    const { adapter, tracker, ctx, flags } = this.d;
    ctx.log.info('database tables reinitialised after install-scripts', { tables });
    await this.copy(stream, await adapter.snapshot(this.d.maxBatchBytes, { tables, position }));
    flags.update({ reinitTables: flags.read().reinitTables.filter((t) => !tables.includes(t)) });
    tracker.s.appliedPosition = position;
    ctx.log.info(
      `database tables reinitialised (${tracker.s.reinit?.rowsDone ?? 0} rows): ${tables.join(', ')}`,
    );
  }

  private async backupReinit(stream: RowSink): Promise<void> {
    const { adapter, tracker, ctx, dirs } = this.d;
    const name = `sparesync-${adapter.engine}-${ctx.now()}.backup`;
    ctx.log.info('database reinitialisation through a backup starts', { file: join(dirs.dbDir, name) });
    const progress = tracker.reinitBegin('backup', []);
    mkdirSync(dirs.agentDir, { recursive: true, mode: 0o700 });
    const file = join(dirs.agentDir, name);
    try {
      const made = await adapter.backup(join(dirs.dbDir, name));
      await this.ch.send(stream, { reinitBegin: { kind: 'backup', tables: [] } });
      const chunkBytes = Math.max(64 * 1024, Math.min(1 << 20, this.d.maxMessageBytes - 64 * 1024));
      for await (const c of fileChunks(file, chunkBytes)) {
        progress.bytesTotal = c.size;
        await this.ch.send(stream, {
          backupChunk: {
            name,
            offset: c.offset,
            data: c.data,
            last: c.last,
            size: c.size,
            position: c.last ? made.position : '',
          },
        });
        progress.bytesDone = c.offset + c.data.length;
      }
      await adapter.trim(made.position);
      tracker.reinitEnd();
      this.done(
        made.position,
        `database reinitialisation through a backup finished (${progress.bytesTotal} bytes)`,
      );
    } catch (e) {
      tracker.reinitEnd(e);
      throw e;
    } finally {
      await removeBackup(file).catch(() => {});
    }
  }
}

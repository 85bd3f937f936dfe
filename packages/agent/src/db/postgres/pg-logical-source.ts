// The PostgreSQL adapter's logical capture source: the slot, the publication, the stream
// (pg-logical.ts) and the reads (pg-logical-reader.ts). The slot exists only while this agent
// sends: created by a reinitialisation (with its exported snapshot) or a fix, dropped when the
// agent starts receiving, and dropped when its retained WAL passes the cap (the next read then
// asks for a reinitialisation).
import type { PoolClient, PoolConfig } from 'pg';
import { SpareSyncError } from '@sparesync/common';
import type { ChangeSet } from '../adapter';
import type { Position } from '../batch';
import { qname } from './pg-sql';
import { poolConfig, type PgConnectionOptions } from './pg-connection';
import { recordedSequences, trackedTables, type PgTable } from './pg-catalog';
import { settle } from './pg-pipeline';
import { createSlotWithSnapshot, LogicalCapture, PUBLICATION } from './pg-logical';
import { KEYS_PER_READ, logicalPosition, lsnOf, readLogical } from './pg-logical-reader';
import { parseLsn } from './pg-pgoutput';
import { parseSnap } from './pg-snapshot';
import type { Batch } from '../batch';

/** Longest wait of a read for the stream to catch up; the server is asked for its position every PING_MS. */
const WAIT_MS = 1000;
const PING_MS = 25;
/** Reads incomplete this long: the next one waits to catch up even with transactions to send. */
const CATCH_UP_AFTER_MS = 500;

export interface LogicalHead {
  s: string;
  lsn: string;
  slot: string | null;
  confirmed: string | null;
}

export interface SlotInfo {
  slot: string;
  retainedWalBytes: number;
}

export class LogicalSource {
  readonly capture: LogicalCapture;
  /** Why the slot was dropped by the cap, reported by the next read. */
  private dropped: string | null = null;
  /** Since when reads have been incomplete (null: the last one was complete). */
  private incompleteSince: number | null = null;

  constructor(
    config: PoolConfig,
    readonly slot: string,
    private readonly maxWalBytes: number,
    onCommit: () => void,
  ) {
    this.capture = new LogicalCapture(config, slot, onCommit);
  }

  /**
   * The source when `database.capture` and the server allow logical capture (auto: when
   * wal_level=logical), else null (triggers). capture=logical on another wal_level is refused.
   */
  static async open(
    c: PoolClient,
    opts: PgConnectionOptions & { capture?: 'auto' | 'triggers' | 'logical'; maxSlotWalMiB?: number },
    onCommit: () => void,
  ): Promise<LogicalSource | null> {
    const want = opts.capture ?? 'auto';
    if (want === 'triggers') return null;
    const r = await c.query<{ level: string; slot: string }>(
      `SELECT current_setting('wal_level') AS level, 'sparesync_' || substr(md5(current_database()), 1, 16) AS slot`,
    );
    const { level, slot } = r.rows[0]!;
    if (level === 'logical')
      return new LogicalSource(poolConfig(opts), slot, (opts.maxSlotWalMiB ?? 10240) * 2 ** 20, onCommit);
    if (want === 'logical')
      throw new SpareSyncError(
        'DbSetupInvalid',
        `database.capture is logical but the server has wal_level=${level}`,
        {
          hint: 'Set wal_level = logical in postgresql.conf and restart PostgreSQL, or set database.capture to auto.',
        },
      );
    return null;
  }

  /** Publishes exactly the tracked tables (install()). */
  static async publish(c: PoolClient, tables: string[]): Promise<void> {
    const exists = (await c.query(`SELECT 1 FROM pg_publication WHERE pubname = $1`, [PUBLICATION])).rowCount;
    if (!exists) await c.query(`CREATE PUBLICATION ${PUBLICATION}`);
    const list = tables.map(qname).join(', ');
    const now = (
      await c.query<{ t: string }>(
        `SELECT schemaname || '.' || tablename AS t FROM pg_publication_tables WHERE pubname = $1`,
        [PUBLICATION],
      )
    ).rows.map((r) => r.t);
    const gone = now.filter((t) => !tables.includes(t));
    if (gone.length)
      await c.query(`ALTER PUBLICATION ${PUBLICATION} DROP TABLE ${gone.map(qname).join(', ')}`);
    const added = tables.filter((t) => !now.includes(t));
    if (added.length && list)
      await c.query(`ALTER PUBLICATION ${PUBLICATION} ADD TABLE ${added.map(qname).join(', ')}`);
  }

  async slotInfo(c: PoolClient): Promise<{ confirmed: bigint; retained: number } | null> {
    const r = await c.query<{ confirmed: string | null; retained: string | null }>(
      `SELECT confirmed_flush_lsn::text AS confirmed,
              pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text AS retained
         FROM pg_replication_slots WHERE slot_name = $1`,
      [this.slot],
    );
    const row = r.rows[0];
    if (!row) return null;
    return { confirmed: row.confirmed ? parseLsn(row.confirmed) : 0n, retained: Number(row.retained ?? 0) };
  }

  /**
   * The read's first query in the caller's REPEATABLE READ transaction: its snapshot, the WAL
   * insert position after it, and the slot. Issued with the read's other first queries.
   */
  head(c: PoolClient): Promise<LogicalHead> {
    return c
      .query<LogicalHead>({
        name: 'sparesync_logical_head',
        text: `SELECT pg_current_snapshot()::text AS s, pg_current_wal_insert_lsn()::text AS lsn,
              r.slot_name AS slot, r.confirmed_flush_lsn::text AS confirmed
         FROM (SELECT 1) one LEFT JOIN pg_replication_slots r ON r.slot_name = $1`,
        values: [this.slot],
      })
      .then((r) => r.rows[0]!);
  }

  /** Reads in the caller's REPEATABLE READ transaction, whose first query was head(). */
  /**
   * The changes after `position`, inside the caller's REPEATABLE READ transaction on a pipelined
   * client: the head, the tracked tables and the sequences are asked for together.
   */
  async changesSince(c: PoolClient, position: Position, maxBytes: number): Promise<ChangeSet> {
    const [head, tracked, sequences] = await settle([this.head(c), trackedTables(c), recordedSequences(c)]);
    const batch = await this.decoded(c, position, maxBytes, head, tracked);
    return { batch: { ...batch, sequences: sequences(tracked) }, nextPosition: batch.to };
  }

  private async decoded(
    c: PoolClient,
    position: Position,
    maxBytes: number,
    row: LogicalHead,
    tracked: Map<string, PgTable>,
  ): Promise<Omit<Batch, 'sequences'>> {
    const snap = parseSnap(row.s)!;
    const insert = parseLsn(row.lsn);
    const from = lsnOf(position);
    if (this.dropped) {
      const why = this.dropped;
      this.dropped = null;
      throw new SpareSyncError('DbReinitRequired', why);
    }
    const info = row.slot === null ? null : { confirmed: row.confirmed ? parseLsn(row.confirmed) : 0n };
    if (!info) {
      await this.capture.stop();
      throw new SpareSyncError('DbReinitRequired', `The replication slot ${this.slot} does not exist`);
    }
    if (info.confirmed > from)
      throw new SpareSyncError(
        'DbReinitRequired',
        `Position ${position} is older than replication slot ${this.slot} (${logicalPosition(info.confirmed)})`,
      );
    this.capture.keys = new Map([...tracked.values()].map((t) => [t.name, t.pkColumns]));
    if (!this.capture.running) this.capture.start(info.confirmed);
    // A stream stopped on an error restarts at the next read; meanwhile reads wait for it.
    // "Caught up" (the stream has passed the WAL written before this read) and the transactions
    // are taken in the same tick: the stream goes on delivering while the rows are read, and a
    // later "caught up" would vouch for transactions this batch left out. Transactions already
    // buffered are read and sent at once (the batch is then complete only if caught up); only a
    // read with nothing to send waits, briefly, for the stream to catch up or deliver.
    // Once reads have been incomplete for CATCH_UP_AFTER_MS, the next waits for "caught up" even
    // with transactions to send: a writer faster than read + send would otherwise keep every read
    // incomplete, and synced() would never see the log drained. That wait ends as soon as more is
    // buffered than one read takes: such a read is incomplete anyway, caught up or not (a backlog
    // drained while the stream decodes behind the insert position waited out WAIT_MS per read).
    this.capture.pending(from); // restarts a stream that stopped on an overflow, once drained
    const force = this.incompleteSince !== null && Date.now() - this.incompleteSince >= CATCH_UP_AFTER_MS;
    const full = () => this.capture.pendingFills(from, KEYS_PER_READ, maxBytes);
    await this.capture.waitCaughtUp(insert, force ? null : from, WAIT_MS, PING_MS, full);
    const caught = this.capture.caughtUp(insert);
    const pending = this.capture.pending(from);
    const err = this.capture.takeError();
    if (err)
      throw new SpareSyncError('DbUnavailable', `PostgreSQL logical replication: ${err.message}`, {
        cause: err,
      });
    const { batch, all } = await readLogical(c, pending, position, maxBytes, tracked, snap, insert);
    this.incompleteSince = all && caught ? null : (this.incompleteSince ?? Date.now());
    return { ...batch, complete: all && caught };
  }

  /**
   * Starts the stream (wake-ups and reads) when the slot exists and `wanted()` still holds once
   * the slot is looked up: a sender that stopped meanwhile must not leave a stream holding the slot.
   */
  async follow(c: PoolClient, tracked: Map<string, PgTable>, wanted: () => boolean): Promise<void> {
    const info = this.capture.running ? null : await this.slotInfo(c);
    if (!info || !wanted()) return;
    this.capture.keys = new Map([...tracked.values()].map((t) => [t.name, t.pkColumns]));
    this.capture.start(info.confirmed);
  }

  /** Replaces the slot with a new one; `use` imports its snapshot (position: where it starts). */
  async renew<T>(
    c: PoolClient,
    config: PoolConfig,
    use: (snapshot: string, position: Position) => Promise<T>,
  ): Promise<T> {
    await this.drop(c);
    this.dropped = null;
    return createSlotWithSnapshot(config, this.slot, (name, lsn) => use(name, logicalPosition(lsn)));
  }

  /** The position a secondary identical to this database now continues from (creates the slot). */
  async current(c: PoolClient): Promise<Position> {
    if (!(await this.slotInfo(c))) {
      await c.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [this.slot]);
      this.capture.reset();
      this.dropped = null;
    }
    return logicalPosition(
      parseLsn((await c.query<{ l: string }>('SELECT pg_current_wal_insert_lsn()::text AS l')).rows[0]!.l),
    );
  }

  async confirm(position: Position): Promise<void> {
    await this.capture.confirm(lsnOf(position));
  }

  /** Stops the stream and drops the slot (retrying while its walsender winds down). */
  async drop(c: PoolClient): Promise<void> {
    await this.capture.stop();
    this.capture.reset();
    for (let i = 0; ; i++) {
      try {
        await c.query(
          `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`,
          [this.slot],
        );
        return;
      } catch (e) {
        if (i >= 50 || !/is active/.test((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** The slot's retained WAL; drops the slot past the cap. null: no slot. */
  async check(c: PoolClient): Promise<SlotInfo | null> {
    const info = await this.slotInfo(c);
    if (!info) return null;
    if (info.retained > this.maxWalBytes) {
      await this.drop(c);
      this.dropped = `Replication slot ${this.slot} retained ${Math.round(info.retained / 2 ** 20)} MiB of WAL, more than database.maxSlotWalMiB (${Math.round(this.maxWalBytes / 2 ** 20)} MiB): it was dropped and the secondary must be reinitialised`;
      throw new SpareSyncError('DbReinitRequired', this.dropped);
    }
    return { slot: this.slot, retainedWalBytes: info.retained };
  }
}

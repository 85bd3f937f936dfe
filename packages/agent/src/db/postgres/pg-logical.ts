// Logical capture: the sending agent streams its replication slot (pgoutput over a replication
// connection, through pg-logical-replication) and keeps the decoded transactions in memory until
// the secondary has applied them. Invariants:
// - The slot's confirmed position only moves in `confirm`, which the adapter's trim() calls after
//   the secondary acknowledged a commit: a crash anywhere replays from a position the secondary
//   already holds or earlier, and the reader skips what the secondary holds (end ≤ position).
// - The buffer holds every decoded transaction after the last confirm; when it exceeds
//   MAX_BUFFERED changes the stream stops and restarts after the last buffered transaction once
//   the reader has drained it, so memory stays bounded while the secondary is away. Past
//   MAX_ROW_BYTES of rows kept, changes keep only their keys (the reader then reads the rows).
import { Client, type ClientConfig } from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { formatLsn, parseLsn, PgoutputDecoder, type LogicalTxn } from './pg-pgoutput';

export const PUBLICATION = 'sparesync';
const MAX_BUFFERED = 200_000;
/** Rows kept in the buffer at most (text bytes); past it changes keep their keys only. */
const MAX_ROW_BYTES = 64 * 2 ** 20;
const STATUS_EVERY_MS = 10_000;
const XLOG_PAGE = 8192n;
/** A WAL page's long header (the first page of a segment); a short one is 24 bytes. */
const XLOG_LONG_HEADER = 40n;

/** pgoutput whose messages reach us undecoded (the library's decoder parses values we do not need). */
class RawPgoutput extends PgoutputPlugin {
  override parse(buffer: Buffer): ReturnType<PgoutputPlugin['parse']> {
    return buffer as unknown as ReturnType<PgoutputPlugin['parse']>;
  }
}

interface Waiter {
  lsn: bigint;
  /** Also woken by a transaction ending after this (null: only by catching up). */
  after: bigint | null;
  wake: () => void;
}

export class LogicalCapture {
  private service: LogicalReplicationService | null = null;
  private decoder: PgoutputDecoder | null = null;
  private txns: LogicalTxn[] = [];
  private buffered = 0;
  /** Text bytes of the rows the buffered transactions keep. */
  private rowBytes = 0;
  /** Set when the buffer overflowed: the stream restarts after this LSN once drained. */
  private resumeAfter: bigint | null = null;
  /** Highest WAL position the server reported sending (data or keepalive). */
  private received = 0n;
  private confirmed = 0n;
  /** Reads waiting for the stream to pass `lsn` or for a transaction after `after` (all woken when it stops). */
  private waiters: Waiter[] = [];
  private statusTimer: NodeJS.Timeout | null = null;
  private failed: Error | null = null;
  keys = new Map<string, string[]>();

  constructor(
    private readonly config: ClientConfig,
    readonly slot: string,
    private readonly onCommit: () => void,
  ) {}

  get running(): boolean {
    return this.service !== null;
  }

  /** The last stream error, reported once. */
  takeError(): Error | null {
    const e = this.failed;
    this.failed = null;
    return e;
  }

  /**
   * Starts streaming from the slot's confirmed position `confirmed` (or after `from`). Status
   * updates then report that position until confirm() moves it: never one the slot has not got.
   */
  start(confirmed: bigint, from: bigint = 0n): void {
    if (this.service) return;
    if (confirmed > this.confirmed) this.confirmed = confirmed;
    // Any stream resumes an overflow's: one from the slot delivers again what is buffered, and
    // that is skipped. Left set, it would keep caughtUp() false, every read incomplete, for good.
    this.resumeAfter = null;
    const service = new LogicalReplicationService(this.config, {
      // Acknowledged only by confirm(): the library's own acknowledgements would confirm what
      // the secondary has not applied.
      acknowledge: { auto: false, timeoutSeconds: 0 },
    });
    this.service = service;
    this.decoder = new PgoutputDecoder(
      (t) => this.keys.get(t),
      (bytes) => this.rowBytes + bytes <= MAX_ROW_BYTES,
    );
    // Events of a stream already stopped (in flight) must not count for the current one.
    service.on('data', (lsn: string, msg: Buffer) => {
      if (this.service !== service) return;
      const txn = this.decoder!.message(msg);
      this.seen(parseLsn(lsn));
      if (!txn) return;
      this.seen(txn.end);
      // A restarted stream delivers again what is buffered or confirmed.
      const last = this.txns[this.txns.length - 1];
      if (txn.end <= this.confirmed || (last && txn.end <= last.end)) return;
      this.txns.push(txn);
      this.buffered += txn.changes.length;
      this.rowBytes += txn.bytes;
      this.wakeWaiters((w) => w.after !== null && txn.end > w.after);
      if (this.buffered > MAX_BUFFERED) {
        this.resumeAfter = txn.end;
        void this.stop();
      }
      this.onCommit();
    });
    service.on('heartbeat', (lsn: string, _ts: number, respond: boolean) => {
      if (this.service !== service) return;
      this.seen(parseLsn(lsn));
      if (respond) void this.status(false);
    });
    service.on('error', (e: Error) => {
      if (this.service !== service) return;
      this.failed = e;
      void this.stop();
    });
    const plugin = new RawPgoutput({ protoVersion: 1, publicationNames: [PUBLICATION] });
    service.subscribe(plugin, this.slot, from ? formatLsn(from) : '0/0').catch((e: Error) => {
      if (this.service === service) {
        this.failed = e;
        void this.stop();
      }
    });
    this.statusTimer = setInterval(() => void this.status(false), STATUS_EVERY_MS);
    this.statusTimer.unref();
  }

  async stop(): Promise<void> {
    const s = this.service;
    this.service = null;
    this.decoder = null;
    // What the stream had seen is not all delivered (a transaction's messages cut off): the next
    // stream starts over from the slot, and only it can say it has caught up.
    this.received = 0n;
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    this.wakeWaiters();
    await s?.destroy().catch(() => {});
  }

  /** Forgets everything buffered (a new slot, or the sender stopped). */
  reset(): void {
    this.txns = [];
    this.buffered = 0;
    this.rowBytes = 0;
    this.resumeAfter = null;
    this.received = 0n;
    this.confirmed = 0n;
  }

  /** Transactions after `after`, oldest first. Restarts a stream stopped by an overflow once drained. */
  pending(after: bigint): LogicalTxn[] {
    const out = this.txns.filter((t) => t.end > after);
    if (!out.length && this.resumeAfter !== null && !this.service) {
      const from = this.resumeAfter;
      this.resumeAfter = null;
      this.start(this.confirmed, from);
    }
    return out;
  }

  /** True when the stream has passed `lsn` and nothing it decoded up to there is left out. */
  caughtUp(lsn: bigint): boolean {
    // An insert position just after a page header equals the end of the record before it.
    const inPage = lsn % XLOG_PAGE;
    const end = inPage <= XLOG_LONG_HEADER ? lsn - inPage : lsn;
    return this.service !== null && this.resumeAfter === null && this.received >= end;
  }

  /** True when a transaction ending after `after` is buffered. */
  hasPending(after: bigint): boolean {
    const last = this.txns[this.txns.length - 1];
    return last !== undefined && last.end > after;
  }

  /**
   * True when the transactions ending after `after` hold at least `changes` changes or `bytes`
   * bytes of rows: more than one read takes, so that read is incomplete whether or not the
   * stream has caught up.
   */
  pendingFills(after: bigint, changes: number, bytes: number): boolean {
    let n = 0;
    let b = 0;
    for (let i = this.txns.length - 1; i >= 0 && this.txns[i]!.end > after; i--) {
      n += this.txns[i]!.changes.length;
      b += this.txns[i]!.bytes;
      if (n >= changes || b >= bytes) return true;
    }
    return false;
  }

  /**
   * Waits until caughtUp(`lsn`), a transaction ending after `after` (unless null) is buffered
   * (there is work: the read sends it now and reads again), `enough()` holds (checked every
   * `pingMs`), the stream stops, or `ms` passed. Asks the server for its position at once and
   * every `pingMs` meanwhile: its keepalive reply moves the received position past WAL that
   * carries no transaction of ours.
   */
  async waitCaughtUp(
    lsn: bigint,
    after: bigint | null,
    ms: number,
    pingMs: number,
    enough: () => boolean = () => false,
  ): Promise<void> {
    const t0 = Date.now();
    while (this.service && !this.caughtUp(lsn) && (after === null || !this.hasPending(after)) && !enough()) {
      const left = ms - (Date.now() - t0);
      if (left <= 0) return;
      const woken = new Promise<void>((resolve) => {
        const waiter: Waiter = {
          lsn,
          after,
          wake: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        // A waiter whose time is up leaves the list itself: only a wake removes it otherwise.
        const timer = setTimeout(
          () => {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            resolve();
          },
          Math.min(pingMs, left),
        );
        this.waiters.push(waiter);
      });
      await this.status(true);
      await woken;
    }
  }

  /** The secondary holds everything up to `lsn`: the slot may let that WAL go. */
  async confirm(lsn: bigint): Promise<void> {
    if (lsn <= this.confirmed) return;
    this.confirmed = lsn;
    let drop = 0;
    for (; drop < this.txns.length && this.txns[drop]!.end <= lsn; drop++) {
      this.buffered -= this.txns[drop]!.changes.length;
      this.rowBytes -= this.txns[drop]!.bytes;
    }
    this.txns.splice(0, drop);
    await this.status(false);
  }

  private async status(ping: boolean): Promise<void> {
    // The library reports lsn + 1 as flushed; confirmed_flush then equals our position.
    if (this.confirmed > 0n)
      await this.service?.acknowledge(formatLsn(this.confirmed - 1n), ping).catch(() => false);
  }

  private seen(lsn: bigint): void {
    if (lsn <= this.received) return;
    this.received = lsn;
    this.wakeWaiters((w) => this.caughtUp(w.lsn));
  }

  private wakeWaiters(which: (w: Waiter) => boolean = () => true): void {
    const wake = this.waiters.filter(which);
    this.waiters = this.waiters.filter((w) => !wake.includes(w));
    wake.forEach((w) => w.wake());
  }
}

/**
 * Creates the slot on a replication connection and exports its snapshot: `use` runs while the
 * snapshot is importable (SET TRANSACTION SNAPSHOT); the slot's changes begin exactly after it.
 */
export async function createSlotWithSnapshot<T>(
  config: ClientConfig,
  slot: string,
  use: (snapshot: string, lsn: bigint) => Promise<T>,
): Promise<T> {
  const client = new Client({ ...config, replication: 'database' } as ClientConfig);
  client.on('error', () => {});
  await client.connect();
  try {
    const res = await client.query<{ consistent_point: string; snapshot_name: string }>(
      `CREATE_REPLICATION_SLOT "${slot}" LOGICAL pgoutput EXPORT_SNAPSHOT`,
    );
    const row = res.rows[0]!;
    return await use(row.snapshot_name, parseLsn(row.consistent_point));
  } finally {
    await client.end().catch(() => {});
  }
}

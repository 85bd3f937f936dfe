// `COPY … TO STDOUT` read straight off the pg client's socket, cut into runs of whole rows.
//
// The backend sends one CopyData message per row (protocol docs, "Copy-out mode"), and in the text
// format every row ends with a newline, so a run cut between messages is a run of whole lines.
// Each socket read is parsed in one pass: its bytes are copied once into the run being filled and
// the 5-byte message headers squeezed out in place (`copyWithin`), so no Buffer is made per row
// (pg-copy-streams' `to` made a slice per row and joined them again per read; with the
// newline-cutting that followed, that was most of the primary's CPU in a reinitialisation).
//
// While the COPY runs, the client's own parser is unhooked from the socket; it gets the socket back
// (with the rest of the read) at CopyDone or at an ErrorResponse, and then reports
// CommandComplete / ReadyForQuery, or the error, to this query as to any other.
import type { Socket } from 'node:net';
import type { Connection } from 'pg';
import { BufferPool } from '../buffer-pool';

export interface Lines {
  data: Buffer;
  rows: number;
  /** Call once nothing reads `data` any more: its buffer may then hold a later run. */
  release?: () => void;
}

const COPY_DATA = 0x64; // 'd'
/** CopyOutResponse, and the asynchronous ParameterStatus, Notice, Notification: skipped. */
const SKIPPED = new Set([0x48, 0x53, 0x4e, 0x41]);
/** Room past `max` in a run's buffer, so a whole socket read can be copied in before squeezing. */
const SLACK = 256 * 1024;

/** A pool whose buffers hold the runs of a parser with this `max` (the runs of one snapshot). */
export function runPool(max: number): BufferPool {
  return new BufferPool(max + SLACK);
}

/**
 * The CopyData parser: `push` takes the server's bytes in pieces of any size and returns the
 * runs completed, each the most whole rows that fit in `max` bytes (a row longer than `max` makes
 * a run of its own). It stops at the first message that is not CopyData, CopyOutResponse or an
 * asynchronous one (CopyDone, ErrorResponse): `stopped` then holds the bytes from that message on.
 */
export class CopyDataParser {
  private out: Buffer;
  private pos = 0;
  private rows = 0;
  private readonly head = Buffer.alloc(5);
  private headN = 0;
  /** Body bytes still to come of the current message, and whether they are row bytes. */
  private rest = 0;
  private isRow = false;
  /** Once a message ended the parse: the bytes from it on, which the parser did not take. */
  stopped: Buffer | null = null;

  /** Run buffers come from `pool` when given (`runPool`), and their runs can `release` them. */
  constructor(
    private readonly max: number,
    private readonly pool: BufferPool = new BufferPool(0, 0),
  ) {
    this.out = pool.take(max + SLACK);
  }

  push(d: Buffer, done: Lines[] = []): Lines[] {
    let i = 0;
    while (i < d.length && !this.stopped) {
      if (this.rest > 0) {
        const n = Math.min(this.rest, d.length - i);
        if (this.isRow) this.append(d, i, i + n);
        this.rest -= n;
        i += n;
      } else if (this.headN === 0 && d.length - i >= 5) {
        i = this.whole(d, i, done);
      } else {
        // A header split across pieces.
        const n = Math.min(5 - this.headN, d.length - i);
        d.copy(this.head, this.headN, i, i + n);
        this.headN += n;
        i += n;
        if (this.headN < 5) continue;
        this.headN = 0;
        if (!this.begin(this.head[0]!, this.head.readUInt32BE(1) - 4, done))
          this.stopped = Buffer.concat([this.head, d.subarray(i)]);
      }
    }
    return done;
  }

  /** What is left, or null when nothing is. */
  end(): Lines | null {
    if (!this.pos) {
      this.pool.give(this.out);
      return null;
    }
    const run = this.run();
    this.pos = 0;
    this.rows = 0;
    return run;
  }

  private run(): Lines {
    const data = this.out.subarray(0, this.pos);
    return { data, rows: this.rows, release: () => this.pool.give(data) };
  }

  /**
   * Messages from `d[i]` (a whole header) on. Whole rows that fit the run: the rest of the piece
   * is copied into the run at once and the rows squeezed together there. Anything else — a row
   * split at the piece's end or longer than a run, another message — takes the general path.
   */
  private whole(d: Buffer, i: number, done: Lines[]): number {
    const code = d[i]!;
    const n = d.readUInt32BE(i + 1) - 4;
    if (code === COPY_DATA && this.pos + n > this.max && this.pos > 0) this.flush(done);
    const fast =
      code === COPY_DATA &&
      i + 5 + n <= d.length &&
      this.pos + n <= this.max &&
      d.length - i <= this.out.length - this.pos;
    if (!fast) {
      if (this.begin(code, n, done)) return i + 5;
      this.stopped = d.subarray(i);
      return d.length;
    }
    const out = this.out;
    const base = this.pos - i; // d[k] is copied to out[base + k]
    out.set(i === 0 ? d : d.subarray(i), this.pos);
    let w = this.pos;
    let rows = 0;
    while (d.length - i >= 5 && d[i] === COPY_DATA) {
      const len = d.readUInt32BE(i + 1) - 4;
      if (i + 5 + len > d.length || w + len > this.max) break;
      out.copyWithin(w, base + i + 5, base + i + 5 + len);
      w += len;
      i += 5 + len;
      rows++;
    }
    this.pos = w;
    this.rows += rows;
    return i;
  }

  /** A message header: false when the message ends the COPY (or is not one of its messages). */
  private begin(code: number, n: number, done: Lines[]): boolean {
    if (code === COPY_DATA) {
      if (this.pos + n > this.max && this.pos > 0) this.flush(done);
      if (this.pos + n > this.out.length) this.out = this.pool.take(n + SLACK);
      this.isRow = true;
      this.rows++;
    } else if (SKIPPED.has(code)) {
      this.isRow = false;
    } else {
      return false;
    }
    this.rest = n;
    return true;
  }

  private append(d: Buffer, from: number, to: number): void {
    this.out.set(d.subarray(from, to), this.pos);
    this.pos += to - from;
  }

  private flush(done: Lines[]): void {
    done.push(this.run());
    this.out = this.pool.take(this.max + SLACK);
    this.pos = 0;
    this.rows = 0;
  }
}

type DataHandler = (data: Buffer) => void;

/**
 * A pg Submittable: `c.query(new CopyTo(sql, max))`, then `for await (const run of q.runs())`.
 * The socket is paused while a completed run waits for the reader. A failed COPY (or a lost
 * connection) throws the client's error from `runs()`.
 */
export class CopyTo {
  private readonly parser: CopyDataParser;
  private stream: Socket | null = null;
  private pgData: DataHandler | null = null;
  private readonly onData: DataHandler = (d) => this.data(d);
  private ready: Lines[] = [];
  private finished = false;
  private discard = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly text: string,
    max: number,
    pool?: BufferPool,
  ) {
    this.parser = new CopyDataParser(max, pool);
  }

  submit(connection: Connection): Error | undefined {
    const stream = (connection as unknown as { stream: Socket }).stream;
    const handlers = stream.listeners('data') as DataHandler[];
    if (handlers.length !== 1) return new Error(`COPY TO: ${handlers.length} data listeners on the socket`);
    this.stream = stream;
    this.pgData = handlers[0]!;
    stream.removeListener('data', this.pgData);
    stream.on('data', this.onData);
    connection.query(this.text);
    return undefined;
  }

  async *runs(): AsyncGenerator<Lines> {
    try {
      for (;;) {
        const run = this.ready.shift();
        if (run) {
          if (!this.ready.length && this.stream) this.stream.resume();
          yield run;
          continue;
        }
        if (this.error) throw this.error;
        if (this.finished) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // The reader stopped early: the rest is read and dropped, so a paused socket does not keep
      // the connection (which the caller ends) from seeing the server close it.
      this.discard = true;
      this.ready = [];
      this.stream?.resume();
    }
  }

  private data(d: Buffer): void {
    this.parser.push(d, this.ready);
    if (this.discard) this.ready = [];
    if (this.parser.stopped) {
      this.detach(this.parser.stopped);
    } else if (this.ready.length) {
      this.stream!.pause();
    }
    this.signal();
  }

  /** Gives the socket back to the client's parser, with the bytes it has not seen. */
  private detach(rest: Buffer): void {
    const stream = this.stream!;
    const pgData = this.pgData!;
    this.stream = null;
    stream.removeListener('data', this.onData);
    stream.on('data', pgData);
    stream.resume();
    if (rest.length) pgData(rest);
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  // The client's calls once it parses again (after CopyDone: CommandComplete, ReadyForQuery).
  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    const last = this.parser.end();
    if (last) this.ready.push(last);
    this.finished = true;
    this.signal();
  }

  handleError(err: Error): void {
    if (this.stream) {
      // The connection failed mid-COPY: the socket is going away, nothing to hand back.
      this.stream.removeListener('data', this.onData);
      this.stream = null;
    }
    this.error = err;
    this.signal();
  }

  /** pg replaces this with its timeout hook when query_timeout is set. */
  callback(): void {}
}

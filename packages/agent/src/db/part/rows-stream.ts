// The sending side of the Link Rows stream: each frame is answered by one acknowledgement, in
// order, after the receiver committed its rows and position together — waiting for a batch's ack
// is what makes trimming safe. The sender mostly stops and waits; a reinitialisation keeps one
// more snapshot chunk in flight (row-requests.ts), so the receiver never idles for a round trip.
import type * as grpc from '@grpc/grpc-js';
import { status as grpcStatus } from '@grpc/grpc-js';
import { SpareSyncError, shortGrpcError } from '@sparesync/common';
import { serializeRowBatch, standard, type RowAck, type RowFrameBody } from './row-frames';
import type { PartContext } from '../../parts';

/** Where the sender's frames go: each frame's acknowledgement comes back, in order, after the receiver committed. */
export interface RowSink {
  /**
   * Writes one frame; resolves with its acknowledgement. Frames may be sent before earlier ones are
   * acknowledged. `written`, if the sink calls it, says the frame's bytes were copied out and
   * `body` may be reused (the Rows stream: once grpc framed and wrote it; other sinks need not).
   */
  send(body: RowFrameBody, written?: () => void): Promise<RowAck>;
  close(): void;
}

/**
 * Opens a sink to the receiving agent, or undefined while there is none (the link is down).
 * `onFailure` is called when the sink fails on its own (not by close()).
 */
export type RowSinkOpener = (onFailure: () => void) => RowSink | undefined;

/** The client side of one Rows call (proto Link.Rows). */
export type RowsCall = grpc.ClientDuplexStream<object, RowAck>;

/** Production's opener: a Rows call on the Link client to the peer, frames stamped with this epoch. */
export function peerRows(ctx: PartContext): RowSinkOpener {
  return (onFailure) => {
    const client = ctx.peer();
    if (!client) return undefined;
    // The Link's Rows method, with the serializer that frames a snapshot chunk in place.
    const call = client.makeBidiStreamRequest(standard().path, serializeRowBatch, (b) =>
      standard().responseDeserialize(b),
    );
    return new RowsStream(call, () => ctx.epoch(), onFailure);
  };
}

type Waiter = { seq: number; resolve: (ack: RowAck) => void; reject: (e: Error) => void };

/** The stream failed because of the link (retry when the link is back), not because of data. */
export function isLinkFailure(e: unknown): boolean {
  return e instanceof SpareSyncError && e.code === 'PeerUnreachable';
}

export class RowsStream implements RowSink {
  private seq = 0;
  /** The frames written and not yet acknowledged, oldest first (the receiver answers in order). */
  private readonly waiting: Waiter[] = [];
  private failure: Error | null = null;

  constructor(
    private readonly call: RowsCall,
    private readonly epoch: () => number,
    private readonly onFailure: () => void = () => {},
  ) {
    this.call.on('data', (ack: RowAck) => {
      const w = this.waiting[0];
      if (w?.seq !== ack.seq) {
        // Out of order: nothing after it can be trusted; the session ends and the sender starts over.
        const expected = w ? `expected ${w.seq}` : 'none was waiting';
        const e = new SpareSyncError('DbBatchInvalid', `the peer acknowledged frame ${ack.seq}, ${expected}`);
        return this.fail(e, true);
      }
      this.waiting.shift();
      w.resolve(ack);
    });
    this.call.on('error', (e: grpc.ServiceError) => this.fail(streamError(e)));
    this.call.on('end', () =>
      this.fail(new SpareSyncError('PeerUnreachable', 'the peer closed the database row stream')),
    );
  }

  send(body: RowFrameBody, written?: () => void): Promise<RowAck> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise<RowAck>((resolve, reject) => {
      this.waiting.push({ seq, resolve, reject });
      // grpc-js calls back once the framed copy of the message went to the HTTP/2 stream.
      const frame = { epoch: this.epoch(), seq, ...body };
      if (written) this.call.write(frame, (e: unknown) => e || written());
      else this.call.write(frame);
    });
  }

  close(): void {
    this.fail(new SpareSyncError('PeerUnreachable', 'the database row stream was closed'), true);
    this.call.cancel();
  }

  private fail(e: Error, quiet = false): void {
    if (!this.failure && !quiet) this.onFailure();
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}

function streamError(e: grpc.ServiceError): SpareSyncError {
  if (e.code === grpcStatus.FAILED_PRECONDITION) return new SpareSyncError('EpochFenced', e.details);
  if (e.code === grpcStatus.RESOURCE_EXHAUSTED) {
    return new SpareSyncError('DbBatchInvalid', `the peer refused a row frame: ${e.details}`, {
      hint: 'A batch is larger than link.maxMessageBytes allows; raise it on both servers.',
    });
  }
  return new SpareSyncError(
    'PeerUnreachable',
    `database row stream: ${shortGrpcError(e.details || e.message)}`,
  );
}

// A Link Rows call between a sender and a receiver in one process, as gRPC carries it: every frame
// and every acknowledgement goes through the proto's own serializers (so the receiver sees the
// decoded oneof `body`, numbers as proto-loader gives them), a receiver's refusal (an 'error' on
// the server call, as grpc-js turns it into a status) reaches the client as a ServiceError, and a
// client's cancel() ends the server's reading with an error. Used by row-pipeline.ts.
import { EventEmitter } from 'node:events';
import { serviceDefinition } from '@sparesync/common';
import type { RowAck } from '@sparesync/agent';
import type { RowsCall } from '@sparesync/agent';

/** gRPC status codes used here (grpc-js `status`; the devkit does not depend on grpc-js). */
const OK = 0;
const CANCELLED = 1;
const UNKNOWN = 2;

interface Status {
  code: number;
  details: string;
}

type Codec = {
  requestSerialize(v: object): Buffer;
  requestDeserialize(b: Buffer): object;
  responseSerialize(v: RowAck): Buffer;
  responseDeserialize(b: Buffer): RowAck;
};

/** The server side: an async iterable of decoded frames; write() acks; emit('error') ends with a status. */
class ServerCall extends EventEmitter {
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | null = null;
  private cancelled = false;
  private finished = false;

  constructor(
    private readonly rows: Codec,
    private readonly client: EventEmitter,
  ) {
    super();
    // As grpc-js's ServerDuplexStreamImpl: an 'error' on the call becomes the call's status.
    this.on('error', (e: Partial<Status> & { message?: string }) =>
      this.finish({ code: e.code ?? UNKNOWN, details: e.details ?? e.message ?? '' }),
    );
  }

  push(frame: Buffer): void {
    this.frames.push(frame);
    this.wake?.();
  }

  cancel(): void {
    this.cancelled = true;
    this.finished = true;
    this.wake?.();
    this.emit('cancelled', 'cancelled');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<object> {
    for (;;) {
      if (this.cancelled) throw new Error('the client cancelled the call');
      const next = this.frames.shift();
      if (next) yield this.rows.requestDeserialize(next);
      else if (this.finished)
        return; // the status is sent: nothing more is read
      else await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  write(ack: RowAck): boolean {
    if (this.finished) return false;
    const bytes = this.rows.responseSerialize(ack);
    // Delivered in order with the status (setImmediate runs callbacks first in, first out).
    setImmediate(() => this.client.emit('data', this.rows.responseDeserialize(bytes)));
    return true;
  }

  end(): void {
    this.finish({ code: OK, details: 'OK' });
  }

  private finish(status: Status): void {
    if (this.finished) return;
    this.finished = true;
    this.wake?.();
    setImmediate(() => deliverStatus(this.client, status));
  }
}

function deliverStatus(client: EventEmitter, status: Status): void {
  if (status.code === OK) client.emit('end');
  else
    client.emit(
      'error',
      Object.assign(new Error(`${status.code} ${status.details}`), { ...status, metadata: undefined }),
    );
  client.emit('status', status);
}

/** Opens a Rows call served by `serve` (a RowReceiver's handle) in this process. */
export function localRowsCall(serve: (call: never) => void): RowsCall {
  const rows = serviceDefinition('Link').Rows as unknown as Codec;
  const client = new EventEmitter();
  const server = new ServerCall(rows, client);
  let done = false;
  client.on('status', () => (done = true));
  const call = Object.assign(client, {
    write(frame: object): boolean {
      if (done) return false;
      server.push(rows.requestSerialize(frame));
      return true;
    },
    cancel(): void {
      if (done) return;
      done = true;
      server.cancel();
      setImmediate(() => deliverStatus(client, { code: CANCELLED, details: 'Cancelled on client' }));
    },
  });
  serve(server as never);
  return call as unknown as RowsCall;
}

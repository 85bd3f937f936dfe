// The sender's end of one Files stream: writes frames with back-pressure and matches the
// receiver's FileAck frames to requests by id. A failed stream fails every open request.
import type * as grpc from '@grpc/grpc-js';
import type { FileAck, FileFrameBody, FileFrameOut } from './frames';

interface Waiter {
  acks: FileAck[];
  resolve: (acks: FileAck[]) => void;
  reject: (e: Error) => void;
}

export type FilesCall = grpc.ClientDuplexStream<FileFrameOut, FileAck>;

export function openFilesCall(client: grpc.Client): FilesCall {
  return (client as unknown as { files(): FilesCall }).files();
}

export class FileChannel {
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();
  private failure: Error | undefined;

  constructor(
    private readonly call: FilesCall,
    private readonly folder: string,
    private readonly epoch: () => number,
    private readonly onFail: () => void = () => undefined,
  ) {
    call.on('data', (ack: FileAck) => this.onAck(ack));
    call.on('error', (e: Error) => this.fail(e));
    call.on('end', () => this.fail(new Error('the receiver closed the Files stream')));
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Writes one frame, waiting while the stream's buffer is full. */
  async write(body: FileFrameBody, id = 0): Promise<void> {
    if (this.failure) throw this.failure;
    const frame: FileFrameOut = { epoch: this.epoch(), folder: this.folder, id, ...body };
    if (this.call.write(frame)) return;
    // Listeners removed once settled: events.once() racing 'close' left one behind per wait.
    await new Promise<void>((resolve, reject) => {
      const settle = (e?: Error) => {
        this.call.off('drain', onDrain);
        this.call.off('close', onClose);
        this.call.off('error', onClose);
        if (e) reject(e);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(this.failure ?? new Error('the Files stream closed'));
      this.call.on('drain', onDrain);
      this.call.on('close', onClose);
      this.call.on('error', onClose);
    });
  }

  /** Sends a frame with a fresh id; the promise settles with all its acks (error acks included). */
  async request(body: FileFrameBody): Promise<{ id: number; acks: Promise<FileAck[]> }> {
    const id = this.nextId++;
    const acks = new Promise<FileAck[]>((resolve, reject) => {
      this.waiters.set(id, { acks: [], resolve, reject });
    });
    acks.catch(() => undefined); // a caller that never awaits must not crash the process
    await this.write(body, id);
    return { id, acks };
  }

  close(): void {
    this.fail(new Error('the sender closed the Files stream'));
    this.call.end();
    this.call.cancel();
  }

  private onAck(ack: FileAck): void {
    const w = this.waiters.get(ack.id);
    if (!w) return;
    w.acks.push(ack);
    if (ack.last || ack.error) {
      this.waiters.delete(ack.id);
      w.resolve(w.acks);
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waiters.values()) w.reject(e);
    this.waiters.clear();
    this.onFail();
  }
}

/** The first error of an ack list, as an Error carrying the receiver's code. */
export function ackError(acks: FileAck[]): (Error & { code: string }) | null {
  const bad = acks.find((a) => a.error);
  return bad ? Object.assign(new Error(bad.error), { code: bad.code }) : null;
}

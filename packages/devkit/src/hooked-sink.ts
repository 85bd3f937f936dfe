// The row pipeline's test hooks around a sink that has more than one frame in flight (a
// reinitialisation keeps one more snapshot chunk on its way while the receiver applies one).
// Frames leave in the order the sender sent them, each after its `before` hook; acknowledgements
// reach `after` one at a time and in order, and the sender sees an acknowledgement only once its
// `after` finished. A hook written for stop and wait (one frame, then its ack) thus never runs
// beside another. After a failure every frame behind it fails with the same error (the sender's
// session ends at its first failure, as RowsStream does for the link).
import type { RowAck, RowFrameBody, RowSink } from '@sparesync/agent';

export interface SinkHooks {
  /** Runs before the frame is handed to the sink; the next frame waits for it. */
  before?(body: RowFrameBody): Promise<void> | void;
  /** Runs after the frame's acknowledgement arrived, before the sender sees it; the next ack waits for it. */
  after?(body: RowFrameBody, ack: RowAck): Promise<void> | void;
}

export function hookedSink(sink: RowSink, hooks: SinkHooks): RowSink {
  let out: Promise<unknown> = Promise.resolve();
  let acks: Promise<unknown> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  /** Runs `fn` after `prev` settled, unless something failed before; a failure of `fn` is kept. */
  const after = <T>(prev: Promise<unknown>, fn: () => Promise<T>): Promise<T> =>
    prev.then(async () => {
      if (failure) throw failure.error;
      try {
        return await fn();
      } catch (e) {
        failure ??= { error: e };
        throw e;
      }
    });
  return {
    send(body) {
      // The ack's promise travels wrapped so that `written` settles once the frame is written.
      const written = after(out, async () => {
        await hooks.before?.(body);
        const ack = sink.send(body);
        ack.catch(() => {}); // seen below, unless an earlier frame failed first
        return { ack };
      });
      out = written.catch(() => {});
      const acked = after(acks, async () => {
        const ack = await (await written).ack;
        await hooks.after?.(body, ack);
        return ack;
      });
      acks = acked.catch(() => {});
      return acked;
    },
    close: () => sink.close(),
  };
}

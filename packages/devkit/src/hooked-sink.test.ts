// The pipeline's hooks with two frames in flight: a slow afterAck never overlaps the next frame's
// (the contract test's hook wrote to the primary with a counter both had raised: duplicate key),
// a slow beforeFrame never lets a later frame overtake it, and a failed hook fails what follows.
import type { RowAck, RowFrameBody, RowSink } from '@sparesync/agent';
import { hookedSink } from './hooked-sink';

/** A sink whose acknowledgements the test releases, oldest first. */
function fakeSink() {
  const sent: number[] = [];
  const pending: (() => void)[] = [];
  const sink: RowSink = {
    send(body) {
      const n = Number(body.readAtMs);
      sent.push(n);
      return new Promise<RowAck>((resolve) =>
        pending.push(() => resolve({ seq: n, appliedPosition: '' } as RowAck)),
      );
    },
    close() {},
  };
  return { sink, sent, ackOldest: () => pending.shift()!() };
}

const frame = (n: number): RowFrameBody => ({ payload: Buffer.from('x'), readAtMs: n });
const tick = () => new Promise<void>((r) => setTimeout(r, 5));

test('acknowledgements reach afterAck one at a time, in order, before the sender sees them', async () => {
  const { sink, ackOldest } = fakeSink();
  const events: string[] = [];
  let running = 0;
  const hooked = hookedSink(sink, {
    after: async (_body, ack) => {
      running++;
      events.push(`after ${ack.seq} begins (${running} running)`);
      await tick();
      running--;
      events.push(`after ${ack.seq} ends`);
    },
  });
  const a = hooked.send(frame(1)).then(() => events.push('sender sees 1'));
  const b = hooked.send(frame(2)).then(() => events.push('sender sees 2'));
  await tick();
  ackOldest();
  ackOldest();
  await Promise.all([a, b]);
  expect(events).toEqual([
    'after 1 begins (1 running)',
    'after 1 ends',
    'sender sees 1',
    'after 2 begins (1 running)',
    'after 2 ends',
    'sender sees 2',
  ]);
});

test('a slow beforeFrame keeps the frames in the order the sender sent them', async () => {
  const { sink, sent, ackOldest } = fakeSink();
  const hooked = hookedSink(sink, { before: (body) => (body.readAtMs === 1 ? tick() : undefined) });
  const both = Promise.all([hooked.send(frame(1)), hooked.send(frame(2))]);
  await tick();
  await tick();
  expect(sent).toEqual([1, 2]);
  ackOldest();
  ackOldest();
  expect((await both).map((a) => a.seq)).toEqual([1, 2]);
});

test('after a hook failed, the frames behind it fail with the same error and are not sent', async () => {
  const { sink, sent, ackOldest } = fakeSink();
  const hooked = hookedSink(sink, {
    before: (body) => {
      if (body.readAtMs === 2) throw new Error('refused frame 2');
    },
  });
  const first = hooked.send(frame(1));
  const second = hooked.send(frame(2));
  const third = hooked.send(frame(3));
  await tick();
  expect(sent).toEqual([1]);
  ackOldest(); // results come in order: frame 1's first
  await expect(first).resolves.toMatchObject({ seq: 1 });
  await expect(second).rejects.toThrow('refused frame 2');
  await expect(third).rejects.toThrow('refused frame 2');
  expect(sent).toEqual([1]);
});

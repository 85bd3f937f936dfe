// The sender's side of the Rows stream with more than one frame in flight: each acknowledgement
// answers the oldest frame; an acknowledgement out of order, the stream's end or its error fail
// every frame still waiting.
import { EventEmitter } from 'node:events';
import type { RowAck } from './row-frames';
import { RowsStream, type RowsCall } from './rows-stream';

class FakeCall extends EventEmitter {
  written: { seq: number }[] = [];
  cancelled = false;
  write(frame: { seq: number }): boolean {
    this.written.push(frame);
    return true;
  }
  cancel(): void {
    this.cancelled = true;
  }
}

const ack = (seq: number, more: Partial<RowAck> = {}) =>
  ({ seq, appliedPosition: `p${seq}`, ...more }) as RowAck;

function open() {
  const call = new FakeCall();
  let failures = 0;
  const stream = new RowsStream(
    call as unknown as RowsCall,
    () => 3,
    () => failures++,
  );
  return { call, stream, failures: () => failures };
}

test('frames sent before earlier ones are acknowledged are answered in order', async () => {
  const { call, stream } = open();
  const a = stream.send({ hello: { engine: 'postgres', role: 'primary' } });
  const b = stream.send({ payload: Buffer.from('x'), readAtMs: 1 });
  expect(call.written.map((f) => f.seq)).toEqual([1, 2]);
  expect(call.written.every((f) => (f as unknown as { epoch: number }).epoch === 3)).toBe(true);
  call.emit('data', ack(1));
  call.emit('data', ack(2));
  await expect(a).resolves.toMatchObject({ seq: 1, appliedPosition: 'p1' });
  await expect(b).resolves.toMatchObject({ seq: 2, appliedPosition: 'p2' });
});

test('an acknowledgement out of order fails every waiting frame, and the stream after', async () => {
  const { call, stream, failures } = open();
  const a = stream.send({ payload: Buffer.from('a'), readAtMs: 1 });
  const b = stream.send({ payload: Buffer.from('b'), readAtMs: 1 });
  call.emit('data', ack(2));
  await expect(a).rejects.toThrow(/acknowledged frame 2, expected 1/);
  await expect(b).rejects.toThrow(/acknowledged frame 2, expected 1/);
  await expect(stream.send({ payload: Buffer.from('c'), readAtMs: 1 })).rejects.toThrow(/expected 1/);
  expect(failures()).toBe(0); // the sender's own session ends; no link failure is reported
});

test('the peer ending the stream fails the frames in flight as a link failure', async () => {
  const { call, stream, failures } = open();
  const a = stream.send({ payload: Buffer.from('a'), readAtMs: 1 });
  const b = stream.send({ payload: Buffer.from('b'), readAtMs: 1 });
  call.emit('data', ack(1));
  call.emit('end');
  await expect(a).resolves.toMatchObject({ seq: 1 });
  await expect(b).rejects.toMatchObject({ code: 'PeerUnreachable' });
  expect(failures()).toBe(1);
});

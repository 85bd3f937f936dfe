import { serviceDefinition } from '@sparesync/common';
import { FRAME_HEAD, frameInPlace, serializeRowBatch, standard } from './row-frames';

const decode = (b: Buffer) =>
  (serviceDefinition('Link').Rows as unknown as { requestDeserialize(b: Buffer): object }).requestDeserialize(
    b,
  );

/** A payload as encodeBatch leaves it with `head`: FRAME_HEAD free bytes before it in its buffer. */
function payloadWithRoom(bytes: Buffer): Buffer {
  const buf = Buffer.alloc(FRAME_HEAD + bytes.length + 7, 0xee);
  bytes.copy(buf, FRAME_HEAD);
  const p = buf.subarray(FRAME_HEAD, FRAME_HEAD + bytes.length);
  frameInPlace(p);
  return p;
}

describe('serializeRowBatch', () => {
  it.each([
    { epoch: 1, seq: 1, readAtMs: 1_765_000_000_000 },
    { epoch: 0, seq: 0, readAtMs: 0 },
    { epoch: 2 ** 40, seq: 300, readAtMs: 127 },
    { epoch: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER, readAtMs: Number.MAX_SAFE_INTEGER },
  ])('frames a payload in place as proto-loader would ($epoch, $seq, $readAtMs)', (f) => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 251));
    const payload = payloadWithRoom(bytes);
    const out = serializeRowBatch({ ...f, payload });
    expect(out.buffer).toBe(payload.buffer); // written in front of the payload, not copied
    expect(decode(out)).toEqual(decode(standard().requestSerialize({ ...f, payload: bytes })));
    // The room is used once: the same payload again goes the standard way.
    expect(serializeRowBatch({ ...f, payload }).buffer).not.toBe(payload.buffer);
  });

  it('other frames, and payloads without room, go through the standard serializer', () => {
    const hello = { epoch: 3, seq: 1, hello: { engine: 'postgres', role: 'primary' } };
    expect(decode(serializeRowBatch(hello))).toEqual(decode(standard().requestSerialize(hello)));
    const plain = { epoch: 3, seq: 2, payload: Buffer.from('abc'), readAtMs: 5 };
    expect(decode(serializeRowBatch(plain))).toEqual(decode(standard().requestSerialize(plain)));
  });
});

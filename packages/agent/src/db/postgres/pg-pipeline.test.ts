import { Writable } from 'node:stream';
import type { ClientBase } from 'pg';
import { corked } from './pg-pipeline';

/** A client whose queries write to a stream that records each write reaching the "socket". */
function fakeClient(): { c: ClientBase; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map((x) => (x.chunk as Buffer).toString()));
      done();
    },
  });
  const c = { connection: { stream }, query: (text: string) => stream.write(Buffer.from(text)) };
  return { c: c as unknown as ClientBase, writes };
}

describe('corked', () => {
  it('sends the queries issued inside it in one write, and returns what the callback returned', () => {
    const { c, writes } = fakeClient();
    const out = corked(c, () => ['BEGIN', 'SELECT 1', 'COMMIT'].map((q) => c.query(q)));
    expect(out).toHaveLength(3);
    expect(writes).toEqual([['BEGIN', 'SELECT 1', 'COMMIT']]);
  });

  it('writes each query alone outside it (what it saves)', () => {
    const { c, writes } = fakeClient();
    ['BEGIN', 'SELECT 1'].forEach((q) => c.query(q));
    expect(writes).toEqual([['BEGIN'], ['SELECT 1']]);
  });

  it('uncorks when the callback throws', () => {
    const { c, writes } = fakeClient();
    expect(() =>
      corked(c, () => {
        c.query('BEGIN');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    c.query('SELECT 1');
    expect(writes).toEqual([['BEGIN'], ['SELECT 1']]);
  });
});

import { readAhead } from './read-ahead';

describe('readAhead', () => {
  it('reads the next item while the caller works on the current one, and releases the source when the caller stops', async () => {
    const events: string[] = [];
    async function* source() {
      try {
        for (let i = 1; i <= 3; i++) {
          events.push(`read ${i}`);
          yield i;
        }
      } finally {
        events.push('released');
      }
    }
    for await (const n of readAhead(source())) {
      await new Promise((r) => setTimeout(r, 1));
      events.push(`use ${n}`);
      if (n === 2) break;
    }
    expect(events).toEqual(['read 1', 'read 2', 'use 1', 'read 3', 'use 2', 'released']);
  });

  it('passes on the error of the source', async () => {
    async function* failing() {
      yield 1;
      throw new Error('read failed');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of readAhead(failing())) seen.push(n);
      })(),
    ).rejects.toThrow('read failed');
    expect(seen).toEqual([1]);
  });
});

import { stopWithin } from './stop-deadline';

describe('stopWithin', () => {
  it('resolves when the steps end in time, and says nothing', async () => {
    const late: string[] = [];
    await stopWithin(
      10_000,
      async (at) => {
        at('the parts (db)');
        await new Promise((r) => setImmediate(r));
      },
      (m) => late.push(m),
    );
    expect(late).toEqual([]);
  });

  it('rejects past the deadline naming the step that never ended', async () => {
    const late: string[] = [];
    const never = new Promise<void>(() => undefined);
    const stop = stopWithin(
      50,
      async (at) => {
        at('the notifications');
        await Promise.resolve();
        at('the parts (db, files)');
        await never; // a part whose stop never ends
      },
      (m) => late.push(m),
    );
    await expect(stop).rejects.toThrow('stopping took longer than 0.05 s, still at: the parts (db, files)');
    expect(late).toEqual(['stopping took longer than 0.05 s, still at: the parts (db, files)']);
  });

  it('passes on a step that fails', async () => {
    await expect(
      stopWithin(
        10_000,
        () => Promise.reject(new Error('the link server would not close')),
        () => undefined,
      ),
    ).rejects.toThrow('the link server would not close');
  });
});

// Guide §9 delays and repeats on a fake clock: a message goes out only when its condition has
// lasted its delay, repeats while it lasts, and is dropped when it ends sooner.
import type { MessageCode } from '@sparesync/common';
import { Throttle, timingOf, type Timing } from './throttle';

const S = 1000;
const H = 3600 * S;

function throttle(overrides: Partial<Record<MessageCode, Partial<Timing>>> = {}) {
  return new Throttle((code) => timingOf(code, overrides[code]), { afterMs: 60 * S, times: 2 });
}

/** "code#count source" for each due message. */
const taken = (t: Throttle, now: number) =>
  t.take(now).map((d) => `${d.code}#${d.count}${d.source ? ` ${d.source}` : ''}`);

describe('Throttle', () => {
  test('the guide defaults: MainAppInvisible after 120 s, then daily while it lasts', () => {
    const t = throttle();
    t.raise('MainAppInvisible', 'HTTP 503', undefined, 0);
    expect(t.nextAt()).toBe(120 * S);
    expect(taken(t, 119 * S)).toEqual([]);
    expect(taken(t, 120 * S)).toEqual(['MainAppInvisible#1']);
    expect(taken(t, 120 * S)).toEqual([]);
    expect(t.nextAt()).toBe(120 * S + 24 * H);
    expect(taken(t, 120 * S + 24 * H)).toEqual(['MainAppInvisible#2']);
  });

  test('MainAppVisible before the delay drops both messages', () => {
    const t = throttle();
    t.raise('MainAppInvisible', 'HTTP 503', undefined, 0);
    t.raise('MainAppVisible', 'HTTP 200', undefined, 60 * S);
    expect(taken(t, 10 * H)).toEqual([]);
    expect(t.nextAt()).toBeUndefined();
  });

  test('MainAppVisible after an announced outage ends the repeats and is sent itself', () => {
    const t = throttle();
    t.raise('MainAppInvisible', 'HTTP 503', undefined, 0);
    expect(taken(t, 120 * S)).toEqual(['MainAppInvisible#1']);
    t.raise('MainAppVisible', 'HTTP 200', undefined, 200 * S);
    expect(taken(t, 201 * S)).toEqual(['MainAppVisible#1']);
    expect(taken(t, 48 * H)).toEqual([]);
  });

  test('MainAppVisible with no outage known (e.g. after a restart) is sent', () => {
    const t = throttle();
    t.raise('MainAppVisible', 'HTTP 200', undefined, 0);
    expect(taken(t, 1 * S)).toEqual(['MainAppVisible#1']);
  });

  test('CancelMessage within the delay: MissingConnection is not sent', () => {
    const t = throttle();
    t.raise('MissingConnection', 'no heartbeat', undefined, 0);
    t.cancel('MissingConnection', undefined);
    expect(taken(t, 60 * S)).toEqual([]);
  });

  test('a cancelled condition stops repeating; raised again it waits its delay again', () => {
    const t = throttle();
    t.raise('MissingConnection', 'no heartbeat', undefined, 0);
    expect(taken(t, 60 * S)).toEqual(['MissingConnection#1']);
    t.cancel('MissingConnection', undefined);
    expect(taken(t, 9 * H)).toEqual([]);
    t.raise('MissingConnection', 'no heartbeat', undefined, 10 * H);
    expect(taken(t, 10 * H + 59 * S)).toEqual([]);
    expect(taken(t, 10 * H + 60 * S)).toEqual(['MissingConnection#1']);
  });

  test('TurnedOff then TurnedOn within the second: neither is sent; after it, both are', () => {
    const quick = throttle();
    quick.raise('TurnedOff', 'by the operator', undefined, 0);
    quick.raise('TurnedOn', 'by the operator', undefined, 500);
    expect(taken(quick, 10 * S)).toEqual([]);

    const t = throttle();
    t.raise('TurnedOff', 'by the operator', undefined, 0);
    expect(taken(t, 1 * S)).toEqual(['TurnedOff#1']);
    expect(taken(t, 48 * H)).toEqual([]);
    t.raise('TurnedOn', 'by the operator', undefined, 48 * H);
    expect(taken(t, 48 * H + 1 * S)).toEqual(['TurnedOn#1']);
  });

  test('a code sent once goes out once per raise; delay 0 is due at once', () => {
    const t = throttle();
    t.raise('SwitchedFailed', 'DNS: BADSIG', undefined, 0);
    expect(taken(t, 0)).toEqual(['SwitchedFailed#1']);
    t.raise('SwitchedFailed', 'DNS: BADSIG', undefined, 5 * S);
    expect(taken(t, 5 * S)).toEqual(['SwitchedFailed#1']);
  });

  test('conditions with one code and different sources are separate', () => {
    const t = throttle();
    t.raise('FileSyncProblemWarn', 'a: EACCES', 'files:a', 0);
    t.raise('FileSyncProblemWarn', 'b: EACCES', 'files:b', 10 * S);
    t.cancel('FileSyncProblemWarn', 'files:a');
    expect(taken(t, 70 * S)).toEqual(['FileSyncProblemWarn#1 files:b']);
  });

  test('a new detail keeps the schedule and is what the next message says', () => {
    const t = throttle();
    t.raise('DbSyncProblemWarn', 'first', 'db', 0);
    t.raise('DbSyncProblemWarn', 'second', 'db', 50 * S);
    const [due] = t.take(60 * S);
    expect(due).toMatchObject({ detail: 'second', since: 0, count: 1 });
  });

  test('settings override a field, the other keeps its default', () => {
    const t = throttle({ MainAppInvisible: { delaySeconds: 60 } });
    t.raise('MainAppInvisible', 'down', undefined, 0);
    expect(taken(t, 60 * S)).toEqual(['MainAppInvisible#1']);
    expect(t.nextAt()).toBe(60 * S + 24 * H);
    expect(timingOf('MainAppInvisible', { repeatSeconds: 0 })).toEqual({
      delaySeconds: 120,
      repeatSeconds: 0,
    });
  });

  test('a failed message sent once is retried through the failed transports only, a bounded number of times', () => {
    const t = throttle();
    t.raise('TurnedOff', 'by the operator', undefined, 0);
    let [due] = t.take(1 * S);
    t.failed(due!, ['smtp'], 2 * S);
    expect(t.nextAt()).toBe(62 * S);
    [due] = t.take(62 * S);
    expect(due).toMatchObject({ code: 'TurnedOff', only: ['smtp'], attempt: 1 });
    t.failed(due!, ['smtp'], 63 * S);
    [due] = t.take(123 * S);
    expect(due).toMatchObject({ attempt: 2 });
    t.failed(due!, ['smtp'], 124 * S);
    expect(t.nextAt()).toBeUndefined();
  });

  test('a failed repeated message waits for its next repeat, through every transport', () => {
    const t = throttle();
    t.raise('MissingConnection', 'no heartbeat', undefined, 0);
    const [due] = t.take(60 * S);
    t.failed(due!, ['smtp'], 61 * S);
    expect(t.nextAt()).toBe(60 * S + 8 * H);
    expect(t.take(60 * S + 8 * H)).toEqual([expect.objectContaining({ count: 2, only: undefined })]);
  });
});

// The primary's side of a planned switch: stop, drain, and the lease that gives the service back.
import { createLogger } from '@sparesync/common';
import { HandOver, type HandOverOptions } from './hand-over';

function primary(patch: Partial<HandOverOptions> = {}) {
  const calls: string[] = [];
  const epoch = { value: 0 };
  const h = new HandOver({
    role: 'primary',
    name: 'primary-1',
    epoch: () => epoch.value,
    refusal: () => undefined,
    managed: {
      start: async () => void calls.push('start'),
      stop: async () => void calls.push('stop'),
      writeOfflineMarker: async () => void calls.push('marker'),
      removeOfflineMarker: async () => void calls.push('unmarker'),
      isRunning: async () => undefined,
    },
    synced: async () => void calls.push('drained'),
    drainTimeoutMs: 1000,
    commandTimeoutMs: 1000,
    peer: () => undefined,
    log: createLogger({ level: 'error', console: false, label: 'primary' }),
    leaseMs: 40,
    ...patch,
  });
  return { h, calls, epoch };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('hand-over on the primary', () => {
  test('writes the marker, stops the managed system, then drains, in that order', async () => {
    const { h, calls, epoch } = primary();
    const r = await h.prepare('secondary-1');
    expect(calls).toEqual(['marker', 'stop', 'drained']);
    expect(r.detail).toMatch(/^the primary stopped its managed system and drained replication in \d+\.\d s$/);
    epoch.value = 1;
    await sleep(80);
    expect(calls).toEqual(['marker', 'stop', 'drained']);
    h.stop();
  });

  test('the lease gives the service back when the epoch did not move', async () => {
    const { h, calls } = primary();
    await h.prepare('secondary-1');
    await sleep(80);
    expect(calls).toEqual(['marker', 'stop', 'drained', 'start', 'unmarker']);
  });

  test('an epoch that moved and came back (a switch and a switch back) ends the lease: no second start', async () => {
    const { h, calls, epoch } = primary();
    await h.prepare('secondary-1');
    epoch.value = 1;
    h.epochChanged();
    epoch.value = 2;
    await sleep(80);
    expect(calls).toEqual(['marker', 'stop', 'drained']);
  });

  test('the lease also ends when the epoch moved unnoticed (no epochChanged call)', async () => {
    const { h, calls, epoch } = primary();
    await h.prepare('secondary-1');
    epoch.value = 2;
    await sleep(80);
    expect(calls).toEqual(['marker', 'stop', 'drained']);
  });

  test('a primary that may not hand over (turned off) refuses with its reason and touches nothing', async () => {
    const { h, calls } = primary({ refusal: () => 'the primary is turned off (by the operator)' });
    await expect(h.prepare('x')).rejects.toThrow(/^the primary is turned off \(by the operator\)$/);
    expect(calls).toEqual([]);
  });

  test('a stop that fails gives the service back (marker removed) and refuses', async () => {
    const calls: string[] = [];
    const { h } = primary({
      managed: {
        start: async () => void calls.push('start'),
        stop: () => Promise.reject(new Error('stop command exited with 1')),
        writeOfflineMarker: async () => void calls.push('marker'),
        removeOfflineMarker: async () => void calls.push('unmarker'),
        isRunning: async () => undefined,
      },
    });
    await expect(h.prepare('x')).rejects.toThrow(
      /^the primary could not stop its managed system for the hand-over: stop command exited with 1; it serves again$/,
    );
    expect(calls).toEqual(['marker', 'start', 'unmarker']);
  });

  test('a drain that fails starts the managed system again at once and refuses', async () => {
    const { h, calls } = primary({
      synced: () => Promise.reject(new Error('3 files still pending after 1 s')),
    });
    await expect(h.prepare('secondary-1')).rejects.toThrow(
      /could not drain replication within system\.reverseSyncTimeoutSeconds: 3 files still pending/,
    );
    expect(calls).toEqual(['marker', 'stop', 'start', 'unmarker']);
  });

  test.each([
    ['a primary fenced by an odd epoch', 'primary', 1],
    ['a secondary', 'secondary', 0],
  ] as const)('%s refuses and touches nothing', async (_name, role, e) => {
    const { h, calls, epoch } = primary({ role });
    epoch.value = e;
    await expect(h.prepare('x')).rejects.toThrow(/does not run the managed system/);
    expect(calls).toEqual([]);
  });

  test('the secondary reports an unreachable primary by name', async () => {
    const { h } = primary({ role: 'secondary' });
    await expect(h.request()).rejects.toThrow(
      /^the primary agent was not reached for the hand-over: the link to the peer agent is down$/,
    );
  });
});

// StatusWatchers with a fake stream: the full status first, then on change; with changesOnly the
// later events carry the summary alone.
import { EventEmitter } from 'node:events';
import type { Status, StatusEventChangesOnly } from '@sparesync/common';
import { StatusWatchers } from './watch-status';

function statusIn(state: string): Status {
  return {
    local: { state, reason: `in ${state}`, epoch: 2, lastSwitch: null },
    remote: { state: 'Working', reachable: true, reason: '' },
    link: { connected: true, lastError: '' },
  } as unknown as Status;
}

function watch(changesOnly: boolean) {
  let state = 'Working';
  const listeners: (() => void)[] = [];
  const watchers = new StatusWatchers({
    status: () => statusIn(state),
    onChange: (l) => {
      listeners.push(l);
      return () => undefined;
    },
  });
  const events: StatusEventChangesOnly[] = [];
  const call = Object.assign(new EventEmitter(), {
    request: { keepaliveSeconds: 60, changesOnly },
    write: (e: StatusEventChangesOnly) => events.push(e),
    end: () => undefined,
  });
  watchers.handler(call as never);
  const become = (next: string) => {
    state = next;
    listeners.forEach((l) => l());
  };
  return { events, become, close: () => watchers.closeAll() };
}

describe('StatusWatchers', () => {
  it('sends the full status on every event by default, each with its summary', () => {
    const w = watch(false);
    w.become('Working'); // nothing changed: no event
    w.become('TurnedOff');
    w.close();
    expect(w.events.map((e) => [e.cause, e.status?.local?.state, e.summary?.state])).toEqual([
      ['initial', 'Working', 'AGENT_STATE_WORKING'],
      ['changed', 'TurnedOff', 'AGENT_STATE_TURNED_OFF'],
    ]);
  });

  it('with changesOnly sends the full status first, then the summary alone', () => {
    const w = watch(true);
    w.become('WorkingWithErrors');
    w.close();
    expect(w.events[0]!.status?.local?.state).toBe('Working');
    expect(w.events[1]).toMatchObject({
      cause: 'changed',
      status: null,
      summary: {
        state: 'AGENT_STATE_WORKING_WITH_ERRORS',
        reason: 'in WorkingWithErrors',
        peerReachable: true,
      },
    });
  });
});

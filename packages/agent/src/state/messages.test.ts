// The end of a condition (guide §9): the machine says CancelMessage when what a message reported is
// over, so the notifier drops a message still in its delay and stops repeating it.
import { peerHello, S, Sim } from './fixtures.test';
import type { Action } from './types';

const said = (actions: Action[]) =>
  actions.flatMap((a) =>
    a.type === 'SendMessage' || a.type === 'CancelMessage'
      ? [`${a.type === 'SendMessage' ? 'send' : 'cancel'} ${a.code}${a.source ? ` ${a.source}` : ''}`]
      : [],
  );

describe('CancelMessage', () => {
  test('the first connection cancels nothing; the link back after a loss cancels MissingConnection', () => {
    const sim = new Sim('primary');
    sim.feed({ type: 'AgentStarted' });
    expect(said(sim.feed(peerHello('secondary')).actions)).toEqual([]);
    expect(said(sim.feed({ type: 'PeerLost', detail: 'no heartbeat' }).actions)).toEqual([
      'send MissingConnection',
    ]);
    sim.at(30 * S);
    expect(said(sim.feed(peerHello('secondary')).actions)).toEqual(['cancel MissingConnection']);
  });

  test('a heartbeat that revives the link cancels MissingConnection too', () => {
    const sim = new Sim('primary').connected();
    sim.feed({ type: 'PeerLost', detail: 'no heartbeat' });
    const beat = sim.feed({ type: 'PeerHeartbeat', state: 'Working', epoch: 0 });
    expect(said(beat.actions)).toEqual(['cancel MissingConnection']);
  });

  test('the primary back after its Goodbye cancels OtherStoppedNotify', () => {
    const sim = new Sim('secondary').connected();
    expect(said(sim.feed({ type: 'PeerStopped', reason: 'SIGTERM' }).actions)).toEqual([
      'send OtherStoppedNotify',
    ]);
    expect(said(sim.feed(peerHello('primary')).actions)).toEqual([
      'cancel MissingConnection',
      'cancel OtherStoppedNotify',
    ]);
  });

  test('external resources reachable again cancel ExternalResourcesInvisible', () => {
    const sim = new Sim('secondary').connected();
    const down = sim.feed({ type: 'ExternalResourcesChecked', ok: false, detail: '8.8.8.8:53 timed out' });
    expect(said(down.actions)).toEqual(['send ExternalResourcesInvisible']);
    const up = sim.feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'all reachable' });
    expect(said(up.actions)).toEqual(['cancel ExternalResourcesInvisible']);
  });

  test('a problem cleared cancels its own message only; one that turns fatal swaps codes', () => {
    const sim = new Sim('primary').connected();
    const a = sim.feed({ type: 'FileSyncProblem', fatal: false, folder: 'a', detail: 'EACCES' });
    sim.feed({ type: 'FileSyncProblem', fatal: false, folder: 'b', detail: 'EACCES' });
    expect(said(a.actions)).toEqual(['send FileSyncProblemWarn files:a']);
    expect(said(sim.feed({ type: 'ProblemCleared', source: 'files:a' }).actions)).toEqual([
      'cancel FileSyncProblemWarn files:a',
    ]);
    const fatal = sim.feed({ type: 'FileSyncProblem', fatal: true, folder: 'b', detail: 'disk full' });
    expect(said(fatal.actions)).toEqual([
      'send TurnedOff',
      'cancel FileSyncProblemWarn files:b',
      'send FileSyncProblemFatal files:b',
    ]);
    const on = sim.feed({ type: 'OperatorTurnedOn' });
    expect(said(on.actions)).toContain('cancel FileSyncProblemFatal files:b');
  });

  test('a failover ends the outage it answered: MainAppInvisible is cancelled when the epoch moves', () => {
    const sim = new Sim('secondary', { dns: { enabled: true } }).connected();
    sim.run(200 * S, {
      page: (t) => t < 10 * S,
      external: () => true,
      events: [[10 * S, { type: 'PeerLost', detail: 'no heartbeat' }]],
    });
    expect(sim.state.name).toBe('SwitchingToSecondary');
    expect(said(sim.log.flatMap((o) => o.actions))).toEqual([
      'send MissingConnection',
      'send MainAppInvisible',
    ]);
    sim.feed({ type: 'TestPageChecked', ok: false, detail: 'refused' });
    sim.feed({ type: 'ExternalResourcesChecked', ok: true, detail: 'ok' });
    const persisted = sim.feed({ type: 'SwitchStepFinished', step: 'persist-epoch', ok: true });
    expect(sim.state.facts.epoch).toBe(1);
    expect(said(persisted.actions)).toEqual(['cancel MainAppInvisible']);
  });

  test('a configuration error fixed cancels ConfigurationError', () => {
    const sim = new Sim('primary', { system: { switchAfterConfigErrorsFixed: true } }).connected();
    expect(said(sim.feed({ type: 'ClockOffsetMeasured', offsetMs: 60_000 }).actions)).toEqual([
      'send ConfigurationError clock',
    ]);
    expect(said(sim.feed({ type: 'ClockOffsetMeasured', offsetMs: 10 }).actions)).toEqual([
      'cancel ConfigurationError clock',
    ]);
  });
});

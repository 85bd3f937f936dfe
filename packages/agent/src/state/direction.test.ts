// directionOf: who sends, receives or stays idle, for every state, role, epoch parity and link.
import { agentStates, type AgentStateName, type Role } from '@sparesync/common';
import { directionOf } from './direction';

const states = agentStates;
const receiving = new Set<AgentStateName>([
  'Working',
  'WorkingWithErrors',
  'Inactive',
  'Switched',
  'SwitchingToSecondary',
]);

describe('directionOf', () => {
  test.each(states)('nothing flows in %s while the link is down', (state) => {
    for (const role of ['primary', 'secondary'] as Role[])
      for (const epoch of [0, 1, 2])
        expect(directionOf({ state, replicating: true, role, epoch, peerConnected: false })).toBe('idle');
  });

  test.each(states)('the holder sends in %s only while the machine says replicate', (state) => {
    expect(directionOf({ state, replicating: true, role: 'primary', epoch: 0, peerConnected: true })).toBe(
      'send',
    );
    expect(directionOf({ state, replicating: true, role: 'secondary', epoch: 1, peerConnected: true })).toBe(
      'send',
    );
    expect(directionOf({ state, replicating: false, role: 'primary', epoch: 2, peerConnected: true })).toBe(
      'idle',
    );
  });

  test.each(states)('the other side receives in %s only in the states that accept data', (state) => {
    const want = receiving.has(state) ? 'receive' : 'idle';
    // A fenced old primary (odd epoch) and a secondary before any switch (epoch 0) alike;
    // `replicating` is the holder's switch and says nothing about receiving.
    for (const replicating of [true, false]) {
      expect(directionOf({ state, replicating, role: 'primary', epoch: 1, peerConnected: true })).toBe(want);
      expect(directionOf({ state, replicating, role: 'secondary', epoch: 0, peerConnected: true })).toBe(
        want,
      );
    }
  });
});

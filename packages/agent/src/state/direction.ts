// Which way replication flows on this side — the heart of fencing, so it is decided here in the
// pure core and the composition root only feeds it: the side the epoch names sends (while the
// machine says replicate), the other receives in the states that accept data, and nothing flows
// while the link is down. Receivers refuse frames from a lower epoch on top of this.
import type { AgentStateName, Role } from '@sparesync/common';
import { holderOf } from './epoch';

/**
 * send: this server runs the managed system, the peer is connected and replication is on — push
 * changes to the peer. receive: accept the peer's frames (never from a lower epoch than ours).
 * idle: neither (link down, TurnedOff, switching, fenced and not receiving).
 */
export type Direction = 'send' | 'receive' | 'idle';

/** The states in which the side the epoch does not name accepts the holder's data. */
const RECEIVING: readonly AgentStateName[] = [
  'Working',
  'WorkingWithErrors',
  'Inactive',
  'Switched',
  'SwitchingToSecondary',
];

export function directionOf(o: {
  state: AgentStateName;
  replicating: boolean;
  role: Role;
  epoch: number;
  peerConnected: boolean;
}): Direction {
  if (!o.peerConnected) return 'idle';
  if (holderOf(o.epoch) === o.role) return o.replicating ? 'send' : 'idle';
  return RECEIVING.includes(o.state) ? 'receive' : 'idle';
}

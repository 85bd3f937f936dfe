// Original file: proto/sparesync.proto

import type { AgentState as _sparesync_v1_AgentState, AgentState__Output as _sparesync_v1_AgentState__Output } from '../../sparesync/v1/AgentState';
import type { SwitchPhase as _sparesync_v1_SwitchPhase, SwitchPhase__Output as _sparesync_v1_SwitchPhase__Output } from '../../sparesync/v1/SwitchPhase';
import type { Long } from '@grpc/proto-loader';

/**
 * The part of the status whose change makes WatchStatus send an event.
 */
export interface StatusSummary {
  'state'?: (_sparesync_v1_AgentState);
  'reason'?: (string);
  'epoch'?: (number | string | Long);
  'peerState'?: (_sparesync_v1_AgentState);
  'peerReachable'?: (boolean);
  'linkConnected'?: (boolean);
  /**
   * The switch under way or the last one (absent when none).
   */
  'switchPhase'?: (_sparesync_v1_SwitchPhase);
  'switchStep'?: (string);
  'switchError'?: (string);
}

/**
 * The part of the status whose change makes WatchStatus send an event.
 */
export interface StatusSummary__Output {
  'state': (_sparesync_v1_AgentState__Output);
  'reason': (string);
  'epoch': (number);
  'peerState': (_sparesync_v1_AgentState__Output);
  'peerReachable': (boolean);
  'linkConnected': (boolean);
  /**
   * The switch under way or the last one (absent when none).
   */
  'switchPhase': (_sparesync_v1_SwitchPhase__Output);
  'switchStep': (string);
  'switchError': (string);
}

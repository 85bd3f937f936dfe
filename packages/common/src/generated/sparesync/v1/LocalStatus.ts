// Original file: proto/sparesync.proto

import type { SwitchLog as _sparesync_v1_SwitchLog, SwitchLog__Output as _sparesync_v1_SwitchLog__Output } from '../../sparesync/v1/SwitchLog';
import type { ShutdownRecord as _sparesync_v1_ShutdownRecord, ShutdownRecord__Output as _sparesync_v1_ShutdownRecord__Output } from '../../sparesync/v1/ShutdownRecord';
import type { AgentState as _sparesync_v1_AgentState, AgentState__Output as _sparesync_v1_AgentState__Output } from '../../sparesync/v1/AgentState';
import type { Long } from '@grpc/proto-loader';

/**
 * This agent.
 */
export interface LocalStatus {
  /**
   * "primary" or "secondary".
   */
  'role'?: (string);
  /**
   * One of: Stopped, TurnedOff, Switched, ConfigurationError, Inactive, Working, WorkingWithErrors,
   * SwitchingToSecondary, SwitchingToPrimary.
   */
  'state'?: (string);
  /**
   * Why the agent is in this state, one sentence (e.g. the ConfigurationError cause).
   */
  'reason'?: (string);
  'version'?: (string);
  'name'?: (string);
  'epoch'?: (number | string | Long);
  /**
   * When the agent process started.
   */
  'startedAtMs'?: (number | string | Long);
  /**
   * The state machine's latest judgement in one sentence, e.g. why it does not switch now
   * ("no switch: the primary's agent was stopped on purpose …").
   */
  'decision'?: (string);
  /**
   * The switch under way, or the last one since the agent started (absent when none).
   */
  'lastSwitch'?: (_sparesync_v1_SwitchLog | null);
  /**
   * The last time this agent stopped (absent before its first stop), guide §7.3.1.
   */
  'lastShutdown'?: (_sparesync_v1_ShutdownRecord | null);
  /**
   * state as an enum (see the top of this file).
   */
  'stateCode'?: (_sparesync_v1_AgentState);
}

/**
 * This agent.
 */
export interface LocalStatus__Output {
  /**
   * "primary" or "secondary".
   */
  'role': (string);
  /**
   * One of: Stopped, TurnedOff, Switched, ConfigurationError, Inactive, Working, WorkingWithErrors,
   * SwitchingToSecondary, SwitchingToPrimary.
   */
  'state': (string);
  /**
   * Why the agent is in this state, one sentence (e.g. the ConfigurationError cause).
   */
  'reason': (string);
  'version': (string);
  'name': (string);
  'epoch': (number);
  /**
   * When the agent process started.
   */
  'startedAtMs': (number);
  /**
   * The state machine's latest judgement in one sentence, e.g. why it does not switch now
   * ("no switch: the primary's agent was stopped on purpose …").
   */
  'decision': (string);
  /**
   * The switch under way, or the last one since the agent started (absent when none).
   */
  'lastSwitch': (_sparesync_v1_SwitchLog__Output | null);
  /**
   * The last time this agent stopped (absent before its first stop), guide §7.3.1.
   */
  'lastShutdown': (_sparesync_v1_ShutdownRecord__Output | null);
  /**
   * state as an enum (see the top of this file).
   */
  'stateCode': (_sparesync_v1_AgentState__Output);
}

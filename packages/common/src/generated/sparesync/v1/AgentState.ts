// Original file: proto/sparesync.proto

/**
 * The agent states of guide §8 (LocalStatus.state, RemoteStatus.state as strings).
 */
export const AgentState = {
  AGENT_STATE_UNSPECIFIED: 'AGENT_STATE_UNSPECIFIED',
  AGENT_STATE_STOPPED: 'AGENT_STATE_STOPPED',
  AGENT_STATE_TURNED_OFF: 'AGENT_STATE_TURNED_OFF',
  AGENT_STATE_SWITCHED: 'AGENT_STATE_SWITCHED',
  AGENT_STATE_CONFIGURATION_ERROR: 'AGENT_STATE_CONFIGURATION_ERROR',
  AGENT_STATE_INACTIVE: 'AGENT_STATE_INACTIVE',
  AGENT_STATE_WORKING: 'AGENT_STATE_WORKING',
  AGENT_STATE_WORKING_WITH_ERRORS: 'AGENT_STATE_WORKING_WITH_ERRORS',
  AGENT_STATE_SWITCHING_TO_SECONDARY: 'AGENT_STATE_SWITCHING_TO_SECONDARY',
  AGENT_STATE_SWITCHING_TO_PRIMARY: 'AGENT_STATE_SWITCHING_TO_PRIMARY',
  /**
   * Only for the peer: never reached since this agent started.
   */
  AGENT_STATE_UNKNOWN: 'AGENT_STATE_UNKNOWN',
} as const;

/**
 * The agent states of guide §8 (LocalStatus.state, RemoteStatus.state as strings).
 */
export type AgentState =
  | 'AGENT_STATE_UNSPECIFIED'
  | 0
  | 'AGENT_STATE_STOPPED'
  | 1
  | 'AGENT_STATE_TURNED_OFF'
  | 2
  | 'AGENT_STATE_SWITCHED'
  | 3
  | 'AGENT_STATE_CONFIGURATION_ERROR'
  | 4
  | 'AGENT_STATE_INACTIVE'
  | 5
  | 'AGENT_STATE_WORKING'
  | 6
  | 'AGENT_STATE_WORKING_WITH_ERRORS'
  | 7
  | 'AGENT_STATE_SWITCHING_TO_SECONDARY'
  | 8
  | 'AGENT_STATE_SWITCHING_TO_PRIMARY'
  | 9
  /**
   * Only for the peer: never reached since this agent started.
   */
  | 'AGENT_STATE_UNKNOWN'
  | 10

/**
 * The agent states of guide §8 (LocalStatus.state, RemoteStatus.state as strings).
 */
export type AgentState__Output = typeof AgentState[keyof typeof AgentState]

// Original file: proto/sparesync.proto

/**
 * SwitchLog.phase as an enum.
 */
export const SwitchPhase = {
  SWITCH_PHASE_UNSPECIFIED: 'SWITCH_PHASE_UNSPECIFIED',
  SWITCH_PHASE_RUNNING: 'SWITCH_PHASE_RUNNING',
  SWITCH_PHASE_WAITING: 'SWITCH_PHASE_WAITING',
  SWITCH_PHASE_HALTED: 'SWITCH_PHASE_HALTED',
  SWITCH_PHASE_COMPLETED: 'SWITCH_PHASE_COMPLETED',
  SWITCH_PHASE_ABANDONED: 'SWITCH_PHASE_ABANDONED',
  SWITCH_PHASE_CANCELLED: 'SWITCH_PHASE_CANCELLED',
} as const;

/**
 * SwitchLog.phase as an enum.
 */
export type SwitchPhase =
  | 'SWITCH_PHASE_UNSPECIFIED'
  | 0
  | 'SWITCH_PHASE_RUNNING'
  | 1
  | 'SWITCH_PHASE_WAITING'
  | 2
  | 'SWITCH_PHASE_HALTED'
  | 3
  | 'SWITCH_PHASE_COMPLETED'
  | 4
  | 'SWITCH_PHASE_ABANDONED'
  | 5
  | 'SWITCH_PHASE_CANCELLED'
  | 6

/**
 * SwitchLog.phase as an enum.
 */
export type SwitchPhase__Output = typeof SwitchPhase[keyof typeof SwitchPhase]

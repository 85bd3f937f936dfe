// The failover state machine (see README.md): pure decisions, executed by a runner.
export { decide, initialState } from './machine';
export { describeState, pushHistory, transitionOf } from './describe';
export { checkClockOffset, checkHandshake, formatUtcOffset } from './handshake-checks';
export { activeMaintenanceWindow, describeWindow } from './maintenance';
export { evaluateSwitch } from './criteria';
export { fileProblemSource } from './facts';
export { holderOf, nextEpochFor } from './epoch';
export { handOverRefusal, undoTargetOf } from './decisions';
export { plans, retryDelayMs } from './steps';
export type * from './types';
export { directionOf, type Direction } from './direction';
export { nextTickDue } from './next-due';

// The guide's states (§8). Unknown only ever describes the remote side.

export const agentStates = [
  'Stopped',
  'TurnedOff',
  'Switched',
  'ConfigurationError',
  'Inactive',
  'Working',
  'WorkingWithErrors',
  'SwitchingToSecondary',
  'SwitchingToPrimary',
] as const;

export type AgentStateName = (typeof agentStates)[number];
export type RemoteStateName = AgentStateName | 'Unknown';

export type Role = 'primary' | 'secondary';

export function otherRole(role: Role): Role {
  return role === 'primary' ? 'secondary' : 'primary';
}

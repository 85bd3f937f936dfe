// The messages of the Control service (proto/sparesync.proto, service Control) that the agent, the
// CLI and integrators share, named from the generated types (wire.ts): as they arrive, defaults
// filled in. Status and its parts are here too; the Link, Files and Rows frames live in the agent.
import type { AgentState__Output } from './generated/sparesync/v1/AgentState';
import type { SwitchPhase__Output } from './generated/sparesync/v1/SwitchPhase';
import type { WireMessage } from './wire';

// ----- Status (GetStatus, WatchStatus) -----

export type LocalStatus = WireMessage<'LocalStatus'>;
export type RemoteStatus = WireMessage<'RemoteStatus'>;
export type LinkStatus = WireMessage<'LinkStatus'>;
export type Transition = WireMessage<'Transition'>;
export type SwitchLog = WireMessage<'SwitchLog'>;
export type SwitchStep = WireMessage<'SwitchStep'>;
/** The last time an agent stopped, cleanly or not (guide §7.3.1). */
export type ShutdownRecord = WireMessage<'ShutdownRecord'>;
export type FolderStatus = WireMessage<'FolderStatus'>;
export type DatabaseStatus = WireMessage<'DatabaseStatus'>;
export type WitnessStatus = WireMessage<'WitnessStatus'>;
export type ReinitProgress = WireMessage<'ReinitProgress'>;
export type TableRows = WireMessage<'TableRows'>;

/**
 * An agent's Status. The agent always sets local, remote and link (api/ builds all three), so
 * they are not null here; database is null on an agent without database replication.
 */
export type Status = Omit<WireMessage<'Status'>, 'local' | 'remote' | 'link'> & {
  local: LocalStatus;
  remote: RemoteStatus;
  link: LinkStatus;
};

/** A WatchStatus event; its status is set unless the watch asked for changes only. */
export type StatusEvent = Omit<WireMessage<'StatusEvent'>, 'status'> & { status: Status };
export type StatusEventChangesOnly = WireMessage<'StatusEvent'>;
export type StatusSummary = WireMessage<'StatusSummary'>;
export type Identity = WireMessage<'Identity'>;

const snake = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** A state name ("WorkingWithErrors") as the proto enum (AGENT_STATE_WORKING_WITH_ERRORS). */
export function agentStateCode(name: string): AgentState__Output {
  const code = `AGENT_STATE_${snake(name)}`;
  return (agentStateCodes as readonly string[]).includes(code)
    ? (code as AgentState__Output)
    : 'AGENT_STATE_UNSPECIFIED';
}

/** A switch phase ("halted") as the proto enum (SWITCH_PHASE_HALTED). */
export function switchPhaseCode(phase: string): SwitchPhase__Output {
  const code = `SWITCH_PHASE_${snake(phase)}`;
  return (switchPhaseCodes as readonly string[]).includes(code)
    ? (code as SwitchPhase__Output)
    : 'SWITCH_PHASE_UNSPECIFIED';
}

const agentStateCodes: readonly AgentState__Output[] = [
  'AGENT_STATE_STOPPED',
  'AGENT_STATE_TURNED_OFF',
  'AGENT_STATE_SWITCHED',
  'AGENT_STATE_CONFIGURATION_ERROR',
  'AGENT_STATE_INACTIVE',
  'AGENT_STATE_WORKING',
  'AGENT_STATE_WORKING_WITH_ERRORS',
  'AGENT_STATE_SWITCHING_TO_SECONDARY',
  'AGENT_STATE_SWITCHING_TO_PRIMARY',
  'AGENT_STATE_UNKNOWN',
];
const switchPhaseCodes: readonly SwitchPhase__Output[] = [
  'SWITCH_PHASE_RUNNING',
  'SWITCH_PHASE_WAITING',
  'SWITCH_PHASE_HALTED',
  'SWITCH_PHASE_COMPLETED',
  'SWITCH_PHASE_ABANDONED',
  'SWITCH_PHASE_CANCELLED',
];

// ----- Operator requests and diagnostics -----

export type ServerResult = WireMessage<'ServerResult'>;
export type OperatorReply = WireMessage<'OperatorReply'>;
export type GetSettingsReply = WireMessage<'GetSettingsReply'>;
export type SettingChange = WireMessage<'SettingChange'>;
export type SettingOutcome = WireMessage<'SettingOutcome'>;
export type SetSettingsReply = WireMessage<'SetSettingsReply'>;
export type NotifyTransportResult = WireMessage<'NotifyTransportResult'>;
export type SendTestMessageReply = WireMessage<'SendTestMessageReply'>;
export type DnsTestStep = WireMessage<'DnsTestStep'>;
export type TestDnsRecordReply = WireMessage<'TestDnsRecordReply'>;
export type MarkShutdownCheckedReply = WireMessage<'MarkShutdownCheckedReply'>;
export type DbOperationReply = WireMessage<'DbOperationReply'>;

/** Exit code of sparesync-agent after the Restart RPC: its service manager starts it again. */
export const RESTART_EXIT_CODE = 75;

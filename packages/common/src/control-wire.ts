// The messages of the Control service (proto/sparesync.proto, service Control) that the agent, the
// CLI and integrators share, named from the generated types (wire.ts): as they arrive, defaults
// filled in. Status and its parts are here too; the Link, Files and Rows frames live in the agent.
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

/** A WatchStatus event; its status is always set. */
export type StatusEvent = Omit<WireMessage<'StatusEvent'>, 'status'> & { status: Status };

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

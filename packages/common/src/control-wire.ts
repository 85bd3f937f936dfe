// Messages of the Control RPCs for operators (proto/sparesync.proto, service Control) as
// proto-loader hands them over: lowerCamelCase fields, defaults filled in.
import type { Status } from './wire';

export interface StatusEvent {
  cause: 'initial' | 'changed' | 'keepalive';
  status: Status;
  atMs: number;
}

export interface ServerResult {
  role: string;
  name: string;
  reached: boolean;
  done: boolean;
  state: string;
  detail: string;
}

export interface OperatorReply {
  accepted: boolean;
  message: string;
  servers: ServerResult[];
  /** RequestSwitch: the id of the switch attempt the request started or joined (SwitchLog.id). */
  switchId?: string;
}

export interface GetSettingsReply {
  file: string;
  path: string;
  valueJson: string;
  critical: boolean;
  restartRequired: boolean;
  local: boolean;
}

export interface SettingChange {
  path: string;
  valueJson: string;
  remove: boolean;
}

export interface SettingOutcome {
  path: string;
  oldJson: string;
  newJson: string;
  local: boolean;
  restartRequired: boolean;
  critical: boolean;
}

export interface SetSettingsReply {
  message: string;
  file: string;
  settings: SettingOutcome[];
  restartRequired: boolean;
  peer: string;
  peerSettings: SettingOutcome[];
  peerRestartRequired: boolean;
  dryRun: boolean;
}

export interface NotifyTransportResult {
  /** "smtp" or "webhook". */
  transport: string;
  /** Where the message went, safe to show (no password, no URL query). */
  target: string;
  ok: boolean;
  /** The server's answer, or why it failed (never a password). */
  detail: string;
}

export interface SendTestMessageReply {
  /** Every configured transport delivered the message. */
  sent: boolean;
  message: string;
  transports: NotifyTransportResult[];
}

export interface DnsTestStep {
  step: string;
  ok: boolean;
  skipped: boolean;
  detail: string;
  hint: string;
}

export interface TestDnsRecordReply {
  ok: boolean;
  name: string;
  server: string;
  steps: DnsTestStep[];
}

/** Exit code of sparesync-agent after the Restart RPC: its service manager starts it again. */
export const RESTART_EXIT_CODE = 75;

// Original file: proto/sparesync.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DbFixSyncStateRequest as _sparesync_v1_DbFixSyncStateRequest, DbFixSyncStateRequest__Output as _sparesync_v1_DbFixSyncStateRequest__Output } from '../../sparesync/v1/DbFixSyncStateRequest';
import type { DbInstallScriptsRequest as _sparesync_v1_DbInstallScriptsRequest, DbInstallScriptsRequest__Output as _sparesync_v1_DbInstallScriptsRequest__Output } from '../../sparesync/v1/DbInstallScriptsRequest';
import type { DbOperationReply as _sparesync_v1_DbOperationReply, DbOperationReply__Output as _sparesync_v1_DbOperationReply__Output } from '../../sparesync/v1/DbOperationReply';
import type { DbReinitializeRequest as _sparesync_v1_DbReinitializeRequest, DbReinitializeRequest__Output as _sparesync_v1_DbReinitializeRequest__Output } from '../../sparesync/v1/DbReinitializeRequest';
import type { GetIdentityRequest as _sparesync_v1_GetIdentityRequest, GetIdentityRequest__Output as _sparesync_v1_GetIdentityRequest__Output } from '../../sparesync/v1/GetIdentityRequest';
import type { GetSettingsReply as _sparesync_v1_GetSettingsReply, GetSettingsReply__Output as _sparesync_v1_GetSettingsReply__Output } from '../../sparesync/v1/GetSettingsReply';
import type { GetSettingsRequest as _sparesync_v1_GetSettingsRequest, GetSettingsRequest__Output as _sparesync_v1_GetSettingsRequest__Output } from '../../sparesync/v1/GetSettingsRequest';
import type { GetStatusRequest as _sparesync_v1_GetStatusRequest, GetStatusRequest__Output as _sparesync_v1_GetStatusRequest__Output } from '../../sparesync/v1/GetStatusRequest';
import type { Identity as _sparesync_v1_Identity, Identity__Output as _sparesync_v1_Identity__Output } from '../../sparesync/v1/Identity';
import type { MarkShutdownCheckedReply as _sparesync_v1_MarkShutdownCheckedReply, MarkShutdownCheckedReply__Output as _sparesync_v1_MarkShutdownCheckedReply__Output } from '../../sparesync/v1/MarkShutdownCheckedReply';
import type { MarkShutdownCheckedRequest as _sparesync_v1_MarkShutdownCheckedRequest, MarkShutdownCheckedRequest__Output as _sparesync_v1_MarkShutdownCheckedRequest__Output } from '../../sparesync/v1/MarkShutdownCheckedRequest';
import type { OperatorReply as _sparesync_v1_OperatorReply, OperatorReply__Output as _sparesync_v1_OperatorReply__Output } from '../../sparesync/v1/OperatorReply';
import type { RequestSwitchRequest as _sparesync_v1_RequestSwitchRequest, RequestSwitchRequest__Output as _sparesync_v1_RequestSwitchRequest__Output } from '../../sparesync/v1/RequestSwitchRequest';
import type { RestartRequest as _sparesync_v1_RestartRequest, RestartRequest__Output as _sparesync_v1_RestartRequest__Output } from '../../sparesync/v1/RestartRequest';
import type { SendTestMessageReply as _sparesync_v1_SendTestMessageReply, SendTestMessageReply__Output as _sparesync_v1_SendTestMessageReply__Output } from '../../sparesync/v1/SendTestMessageReply';
import type { SendTestMessageRequest as _sparesync_v1_SendTestMessageRequest, SendTestMessageRequest__Output as _sparesync_v1_SendTestMessageRequest__Output } from '../../sparesync/v1/SendTestMessageRequest';
import type { SetSettingsReply as _sparesync_v1_SetSettingsReply, SetSettingsReply__Output as _sparesync_v1_SetSettingsReply__Output } from '../../sparesync/v1/SetSettingsReply';
import type { SetSettingsRequest as _sparesync_v1_SetSettingsRequest, SetSettingsRequest__Output as _sparesync_v1_SetSettingsRequest__Output } from '../../sparesync/v1/SetSettingsRequest';
import type { Status as _sparesync_v1_Status, Status__Output as _sparesync_v1_Status__Output } from '../../sparesync/v1/Status';
import type { StatusEvent as _sparesync_v1_StatusEvent, StatusEvent__Output as _sparesync_v1_StatusEvent__Output } from '../../sparesync/v1/StatusEvent';
import type { TestDnsRecordReply as _sparesync_v1_TestDnsRecordReply, TestDnsRecordReply__Output as _sparesync_v1_TestDnsRecordReply__Output } from '../../sparesync/v1/TestDnsRecordReply';
import type { TestDnsRecordRequest as _sparesync_v1_TestDnsRecordRequest, TestDnsRecordRequest__Output as _sparesync_v1_TestDnsRecordRequest__Output } from '../../sparesync/v1/TestDnsRecordRequest';
import type { TurnRequest as _sparesync_v1_TurnRequest, TurnRequest__Output as _sparesync_v1_TurnRequest__Output } from '../../sparesync/v1/TurnRequest';
import type { WatchStatusRequest as _sparesync_v1_WatchStatusRequest, WatchStatusRequest__Output as _sparesync_v1_WatchStatusRequest__Output } from '../../sparesync/v1/WatchStatusRequest';

export interface ControlClient extends grpc.Client {
  /**
   * "Fix synchronization state" (guide §7.3.2.6): the receiving database is marked in sync with
   * the sending one without copying. Only when both databases are known to be identical.
   */
  DbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Fix synchronization state" (guide §7.3.2.6): the receiving database is marked in sync with
   * the sending one without copying. Only when both databases are known to be identical.
   */
  dbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbFixSyncState(argument: _sparesync_v1_DbFixSyncStateRequest, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Install scripts for database": installs or refreshes change capture on this agent's database
   * and sets the reinitialisation flag (the tables may have changed). Run it on both servers after
   * the first setup and after every change of the database structure.
   */
  DbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Install scripts for database": installs or refreshes change capture on this agent's database
   * and sets the reinitialisation flag (the tables may have changed). Run it on both servers after
   * the first setup and after every change of the database structure.
   */
  dbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbInstallScripts(argument: _sparesync_v1_DbInstallScriptsRequest, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sets the reinitialisation flag (full copy of the tracked tables, primary -> secondary), or
   * with from_backup the flag for reinitialisation through a backup.
   */
  DbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  DbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  /**
   * Sets the reinitialisation flag (full copy of the tracked tables, primary -> secondary), or
   * with from_backup the flag for reinitialisation through a backup.
   */
  dbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  dbReinitialize(argument: _sparesync_v1_DbReinitializeRequest, callback: grpc.requestCallback<_sparesync_v1_DbOperationReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Who this agent is: its name, role, version and certificate fingerprint (what a client pins),
   * and the fingerprint it pins for its peer. Any certificate of the pair CA may call it.
   */
  GetIdentity(argument: _sparesync_v1_GetIdentityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  GetIdentity(argument: _sparesync_v1_GetIdentityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  GetIdentity(argument: _sparesync_v1_GetIdentityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  GetIdentity(argument: _sparesync_v1_GetIdentityRequest, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  /**
   * Who this agent is: its name, role, version and certificate fingerprint (what a client pins),
   * and the fingerprint it pins for its peer. Any certificate of the pair CA may call it.
   */
  getIdentity(argument: _sparesync_v1_GetIdentityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  getIdentity(argument: _sparesync_v1_GetIdentityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  getIdentity(argument: _sparesync_v1_GetIdentityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  getIdentity(argument: _sparesync_v1_GetIdentityRequest, callback: grpc.requestCallback<_sparesync_v1_Identity__Output>): grpc.ClientUnaryCall;
  
  /**
   * The settings this agent runs with, defaults filled in, or one setting or group of them.
   * Read-only callers may call it too; for them the values that may hold credentials
   * (database.connectionString, notifications.webhook.url and .headers, notifications.smtp.user)
   * are replaced by the text "(redacted)". The settings file holds no passwords itself (they live
   * in the files named by *passwordFile and dns.tsig.secretFile).
   */
  GetSettings(argument: _sparesync_v1_GetSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  GetSettings(argument: _sparesync_v1_GetSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  GetSettings(argument: _sparesync_v1_GetSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  GetSettings(argument: _sparesync_v1_GetSettingsRequest, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  /**
   * The settings this agent runs with, defaults filled in, or one setting or group of them.
   * Read-only callers may call it too; for them the values that may hold credentials
   * (database.connectionString, notifications.webhook.url and .headers, notifications.smtp.user)
   * are replaced by the text "(redacted)". The settings file holds no passwords itself (they live
   * in the files named by *passwordFile and dns.tsig.secretFile).
   */
  getSettings(argument: _sparesync_v1_GetSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  getSettings(argument: _sparesync_v1_GetSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  getSettings(argument: _sparesync_v1_GetSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  getSettings(argument: _sparesync_v1_GetSettingsRequest, callback: grpc.requestCallback<_sparesync_v1_GetSettingsReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * The state of this agent, of its peer as this agent sees it, and of the link between them.
   */
  GetStatus(argument: _sparesync_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _sparesync_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _sparesync_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _sparesync_v1_GetStatusRequest, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  /**
   * The state of this agent, of its peer as this agent sees it, and of the link between them.
   */
  getStatus(argument: _sparesync_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _sparesync_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _sparesync_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _sparesync_v1_GetStatusRequest, callback: grpc.requestCallback<_sparesync_v1_Status__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Mark checked" (guide §7.3.1): the operator has reviewed this agent's last shutdown
   * (Status.local.last_shutdown). FAILED_PRECONDITION when none is recorded yet. Operator role.
   */
  MarkShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  MarkShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  MarkShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  MarkShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Mark checked" (guide §7.3.1): the operator has reviewed this agent's last shutdown
   * (Status.local.last_shutdown). FAILED_PRECONDITION when none is recorded yet. Operator role.
   */
  markShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  markShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  markShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  markShutdownChecked(argument: _sparesync_v1_MarkShutdownCheckedRequest, callback: grpc.requestCallback<_sparesync_v1_MarkShutdownCheckedReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Switch to primary/secondary server" (guide §7.3.2, §10): the request goes to this agent's
   * state machine, which decides; the reply carries its decision. Only the secondary's agent runs
   * switches (it holds the data to switch): on the primary the request is refused with that
   * reason. The state decides what it allows: no switch while SpareSync is turned off, no undo
   * without a switch under way or halted. accepted is true when the switch runs (started now, a
   * retry of a halted one, or already running; switch_id names that attempt) or when an undo
   * ended a switch before the epoch moved; follow it with WatchStatus or Status.local.last_switch.
   */
  RequestSwitch(argument: _sparesync_v1_RequestSwitchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  RequestSwitch(argument: _sparesync_v1_RequestSwitchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  RequestSwitch(argument: _sparesync_v1_RequestSwitchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  RequestSwitch(argument: _sparesync_v1_RequestSwitchRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Switch to primary/secondary server" (guide §7.3.2, §10): the request goes to this agent's
   * state machine, which decides; the reply carries its decision. Only the secondary's agent runs
   * switches (it holds the data to switch): on the primary the request is refused with that
   * reason. The state decides what it allows: no switch while SpareSync is turned off, no undo
   * without a switch under way or halted. accepted is true when the switch runs (started now, a
   * retry of a halted one, or already running; switch_id names that attempt) or when an undo
   * ended a switch before the epoch moved; follow it with WatchStatus or Status.local.last_switch.
   */
  requestSwitch(argument: _sparesync_v1_RequestSwitchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  requestSwitch(argument: _sparesync_v1_RequestSwitchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  requestSwitch(argument: _sparesync_v1_RequestSwitchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  requestSwitch(argument: _sparesync_v1_RequestSwitchRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Restart SpareSync" (guide §7.3.2; needed after restart-required settings change). The agent
   * answers, stops as on SIGTERM (tells its peer it stops on purpose), and exits with code 75, which
   * tells its service manager to start it again (systemd: Restart=on-failure or
   * RestartForceExitStatus=75). Without a service manager the agent stays stopped.
   */
  Restart(argument: _sparesync_v1_RestartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  Restart(argument: _sparesync_v1_RestartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  Restart(argument: _sparesync_v1_RestartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  Restart(argument: _sparesync_v1_RestartRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Restart SpareSync" (guide §7.3.2; needed after restart-required settings change). The agent
   * answers, stops as on SIGTERM (tells its peer it stops on purpose), and exits with code 75, which
   * tells its service manager to start it again (systemd: Restart=on-failure or
   * RestartForceExitStatus=75). Without a service manager the agent stays stopped.
   */
  restart(argument: _sparesync_v1_RestartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  restart(argument: _sparesync_v1_RestartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  restart(argument: _sparesync_v1_RestartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  restart(argument: _sparesync_v1_RestartRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Send test message" (guide §7.3.3): sends a real message, at once and unthrottled, through
   * every transport configured in notifications (SMTP, webhook), even while notifications.enabled
   * is off, and reports each transport's outcome. FAILED_PRECONDITION when no transport is configured.
   */
  SendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  SendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  SendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  SendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Send test message" (guide §7.3.3): sends a real message, at once and unthrottled, through
   * every transport configured in notifications (SMTP, webhook), even while notifications.enabled
   * is off, and reports each transport's outcome. FAILED_PRECONDITION when no transport is configured.
   */
  sendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  sendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  sendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  sendTestMessage(argument: _sparesync_v1_SendTestMessageRequest, callback: grpc.requestCallback<_sparesync_v1_SendTestMessageReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Changes settings (guide §7.1). The changes are applied to this agent's settings file and
   * validated with the same checks and messages as `sparesync config validate`; an invalid result
   * answers INVALID_ARGUMENT with one problem per line and changes nothing on either server.
   * Otherwise the changes of settings not marked x-local are sent to the peer (Link PushSettings)
   * unless this_server_only; then each file is written atomically. Settings marked
   * x-restartRequired, and settings this version reads only at start, take effect after Restart;
   * the others at once. With the link down only this server changes, and the reply says so (the
   * guide: settings changed without a connection are not synchronised later).
   */
  SetSettings(argument: _sparesync_v1_SetSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  SetSettings(argument: _sparesync_v1_SetSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  SetSettings(argument: _sparesync_v1_SetSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  SetSettings(argument: _sparesync_v1_SetSettingsRequest, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  /**
   * Changes settings (guide §7.1). The changes are applied to this agent's settings file and
   * validated with the same checks and messages as `sparesync config validate`; an invalid result
   * answers INVALID_ARGUMENT with one problem per line and changes nothing on either server.
   * Otherwise the changes of settings not marked x-local are sent to the peer (Link PushSettings)
   * unless this_server_only; then each file is written atomically. Settings marked
   * x-restartRequired, and settings this version reads only at start, take effect after Restart;
   * the others at once. With the link down only this server changes, and the reply says so (the
   * guide: settings changed without a connection are not synchronised later).
   */
  setSettings(argument: _sparesync_v1_SetSettingsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  setSettings(argument: _sparesync_v1_SetSettingsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  setSettings(argument: _sparesync_v1_SetSettingsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  setSettings(argument: _sparesync_v1_SetSettingsRequest, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Update test DNS-record" (guide §7.3.3): adds a test record through the configured DNS server
   * with the TSIG key, reads it back, deletes it and checks it is gone, without touching the
   * managed system's record. Each step is reported. FAILED_PRECONDITION when dns is not configured.
   */
  TestDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  TestDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  TestDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  TestDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Update test DNS-record" (guide §7.3.3): adds a test record through the configured DNS server
   * with the TSIG key, reads it back, deletes it and checks it is gone, without touching the
   * managed system's record. Each step is reported. FAILED_PRECONDITION when dns is not configured.
   */
  testDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  testDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  testDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  testDnsRecord(argument: _sparesync_v1_TestDnsRecordRequest, callback: grpc.requestCallback<_sparesync_v1_TestDnsRecordReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Turn off SpareSync" (guide §7.3.2, §8 TurnedOff): no replication and no switching until it is
   * turned on again; survives a restart of the agent. Acts on both servers unless
   * this_server_only: the agent called forwards the request to its peer over the link. With the
   * link down only this server is turned off, and the reply says so (ServerResult.reached false).
   */
  TurnOff(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  TurnOff(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  TurnOff(argument: _sparesync_v1_TurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  TurnOff(argument: _sparesync_v1_TurnRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Turn off SpareSync" (guide §7.3.2, §8 TurnedOff): no replication and no switching until it is
   * turned on again; survives a restart of the agent. Acts on both servers unless
   * this_server_only: the agent called forwards the request to its peer over the link. With the
   * link down only this server is turned off, and the reply says so (ServerResult.reached false).
   */
  turnOff(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  turnOff(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  turnOff(argument: _sparesync_v1_TurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  turnOff(argument: _sparesync_v1_TurnRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * "Turn on SpareSync": back to operation (Working, or Inactive while the peer is unreachable).
   * Clears fatal problems (the operator's word that they are fixed). Refused while configuration
   * errors remain. Acts on both servers unless this_server_only, as TurnOff.
   */
  TurnOn(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  TurnOn(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  TurnOn(argument: _sparesync_v1_TurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  TurnOn(argument: _sparesync_v1_TurnRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  /**
   * "Turn on SpareSync": back to operation (Working, or Inactive while the peer is unreachable).
   * Clears fatal problems (the operator's word that they are fixed). Refused while configuration
   * errors remain. Acts on both servers unless this_server_only, as TurnOff.
   */
  turnOn(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  turnOn(argument: _sparesync_v1_TurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  turnOn(argument: _sparesync_v1_TurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  turnOn(argument: _sparesync_v1_TurnRequest, callback: grpc.requestCallback<_sparesync_v1_OperatorReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * The Status of this agent once at the start, then again whenever something shown in it
   * changes (this agent's state or reason, a switch step, the peer's state, the link), and at
   * least every keepalive_seconds even when nothing changed, so a client can tell a quiet agent
   * from a dead connection. The stream runs until the client cancels it or the agent stops.
   */
  WatchStatus(argument: _sparesync_v1_WatchStatusRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sparesync_v1_StatusEvent__Output>;
  WatchStatus(argument: _sparesync_v1_WatchStatusRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sparesync_v1_StatusEvent__Output>;
  /**
   * The Status of this agent once at the start, then again whenever something shown in it
   * changes (this agent's state or reason, a switch step, the peer's state, the link), and at
   * least every keepalive_seconds even when nothing changed, so a client can tell a quiet agent
   * from a dead connection. The stream runs until the client cancels it or the agent stops.
   */
  watchStatus(argument: _sparesync_v1_WatchStatusRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sparesync_v1_StatusEvent__Output>;
  watchStatus(argument: _sparesync_v1_WatchStatusRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sparesync_v1_StatusEvent__Output>;
  
}

export interface ControlHandlers extends grpc.UntypedServiceImplementation {
  /**
   * "Fix synchronization state" (guide §7.3.2.6): the receiving database is marked in sync with
   * the sending one without copying. Only when both databases are known to be identical.
   */
  DbFixSyncState: grpc.handleUnaryCall<_sparesync_v1_DbFixSyncStateRequest__Output, _sparesync_v1_DbOperationReply>;
  
  /**
   * "Install scripts for database": installs or refreshes change capture on this agent's database
   * and sets the reinitialisation flag (the tables may have changed). Run it on both servers after
   * the first setup and after every change of the database structure.
   */
  DbInstallScripts: grpc.handleUnaryCall<_sparesync_v1_DbInstallScriptsRequest__Output, _sparesync_v1_DbOperationReply>;
  
  /**
   * Sets the reinitialisation flag (full copy of the tracked tables, primary -> secondary), or
   * with from_backup the flag for reinitialisation through a backup.
   */
  DbReinitialize: grpc.handleUnaryCall<_sparesync_v1_DbReinitializeRequest__Output, _sparesync_v1_DbOperationReply>;
  
  /**
   * Who this agent is: its name, role, version and certificate fingerprint (what a client pins),
   * and the fingerprint it pins for its peer. Any certificate of the pair CA may call it.
   */
  GetIdentity: grpc.handleUnaryCall<_sparesync_v1_GetIdentityRequest__Output, _sparesync_v1_Identity>;
  
  /**
   * The settings this agent runs with, defaults filled in, or one setting or group of them.
   * Read-only callers may call it too; for them the values that may hold credentials
   * (database.connectionString, notifications.webhook.url and .headers, notifications.smtp.user)
   * are replaced by the text "(redacted)". The settings file holds no passwords itself (they live
   * in the files named by *passwordFile and dns.tsig.secretFile).
   */
  GetSettings: grpc.handleUnaryCall<_sparesync_v1_GetSettingsRequest__Output, _sparesync_v1_GetSettingsReply>;
  
  /**
   * The state of this agent, of its peer as this agent sees it, and of the link between them.
   */
  GetStatus: grpc.handleUnaryCall<_sparesync_v1_GetStatusRequest__Output, _sparesync_v1_Status>;
  
  /**
   * "Mark checked" (guide §7.3.1): the operator has reviewed this agent's last shutdown
   * (Status.local.last_shutdown). FAILED_PRECONDITION when none is recorded yet. Operator role.
   */
  MarkShutdownChecked: grpc.handleUnaryCall<_sparesync_v1_MarkShutdownCheckedRequest__Output, _sparesync_v1_MarkShutdownCheckedReply>;
  
  /**
   * "Switch to primary/secondary server" (guide §7.3.2, §10): the request goes to this agent's
   * state machine, which decides; the reply carries its decision. Only the secondary's agent runs
   * switches (it holds the data to switch): on the primary the request is refused with that
   * reason. The state decides what it allows: no switch while SpareSync is turned off, no undo
   * without a switch under way or halted. accepted is true when the switch runs (started now, a
   * retry of a halted one, or already running; switch_id names that attempt) or when an undo
   * ended a switch before the epoch moved; follow it with WatchStatus or Status.local.last_switch.
   */
  RequestSwitch: grpc.handleUnaryCall<_sparesync_v1_RequestSwitchRequest__Output, _sparesync_v1_OperatorReply>;
  
  /**
   * "Restart SpareSync" (guide §7.3.2; needed after restart-required settings change). The agent
   * answers, stops as on SIGTERM (tells its peer it stops on purpose), and exits with code 75, which
   * tells its service manager to start it again (systemd: Restart=on-failure or
   * RestartForceExitStatus=75). Without a service manager the agent stays stopped.
   */
  Restart: grpc.handleUnaryCall<_sparesync_v1_RestartRequest__Output, _sparesync_v1_OperatorReply>;
  
  /**
   * "Send test message" (guide §7.3.3): sends a real message, at once and unthrottled, through
   * every transport configured in notifications (SMTP, webhook), even while notifications.enabled
   * is off, and reports each transport's outcome. FAILED_PRECONDITION when no transport is configured.
   */
  SendTestMessage: grpc.handleUnaryCall<_sparesync_v1_SendTestMessageRequest__Output, _sparesync_v1_SendTestMessageReply>;
  
  /**
   * Changes settings (guide §7.1). The changes are applied to this agent's settings file and
   * validated with the same checks and messages as `sparesync config validate`; an invalid result
   * answers INVALID_ARGUMENT with one problem per line and changes nothing on either server.
   * Otherwise the changes of settings not marked x-local are sent to the peer (Link PushSettings)
   * unless this_server_only; then each file is written atomically. Settings marked
   * x-restartRequired, and settings this version reads only at start, take effect after Restart;
   * the others at once. With the link down only this server changes, and the reply says so (the
   * guide: settings changed without a connection are not synchronised later).
   */
  SetSettings: grpc.handleUnaryCall<_sparesync_v1_SetSettingsRequest__Output, _sparesync_v1_SetSettingsReply>;
  
  /**
   * "Update test DNS-record" (guide §7.3.3): adds a test record through the configured DNS server
   * with the TSIG key, reads it back, deletes it and checks it is gone, without touching the
   * managed system's record. Each step is reported. FAILED_PRECONDITION when dns is not configured.
   */
  TestDnsRecord: grpc.handleUnaryCall<_sparesync_v1_TestDnsRecordRequest__Output, _sparesync_v1_TestDnsRecordReply>;
  
  /**
   * "Turn off SpareSync" (guide §7.3.2, §8 TurnedOff): no replication and no switching until it is
   * turned on again; survives a restart of the agent. Acts on both servers unless
   * this_server_only: the agent called forwards the request to its peer over the link. With the
   * link down only this server is turned off, and the reply says so (ServerResult.reached false).
   */
  TurnOff: grpc.handleUnaryCall<_sparesync_v1_TurnRequest__Output, _sparesync_v1_OperatorReply>;
  
  /**
   * "Turn on SpareSync": back to operation (Working, or Inactive while the peer is unreachable).
   * Clears fatal problems (the operator's word that they are fixed). Refused while configuration
   * errors remain. Acts on both servers unless this_server_only, as TurnOff.
   */
  TurnOn: grpc.handleUnaryCall<_sparesync_v1_TurnRequest__Output, _sparesync_v1_OperatorReply>;
  
  /**
   * The Status of this agent once at the start, then again whenever something shown in it
   * changes (this agent's state or reason, a switch step, the peer's state, the link), and at
   * least every keepalive_seconds even when nothing changed, so a client can tell a quiet agent
   * from a dead connection. The stream runs until the client cancels it or the agent stops.
   */
  WatchStatus: grpc.handleServerStreamingCall<_sparesync_v1_WatchStatusRequest__Output, _sparesync_v1_StatusEvent>;
  
}

export interface ControlDefinition extends grpc.ServiceDefinition {
  DbFixSyncState: MethodDefinition<_sparesync_v1_DbFixSyncStateRequest, _sparesync_v1_DbOperationReply, _sparesync_v1_DbFixSyncStateRequest__Output, _sparesync_v1_DbOperationReply__Output>
  DbInstallScripts: MethodDefinition<_sparesync_v1_DbInstallScriptsRequest, _sparesync_v1_DbOperationReply, _sparesync_v1_DbInstallScriptsRequest__Output, _sparesync_v1_DbOperationReply__Output>
  DbReinitialize: MethodDefinition<_sparesync_v1_DbReinitializeRequest, _sparesync_v1_DbOperationReply, _sparesync_v1_DbReinitializeRequest__Output, _sparesync_v1_DbOperationReply__Output>
  GetIdentity: MethodDefinition<_sparesync_v1_GetIdentityRequest, _sparesync_v1_Identity, _sparesync_v1_GetIdentityRequest__Output, _sparesync_v1_Identity__Output>
  GetSettings: MethodDefinition<_sparesync_v1_GetSettingsRequest, _sparesync_v1_GetSettingsReply, _sparesync_v1_GetSettingsRequest__Output, _sparesync_v1_GetSettingsReply__Output>
  GetStatus: MethodDefinition<_sparesync_v1_GetStatusRequest, _sparesync_v1_Status, _sparesync_v1_GetStatusRequest__Output, _sparesync_v1_Status__Output>
  MarkShutdownChecked: MethodDefinition<_sparesync_v1_MarkShutdownCheckedRequest, _sparesync_v1_MarkShutdownCheckedReply, _sparesync_v1_MarkShutdownCheckedRequest__Output, _sparesync_v1_MarkShutdownCheckedReply__Output>
  RequestSwitch: MethodDefinition<_sparesync_v1_RequestSwitchRequest, _sparesync_v1_OperatorReply, _sparesync_v1_RequestSwitchRequest__Output, _sparesync_v1_OperatorReply__Output>
  Restart: MethodDefinition<_sparesync_v1_RestartRequest, _sparesync_v1_OperatorReply, _sparesync_v1_RestartRequest__Output, _sparesync_v1_OperatorReply__Output>
  SendTestMessage: MethodDefinition<_sparesync_v1_SendTestMessageRequest, _sparesync_v1_SendTestMessageReply, _sparesync_v1_SendTestMessageRequest__Output, _sparesync_v1_SendTestMessageReply__Output>
  SetSettings: MethodDefinition<_sparesync_v1_SetSettingsRequest, _sparesync_v1_SetSettingsReply, _sparesync_v1_SetSettingsRequest__Output, _sparesync_v1_SetSettingsReply__Output>
  TestDnsRecord: MethodDefinition<_sparesync_v1_TestDnsRecordRequest, _sparesync_v1_TestDnsRecordReply, _sparesync_v1_TestDnsRecordRequest__Output, _sparesync_v1_TestDnsRecordReply__Output>
  TurnOff: MethodDefinition<_sparesync_v1_TurnRequest, _sparesync_v1_OperatorReply, _sparesync_v1_TurnRequest__Output, _sparesync_v1_OperatorReply__Output>
  TurnOn: MethodDefinition<_sparesync_v1_TurnRequest, _sparesync_v1_OperatorReply, _sparesync_v1_TurnRequest__Output, _sparesync_v1_OperatorReply__Output>
  WatchStatus: MethodDefinition<_sparesync_v1_WatchStatusRequest, _sparesync_v1_StatusEvent, _sparesync_v1_WatchStatusRequest__Output, _sparesync_v1_StatusEvent__Output>
}

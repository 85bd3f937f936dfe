import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BackupChunk as _sparesync_v1_BackupChunk, BackupChunk__Output as _sparesync_v1_BackupChunk__Output } from './sparesync/v1/BackupChunk';
import type { BatchedFile as _sparesync_v1_BatchedFile, BatchedFile__Output as _sparesync_v1_BatchedFile__Output } from './sparesync/v1/BatchedFile';
import type { Beat as _sparesync_v1_Beat, Beat__Output as _sparesync_v1_Beat__Output } from './sparesync/v1/Beat';
import type { ControlClient as _sparesync_v1_ControlClient, ControlDefinition as _sparesync_v1_ControlDefinition } from './sparesync/v1/Control';
import type { DatabaseStatus as _sparesync_v1_DatabaseStatus, DatabaseStatus__Output as _sparesync_v1_DatabaseStatus__Output } from './sparesync/v1/DatabaseStatus';
import type { DbFixSyncStateRequest as _sparesync_v1_DbFixSyncStateRequest, DbFixSyncStateRequest__Output as _sparesync_v1_DbFixSyncStateRequest__Output } from './sparesync/v1/DbFixSyncStateRequest';
import type { DbInstallScriptsRequest as _sparesync_v1_DbInstallScriptsRequest, DbInstallScriptsRequest__Output as _sparesync_v1_DbInstallScriptsRequest__Output } from './sparesync/v1/DbInstallScriptsRequest';
import type { DbOperationReply as _sparesync_v1_DbOperationReply, DbOperationReply__Output as _sparesync_v1_DbOperationReply__Output } from './sparesync/v1/DbOperationReply';
import type { DbReinitializeRequest as _sparesync_v1_DbReinitializeRequest, DbReinitializeRequest__Output as _sparesync_v1_DbReinitializeRequest__Output } from './sparesync/v1/DbReinitializeRequest';
import type { DnsTestStep as _sparesync_v1_DnsTestStep, DnsTestStep__Output as _sparesync_v1_DnsTestStep__Output } from './sparesync/v1/DnsTestStep';
import type { FileAck as _sparesync_v1_FileAck, FileAck__Output as _sparesync_v1_FileAck__Output } from './sparesync/v1/FileAck';
import type { FileBatch as _sparesync_v1_FileBatch, FileBatch__Output as _sparesync_v1_FileBatch__Output } from './sparesync/v1/FileBatch';
import type { FileBegin as _sparesync_v1_FileBegin, FileBegin__Output as _sparesync_v1_FileBegin__Output } from './sparesync/v1/FileBegin';
import type { FileChunk as _sparesync_v1_FileChunk, FileChunk__Output as _sparesync_v1_FileChunk__Output } from './sparesync/v1/FileChunk';
import type { FileEnd as _sparesync_v1_FileEnd, FileEnd__Output as _sparesync_v1_FileEnd__Output } from './sparesync/v1/FileEnd';
import type { FileEntry as _sparesync_v1_FileEntry, FileEntry__Output as _sparesync_v1_FileEntry__Output } from './sparesync/v1/FileEntry';
import type { FileFailure as _sparesync_v1_FileFailure, FileFailure__Output as _sparesync_v1_FileFailure__Output } from './sparesync/v1/FileFailure';
import type { FileFrame as _sparesync_v1_FileFrame, FileFrame__Output as _sparesync_v1_FileFrame__Output } from './sparesync/v1/FileFrame';
import type { FolderStatus as _sparesync_v1_FolderStatus, FolderStatus__Output as _sparesync_v1_FolderStatus__Output } from './sparesync/v1/FolderStatus';
import type { GetIdentityRequest as _sparesync_v1_GetIdentityRequest, GetIdentityRequest__Output as _sparesync_v1_GetIdentityRequest__Output } from './sparesync/v1/GetIdentityRequest';
import type { GetSettingsReply as _sparesync_v1_GetSettingsReply, GetSettingsReply__Output as _sparesync_v1_GetSettingsReply__Output } from './sparesync/v1/GetSettingsReply';
import type { GetSettingsRequest as _sparesync_v1_GetSettingsRequest, GetSettingsRequest__Output as _sparesync_v1_GetSettingsRequest__Output } from './sparesync/v1/GetSettingsRequest';
import type { GetStatusRequest as _sparesync_v1_GetStatusRequest, GetStatusRequest__Output as _sparesync_v1_GetStatusRequest__Output } from './sparesync/v1/GetStatusRequest';
import type { Goodbye as _sparesync_v1_Goodbye, Goodbye__Output as _sparesync_v1_Goodbye__Output } from './sparesync/v1/Goodbye';
import type { Hello as _sparesync_v1_Hello, Hello__Output as _sparesync_v1_Hello__Output } from './sparesync/v1/Hello';
import type { Identity as _sparesync_v1_Identity, Identity__Output as _sparesync_v1_Identity__Output } from './sparesync/v1/Identity';
import type { LinkClient as _sparesync_v1_LinkClient, LinkDefinition as _sparesync_v1_LinkDefinition } from './sparesync/v1/Link';
import type { LinkFrame as _sparesync_v1_LinkFrame, LinkFrame__Output as _sparesync_v1_LinkFrame__Output } from './sparesync/v1/LinkFrame';
import type { LinkStatus as _sparesync_v1_LinkStatus, LinkStatus__Output as _sparesync_v1_LinkStatus__Output } from './sparesync/v1/LinkStatus';
import type { ListFolder as _sparesync_v1_ListFolder, ListFolder__Output as _sparesync_v1_ListFolder__Output } from './sparesync/v1/ListFolder';
import type { LocalStatus as _sparesync_v1_LocalStatus, LocalStatus__Output as _sparesync_v1_LocalStatus__Output } from './sparesync/v1/LocalStatus';
import type { MarkShutdownCheckedReply as _sparesync_v1_MarkShutdownCheckedReply, MarkShutdownCheckedReply__Output as _sparesync_v1_MarkShutdownCheckedReply__Output } from './sparesync/v1/MarkShutdownCheckedReply';
import type { MarkShutdownCheckedRequest as _sparesync_v1_MarkShutdownCheckedRequest, MarkShutdownCheckedRequest__Output as _sparesync_v1_MarkShutdownCheckedRequest__Output } from './sparesync/v1/MarkShutdownCheckedRequest';
import type { NotifyTransportResult as _sparesync_v1_NotifyTransportResult, NotifyTransportResult__Output as _sparesync_v1_NotifyTransportResult__Output } from './sparesync/v1/NotifyTransportResult';
import type { OperatorReply as _sparesync_v1_OperatorReply, OperatorReply__Output as _sparesync_v1_OperatorReply__Output } from './sparesync/v1/OperatorReply';
import type { PeerTurnRequest as _sparesync_v1_PeerTurnRequest, PeerTurnRequest__Output as _sparesync_v1_PeerTurnRequest__Output } from './sparesync/v1/PeerTurnRequest';
import type { PrepareHandOverReply as _sparesync_v1_PrepareHandOverReply, PrepareHandOverReply__Output as _sparesync_v1_PrepareHandOverReply__Output } from './sparesync/v1/PrepareHandOverReply';
import type { PrepareHandOverRequest as _sparesync_v1_PrepareHandOverRequest, PrepareHandOverRequest__Output as _sparesync_v1_PrepareHandOverRequest__Output } from './sparesync/v1/PrepareHandOverRequest';
import type { Proof as _sparesync_v1_Proof, Proof__Output as _sparesync_v1_Proof__Output } from './sparesync/v1/Proof';
import type { ReinitBegin as _sparesync_v1_ReinitBegin, ReinitBegin__Output as _sparesync_v1_ReinitBegin__Output } from './sparesync/v1/ReinitBegin';
import type { ReinitProgress as _sparesync_v1_ReinitProgress, ReinitProgress__Output as _sparesync_v1_ReinitProgress__Output } from './sparesync/v1/ReinitProgress';
import type { RemoteStatus as _sparesync_v1_RemoteStatus, RemoteStatus__Output as _sparesync_v1_RemoteStatus__Output } from './sparesync/v1/RemoteStatus';
import type { RemovePath as _sparesync_v1_RemovePath, RemovePath__Output as _sparesync_v1_RemovePath__Output } from './sparesync/v1/RemovePath';
import type { RenamePath as _sparesync_v1_RenamePath, RenamePath__Output as _sparesync_v1_RenamePath__Output } from './sparesync/v1/RenamePath';
import type { RequestSwitchRequest as _sparesync_v1_RequestSwitchRequest, RequestSwitchRequest__Output as _sparesync_v1_RequestSwitchRequest__Output } from './sparesync/v1/RequestSwitchRequest';
import type { RestartRequest as _sparesync_v1_RestartRequest, RestartRequest__Output as _sparesync_v1_RestartRequest__Output } from './sparesync/v1/RestartRequest';
import type { RowAck as _sparesync_v1_RowAck, RowAck__Output as _sparesync_v1_RowAck__Output } from './sparesync/v1/RowAck';
import type { RowBatch as _sparesync_v1_RowBatch, RowBatch__Output as _sparesync_v1_RowBatch__Output } from './sparesync/v1/RowBatch';
import type { RowsHello as _sparesync_v1_RowsHello, RowsHello__Output as _sparesync_v1_RowsHello__Output } from './sparesync/v1/RowsHello';
import type { SendTestMessageReply as _sparesync_v1_SendTestMessageReply, SendTestMessageReply__Output as _sparesync_v1_SendTestMessageReply__Output } from './sparesync/v1/SendTestMessageReply';
import type { SendTestMessageRequest as _sparesync_v1_SendTestMessageRequest, SendTestMessageRequest__Output as _sparesync_v1_SendTestMessageRequest__Output } from './sparesync/v1/SendTestMessageRequest';
import type { ServerResult as _sparesync_v1_ServerResult, ServerResult__Output as _sparesync_v1_ServerResult__Output } from './sparesync/v1/ServerResult';
import type { SetPosition as _sparesync_v1_SetPosition, SetPosition__Output as _sparesync_v1_SetPosition__Output } from './sparesync/v1/SetPosition';
import type { SetSettingsReply as _sparesync_v1_SetSettingsReply, SetSettingsReply__Output as _sparesync_v1_SetSettingsReply__Output } from './sparesync/v1/SetSettingsReply';
import type { SetSettingsRequest as _sparesync_v1_SetSettingsRequest, SetSettingsRequest__Output as _sparesync_v1_SetSettingsRequest__Output } from './sparesync/v1/SetSettingsRequest';
import type { SettingChange as _sparesync_v1_SettingChange, SettingChange__Output as _sparesync_v1_SettingChange__Output } from './sparesync/v1/SettingChange';
import type { SettingOutcome as _sparesync_v1_SettingOutcome, SettingOutcome__Output as _sparesync_v1_SettingOutcome__Output } from './sparesync/v1/SettingOutcome';
import type { SettingsPush as _sparesync_v1_SettingsPush, SettingsPush__Output as _sparesync_v1_SettingsPush__Output } from './sparesync/v1/SettingsPush';
import type { ShutdownRecord as _sparesync_v1_ShutdownRecord, ShutdownRecord__Output as _sparesync_v1_ShutdownRecord__Output } from './sparesync/v1/ShutdownRecord';
import type { SignatureRequest as _sparesync_v1_SignatureRequest, SignatureRequest__Output as _sparesync_v1_SignatureRequest__Output } from './sparesync/v1/SignatureRequest';
import type { Status as _sparesync_v1_Status, Status__Output as _sparesync_v1_Status__Output } from './sparesync/v1/Status';
import type { StatusEvent as _sparesync_v1_StatusEvent, StatusEvent__Output as _sparesync_v1_StatusEvent__Output } from './sparesync/v1/StatusEvent';
import type { StatusSummary as _sparesync_v1_StatusSummary, StatusSummary__Output as _sparesync_v1_StatusSummary__Output } from './sparesync/v1/StatusSummary';
import type { SwitchLog as _sparesync_v1_SwitchLog, SwitchLog__Output as _sparesync_v1_SwitchLog__Output } from './sparesync/v1/SwitchLog';
import type { SwitchStep as _sparesync_v1_SwitchStep, SwitchStep__Output as _sparesync_v1_SwitchStep__Output } from './sparesync/v1/SwitchStep';
import type { TableRows as _sparesync_v1_TableRows, TableRows__Output as _sparesync_v1_TableRows__Output } from './sparesync/v1/TableRows';
import type { TestDnsRecordReply as _sparesync_v1_TestDnsRecordReply, TestDnsRecordReply__Output as _sparesync_v1_TestDnsRecordReply__Output } from './sparesync/v1/TestDnsRecordReply';
import type { TestDnsRecordRequest as _sparesync_v1_TestDnsRecordRequest, TestDnsRecordRequest__Output as _sparesync_v1_TestDnsRecordRequest__Output } from './sparesync/v1/TestDnsRecordRequest';
import type { Transition as _sparesync_v1_Transition, Transition__Output as _sparesync_v1_Transition__Output } from './sparesync/v1/Transition';
import type { TurnRequest as _sparesync_v1_TurnRequest, TurnRequest__Output as _sparesync_v1_TurnRequest__Output } from './sparesync/v1/TurnRequest';
import type { WatchStatusRequest as _sparesync_v1_WatchStatusRequest, WatchStatusRequest__Output as _sparesync_v1_WatchStatusRequest__Output } from './sparesync/v1/WatchStatusRequest';
import type { WitnessStatus as _sparesync_v1_WitnessStatus, WitnessStatus__Output as _sparesync_v1_WitnessStatus__Output } from './sparesync/v1/WitnessStatus';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sparesync: {
    v1: {
      AgentState: EnumTypeDefinition
      BackupChunk: MessageTypeDefinition<_sparesync_v1_BackupChunk, _sparesync_v1_BackupChunk__Output>
      BatchedFile: MessageTypeDefinition<_sparesync_v1_BatchedFile, _sparesync_v1_BatchedFile__Output>
      Beat: MessageTypeDefinition<_sparesync_v1_Beat, _sparesync_v1_Beat__Output>
      Control: SubtypeConstructor<typeof grpc.Client, _sparesync_v1_ControlClient> & { service: _sparesync_v1_ControlDefinition }
      DatabaseStatus: MessageTypeDefinition<_sparesync_v1_DatabaseStatus, _sparesync_v1_DatabaseStatus__Output>
      DbFixSyncStateRequest: MessageTypeDefinition<_sparesync_v1_DbFixSyncStateRequest, _sparesync_v1_DbFixSyncStateRequest__Output>
      DbInstallScriptsRequest: MessageTypeDefinition<_sparesync_v1_DbInstallScriptsRequest, _sparesync_v1_DbInstallScriptsRequest__Output>
      DbOperationReply: MessageTypeDefinition<_sparesync_v1_DbOperationReply, _sparesync_v1_DbOperationReply__Output>
      DbReinitializeRequest: MessageTypeDefinition<_sparesync_v1_DbReinitializeRequest, _sparesync_v1_DbReinitializeRequest__Output>
      DnsTestStep: MessageTypeDefinition<_sparesync_v1_DnsTestStep, _sparesync_v1_DnsTestStep__Output>
      FileAck: MessageTypeDefinition<_sparesync_v1_FileAck, _sparesync_v1_FileAck__Output>
      FileBatch: MessageTypeDefinition<_sparesync_v1_FileBatch, _sparesync_v1_FileBatch__Output>
      FileBegin: MessageTypeDefinition<_sparesync_v1_FileBegin, _sparesync_v1_FileBegin__Output>
      FileChunk: MessageTypeDefinition<_sparesync_v1_FileChunk, _sparesync_v1_FileChunk__Output>
      FileEnd: MessageTypeDefinition<_sparesync_v1_FileEnd, _sparesync_v1_FileEnd__Output>
      FileEntry: MessageTypeDefinition<_sparesync_v1_FileEntry, _sparesync_v1_FileEntry__Output>
      FileFailure: MessageTypeDefinition<_sparesync_v1_FileFailure, _sparesync_v1_FileFailure__Output>
      FileFrame: MessageTypeDefinition<_sparesync_v1_FileFrame, _sparesync_v1_FileFrame__Output>
      FolderStatus: MessageTypeDefinition<_sparesync_v1_FolderStatus, _sparesync_v1_FolderStatus__Output>
      GetIdentityRequest: MessageTypeDefinition<_sparesync_v1_GetIdentityRequest, _sparesync_v1_GetIdentityRequest__Output>
      GetSettingsReply: MessageTypeDefinition<_sparesync_v1_GetSettingsReply, _sparesync_v1_GetSettingsReply__Output>
      GetSettingsRequest: MessageTypeDefinition<_sparesync_v1_GetSettingsRequest, _sparesync_v1_GetSettingsRequest__Output>
      GetStatusRequest: MessageTypeDefinition<_sparesync_v1_GetStatusRequest, _sparesync_v1_GetStatusRequest__Output>
      Goodbye: MessageTypeDefinition<_sparesync_v1_Goodbye, _sparesync_v1_Goodbye__Output>
      Hello: MessageTypeDefinition<_sparesync_v1_Hello, _sparesync_v1_Hello__Output>
      Identity: MessageTypeDefinition<_sparesync_v1_Identity, _sparesync_v1_Identity__Output>
      Link: SubtypeConstructor<typeof grpc.Client, _sparesync_v1_LinkClient> & { service: _sparesync_v1_LinkDefinition }
      LinkFrame: MessageTypeDefinition<_sparesync_v1_LinkFrame, _sparesync_v1_LinkFrame__Output>
      LinkStatus: MessageTypeDefinition<_sparesync_v1_LinkStatus, _sparesync_v1_LinkStatus__Output>
      ListFolder: MessageTypeDefinition<_sparesync_v1_ListFolder, _sparesync_v1_ListFolder__Output>
      LocalStatus: MessageTypeDefinition<_sparesync_v1_LocalStatus, _sparesync_v1_LocalStatus__Output>
      MarkShutdownCheckedReply: MessageTypeDefinition<_sparesync_v1_MarkShutdownCheckedReply, _sparesync_v1_MarkShutdownCheckedReply__Output>
      MarkShutdownCheckedRequest: MessageTypeDefinition<_sparesync_v1_MarkShutdownCheckedRequest, _sparesync_v1_MarkShutdownCheckedRequest__Output>
      NotifyTransportResult: MessageTypeDefinition<_sparesync_v1_NotifyTransportResult, _sparesync_v1_NotifyTransportResult__Output>
      OperatorReply: MessageTypeDefinition<_sparesync_v1_OperatorReply, _sparesync_v1_OperatorReply__Output>
      PeerTurnRequest: MessageTypeDefinition<_sparesync_v1_PeerTurnRequest, _sparesync_v1_PeerTurnRequest__Output>
      PrepareHandOverReply: MessageTypeDefinition<_sparesync_v1_PrepareHandOverReply, _sparesync_v1_PrepareHandOverReply__Output>
      PrepareHandOverRequest: MessageTypeDefinition<_sparesync_v1_PrepareHandOverRequest, _sparesync_v1_PrepareHandOverRequest__Output>
      Proof: MessageTypeDefinition<_sparesync_v1_Proof, _sparesync_v1_Proof__Output>
      ReinitBegin: MessageTypeDefinition<_sparesync_v1_ReinitBegin, _sparesync_v1_ReinitBegin__Output>
      ReinitProgress: MessageTypeDefinition<_sparesync_v1_ReinitProgress, _sparesync_v1_ReinitProgress__Output>
      RemoteStatus: MessageTypeDefinition<_sparesync_v1_RemoteStatus, _sparesync_v1_RemoteStatus__Output>
      RemovePath: MessageTypeDefinition<_sparesync_v1_RemovePath, _sparesync_v1_RemovePath__Output>
      RenamePath: MessageTypeDefinition<_sparesync_v1_RenamePath, _sparesync_v1_RenamePath__Output>
      RequestSwitchRequest: MessageTypeDefinition<_sparesync_v1_RequestSwitchRequest, _sparesync_v1_RequestSwitchRequest__Output>
      RestartRequest: MessageTypeDefinition<_sparesync_v1_RestartRequest, _sparesync_v1_RestartRequest__Output>
      RowAck: MessageTypeDefinition<_sparesync_v1_RowAck, _sparesync_v1_RowAck__Output>
      RowBatch: MessageTypeDefinition<_sparesync_v1_RowBatch, _sparesync_v1_RowBatch__Output>
      RowsHello: MessageTypeDefinition<_sparesync_v1_RowsHello, _sparesync_v1_RowsHello__Output>
      SendTestMessageReply: MessageTypeDefinition<_sparesync_v1_SendTestMessageReply, _sparesync_v1_SendTestMessageReply__Output>
      SendTestMessageRequest: MessageTypeDefinition<_sparesync_v1_SendTestMessageRequest, _sparesync_v1_SendTestMessageRequest__Output>
      ServerResult: MessageTypeDefinition<_sparesync_v1_ServerResult, _sparesync_v1_ServerResult__Output>
      SetPosition: MessageTypeDefinition<_sparesync_v1_SetPosition, _sparesync_v1_SetPosition__Output>
      SetSettingsReply: MessageTypeDefinition<_sparesync_v1_SetSettingsReply, _sparesync_v1_SetSettingsReply__Output>
      SetSettingsRequest: MessageTypeDefinition<_sparesync_v1_SetSettingsRequest, _sparesync_v1_SetSettingsRequest__Output>
      SettingChange: MessageTypeDefinition<_sparesync_v1_SettingChange, _sparesync_v1_SettingChange__Output>
      SettingOutcome: MessageTypeDefinition<_sparesync_v1_SettingOutcome, _sparesync_v1_SettingOutcome__Output>
      SettingsPush: MessageTypeDefinition<_sparesync_v1_SettingsPush, _sparesync_v1_SettingsPush__Output>
      ShutdownRecord: MessageTypeDefinition<_sparesync_v1_ShutdownRecord, _sparesync_v1_ShutdownRecord__Output>
      SignatureRequest: MessageTypeDefinition<_sparesync_v1_SignatureRequest, _sparesync_v1_SignatureRequest__Output>
      Status: MessageTypeDefinition<_sparesync_v1_Status, _sparesync_v1_Status__Output>
      StatusEvent: MessageTypeDefinition<_sparesync_v1_StatusEvent, _sparesync_v1_StatusEvent__Output>
      StatusSummary: MessageTypeDefinition<_sparesync_v1_StatusSummary, _sparesync_v1_StatusSummary__Output>
      SwitchLog: MessageTypeDefinition<_sparesync_v1_SwitchLog, _sparesync_v1_SwitchLog__Output>
      SwitchPhase: EnumTypeDefinition
      SwitchStep: MessageTypeDefinition<_sparesync_v1_SwitchStep, _sparesync_v1_SwitchStep__Output>
      TableRows: MessageTypeDefinition<_sparesync_v1_TableRows, _sparesync_v1_TableRows__Output>
      TestDnsRecordReply: MessageTypeDefinition<_sparesync_v1_TestDnsRecordReply, _sparesync_v1_TestDnsRecordReply__Output>
      TestDnsRecordRequest: MessageTypeDefinition<_sparesync_v1_TestDnsRecordRequest, _sparesync_v1_TestDnsRecordRequest__Output>
      Transition: MessageTypeDefinition<_sparesync_v1_Transition, _sparesync_v1_Transition__Output>
      TurnRequest: MessageTypeDefinition<_sparesync_v1_TurnRequest, _sparesync_v1_TurnRequest__Output>
      WatchStatusRequest: MessageTypeDefinition<_sparesync_v1_WatchStatusRequest, _sparesync_v1_WatchStatusRequest__Output>
      WitnessStatus: MessageTypeDefinition<_sparesync_v1_WitnessStatus, _sparesync_v1_WitnessStatus__Output>
    }
  }
}


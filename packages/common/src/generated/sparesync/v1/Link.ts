// Original file: proto/sparesync.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { FileAck as _sparesync_v1_FileAck, FileAck__Output as _sparesync_v1_FileAck__Output } from '../../sparesync/v1/FileAck';
import type { FileFrame as _sparesync_v1_FileFrame, FileFrame__Output as _sparesync_v1_FileFrame__Output } from '../../sparesync/v1/FileFrame';
import type { LinkFrame as _sparesync_v1_LinkFrame, LinkFrame__Output as _sparesync_v1_LinkFrame__Output } from '../../sparesync/v1/LinkFrame';
import type { PeerTurnRequest as _sparesync_v1_PeerTurnRequest, PeerTurnRequest__Output as _sparesync_v1_PeerTurnRequest__Output } from '../../sparesync/v1/PeerTurnRequest';
import type { PrepareHandOverReply as _sparesync_v1_PrepareHandOverReply, PrepareHandOverReply__Output as _sparesync_v1_PrepareHandOverReply__Output } from '../../sparesync/v1/PrepareHandOverReply';
import type { PrepareHandOverRequest as _sparesync_v1_PrepareHandOverRequest, PrepareHandOverRequest__Output as _sparesync_v1_PrepareHandOverRequest__Output } from '../../sparesync/v1/PrepareHandOverRequest';
import type { RowAck as _sparesync_v1_RowAck, RowAck__Output as _sparesync_v1_RowAck__Output } from '../../sparesync/v1/RowAck';
import type { RowBatch as _sparesync_v1_RowBatch, RowBatch__Output as _sparesync_v1_RowBatch__Output } from '../../sparesync/v1/RowBatch';
import type { ServerResult as _sparesync_v1_ServerResult, ServerResult__Output as _sparesync_v1_ServerResult__Output } from '../../sparesync/v1/ServerResult';
import type { SetSettingsReply as _sparesync_v1_SetSettingsReply, SetSettingsReply__Output as _sparesync_v1_SetSettingsReply__Output } from '../../sparesync/v1/SetSettingsReply';
import type { SettingsPush as _sparesync_v1_SettingsPush, SettingsPush__Output as _sparesync_v1_SettingsPush__Output } from '../../sparesync/v1/SettingsPush';

export interface LinkClient extends grpc.Client {
  /**
   * File replication, from the side that serves (sender, the caller) to the other (receiver).
   * One stream carries one folder pair; a sender may open several for parallel transfers
   * (network.maxConnections). Every FileFrame with an id is answered by FileAck frames with the
   * same id (several for a manifest or a signature, the last one with last = true); chunk and end
   * frames belong to the transfer named by their id. The receiver applies a stream's frames in
   * order, one at a time, and refuses the whole stream when a frame's epoch is lower than its own.
   */
  Files(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_FileFrame, _sparesync_v1_FileAck__Output>;
  Files(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_FileFrame, _sparesync_v1_FileAck__Output>;
  /**
   * File replication, from the side that serves (sender, the caller) to the other (receiver).
   * One stream carries one folder pair; a sender may open several for parallel transfers
   * (network.maxConnections). Every FileFrame with an id is answered by FileAck frames with the
   * same id (several for a manifest or a signature, the last one with last = true); chunk and end
   * frames belong to the transfer named by their id. The receiver applies a stream's frames in
   * order, one at a time, and refuses the whole stream when a frame's epoch is lower than its own.
   */
  files(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_FileFrame, _sparesync_v1_FileAck__Output>;
  files(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_FileFrame, _sparesync_v1_FileAck__Output>;
  
  /**
   * The liveness and handshake stream. Each agent dials its peer and opens one Heartbeat stream;
   * the dialling side ("client") sends Hello first, the serving side answers with Hello, the client
   * answers with Proof, and from then on both sides send Beat frames at the heartbeat interval.
   * A side that shuts down on purpose sends Goodbye before closing.
   */
  Heartbeat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_LinkFrame, _sparesync_v1_LinkFrame__Output>;
  Heartbeat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_LinkFrame, _sparesync_v1_LinkFrame__Output>;
  /**
   * The liveness and handshake stream. Each agent dials its peer and opens one Heartbeat stream;
   * the dialling side ("client") sends Hello first, the serving side answers with Hello, the client
   * answers with Proof, and from then on both sides send Beat frames at the heartbeat interval.
   * A side that shuts down on purpose sends Goodbye before closing.
   */
  heartbeat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_LinkFrame, _sparesync_v1_LinkFrame__Output>;
  heartbeat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_LinkFrame, _sparesync_v1_LinkFrame__Output>;
  
  /**
   * Turning SpareSync off or on for the pair: the agent the operator asked forwards the request
   * to its peer, which feeds it to its own state machine (OperatorTurnedOff / OperatorTurnedOn).
   */
  PeerTurn(argument: _sparesync_v1_PeerTurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  PeerTurn(argument: _sparesync_v1_PeerTurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  PeerTurn(argument: _sparesync_v1_PeerTurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  PeerTurn(argument: _sparesync_v1_PeerTurnRequest, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  /**
   * Turning SpareSync off or on for the pair: the agent the operator asked forwards the request
   * to its peer, which feeds it to its own state machine (OperatorTurnedOff / OperatorTurnedOn).
   */
  peerTurn(argument: _sparesync_v1_PeerTurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  peerTurn(argument: _sparesync_v1_PeerTurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  peerTurn(argument: _sparesync_v1_PeerTurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  peerTurn(argument: _sparesync_v1_PeerTurnRequest, callback: grpc.requestCallback<_sparesync_v1_ServerResult__Output>): grpc.ClientUnaryCall;
  
  /**
   * A planned switch to the secondary (step hand-over): the secondary asks the primary, which
   * writes its offline marker, stops its managed system and waits until replication holds nothing
   * the secondary lacks (system.reverseSyncTimeoutSeconds). FAILED_PRECONDITION when the primary
   * does not hold the epoch or cannot drain (it then serves again). If the epoch has not moved to
   * the secondary 60 s after the reply, the primary starts its managed system again.
   */
  PrepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  PrepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  PrepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  PrepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  /**
   * A planned switch to the secondary (step hand-over): the secondary asks the primary, which
   * writes its offline marker, stops its managed system and waits until replication holds nothing
   * the secondary lacks (system.reverseSyncTimeoutSeconds). FAILED_PRECONDITION when the primary
   * does not hold the epoch or cannot drain (it then serves again). If the epoch has not moved to
   * the secondary 60 s after the reply, the primary starts its managed system again.
   */
  prepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  prepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  prepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  prepareHandOver(argument: _sparesync_v1_PrepareHandOverRequest, callback: grpc.requestCallback<_sparesync_v1_PrepareHandOverReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Settings sync (guide §7.1): the agent that an operator changed settings on sends the changes
   * of settings that are not marked x-local; the receiver validates them against its own file
   * with the same checks as `sparesync config validate`, writes the file atomically and applies
   * what it can live. A refused change answers INVALID_ARGUMENT with the problems, one per line,
   * and changes nothing; the sender then changes nothing either.
   */
  PushSettings(argument: _sparesync_v1_SettingsPush, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  PushSettings(argument: _sparesync_v1_SettingsPush, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  PushSettings(argument: _sparesync_v1_SettingsPush, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  PushSettings(argument: _sparesync_v1_SettingsPush, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  /**
   * Settings sync (guide §7.1): the agent that an operator changed settings on sends the changes
   * of settings that are not marked x-local; the receiver validates them against its own file
   * with the same checks as `sparesync config validate`, writes the file atomically and applies
   * what it can live. A refused change answers INVALID_ARGUMENT with the problems, one per line,
   * and changes nothing; the sender then changes nothing either.
   */
  pushSettings(argument: _sparesync_v1_SettingsPush, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  pushSettings(argument: _sparesync_v1_SettingsPush, metadata: grpc.Metadata, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  pushSettings(argument: _sparesync_v1_SettingsPush, options: grpc.CallOptions, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  pushSettings(argument: _sparesync_v1_SettingsPush, callback: grpc.requestCallback<_sparesync_v1_SetSettingsReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Database row replication (the sending side -> the receiving side, see RowBatch). The sender
   * opens the stream and writes one RowBatch at a time; the receiver answers every frame with
   * exactly one RowAck after it has handled it (for row data: after its database committed the rows
   * together with the new position), and only then does the sender trim its change log. A frame from
   * a lower epoch than the receiver's ends the stream with FAILED_PRECONDITION; a receiver that is
   * not receiving now (it sends itself, or replication is off) ends it with UNAVAILABLE.
   */
  Rows(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_RowBatch, _sparesync_v1_RowAck__Output>;
  Rows(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_RowBatch, _sparesync_v1_RowAck__Output>;
  /**
   * Database row replication (the sending side -> the receiving side, see RowBatch). The sender
   * opens the stream and writes one RowBatch at a time; the receiver answers every frame with
   * exactly one RowAck after it has handled it (for row data: after its database committed the rows
   * together with the new position), and only then does the sender trim its change log. A frame from
   * a lower epoch than the receiver's ends the stream with FAILED_PRECONDITION; a receiver that is
   * not receiving now (it sends itself, or replication is off) ends it with UNAVAILABLE.
   */
  rows(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_RowBatch, _sparesync_v1_RowAck__Output>;
  rows(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sparesync_v1_RowBatch, _sparesync_v1_RowAck__Output>;
  
}

export interface LinkHandlers extends grpc.UntypedServiceImplementation {
  /**
   * File replication, from the side that serves (sender, the caller) to the other (receiver).
   * One stream carries one folder pair; a sender may open several for parallel transfers
   * (network.maxConnections). Every FileFrame with an id is answered by FileAck frames with the
   * same id (several for a manifest or a signature, the last one with last = true); chunk and end
   * frames belong to the transfer named by their id. The receiver applies a stream's frames in
   * order, one at a time, and refuses the whole stream when a frame's epoch is lower than its own.
   */
  Files: grpc.handleBidiStreamingCall<_sparesync_v1_FileFrame__Output, _sparesync_v1_FileAck>;
  
  /**
   * The liveness and handshake stream. Each agent dials its peer and opens one Heartbeat stream;
   * the dialling side ("client") sends Hello first, the serving side answers with Hello, the client
   * answers with Proof, and from then on both sides send Beat frames at the heartbeat interval.
   * A side that shuts down on purpose sends Goodbye before closing.
   */
  Heartbeat: grpc.handleBidiStreamingCall<_sparesync_v1_LinkFrame__Output, _sparesync_v1_LinkFrame>;
  
  /**
   * Turning SpareSync off or on for the pair: the agent the operator asked forwards the request
   * to its peer, which feeds it to its own state machine (OperatorTurnedOff / OperatorTurnedOn).
   */
  PeerTurn: grpc.handleUnaryCall<_sparesync_v1_PeerTurnRequest__Output, _sparesync_v1_ServerResult>;
  
  /**
   * A planned switch to the secondary (step hand-over): the secondary asks the primary, which
   * writes its offline marker, stops its managed system and waits until replication holds nothing
   * the secondary lacks (system.reverseSyncTimeoutSeconds). FAILED_PRECONDITION when the primary
   * does not hold the epoch or cannot drain (it then serves again). If the epoch has not moved to
   * the secondary 60 s after the reply, the primary starts its managed system again.
   */
  PrepareHandOver: grpc.handleUnaryCall<_sparesync_v1_PrepareHandOverRequest__Output, _sparesync_v1_PrepareHandOverReply>;
  
  /**
   * Settings sync (guide §7.1): the agent that an operator changed settings on sends the changes
   * of settings that are not marked x-local; the receiver validates them against its own file
   * with the same checks as `sparesync config validate`, writes the file atomically and applies
   * what it can live. A refused change answers INVALID_ARGUMENT with the problems, one per line,
   * and changes nothing; the sender then changes nothing either.
   */
  PushSettings: grpc.handleUnaryCall<_sparesync_v1_SettingsPush__Output, _sparesync_v1_SetSettingsReply>;
  
  /**
   * Database row replication (the sending side -> the receiving side, see RowBatch). The sender
   * opens the stream and writes one RowBatch at a time; the receiver answers every frame with
   * exactly one RowAck after it has handled it (for row data: after its database committed the rows
   * together with the new position), and only then does the sender trim its change log. A frame from
   * a lower epoch than the receiver's ends the stream with FAILED_PRECONDITION; a receiver that is
   * not receiving now (it sends itself, or replication is off) ends it with UNAVAILABLE.
   */
  Rows: grpc.handleBidiStreamingCall<_sparesync_v1_RowBatch__Output, _sparesync_v1_RowAck>;
  
}

export interface LinkDefinition extends grpc.ServiceDefinition {
  Files: MethodDefinition<_sparesync_v1_FileFrame, _sparesync_v1_FileAck, _sparesync_v1_FileFrame__Output, _sparesync_v1_FileAck__Output>
  Heartbeat: MethodDefinition<_sparesync_v1_LinkFrame, _sparesync_v1_LinkFrame, _sparesync_v1_LinkFrame__Output, _sparesync_v1_LinkFrame__Output>
  PeerTurn: MethodDefinition<_sparesync_v1_PeerTurnRequest, _sparesync_v1_ServerResult, _sparesync_v1_PeerTurnRequest__Output, _sparesync_v1_ServerResult__Output>
  PrepareHandOver: MethodDefinition<_sparesync_v1_PrepareHandOverRequest, _sparesync_v1_PrepareHandOverReply, _sparesync_v1_PrepareHandOverRequest__Output, _sparesync_v1_PrepareHandOverReply__Output>
  PushSettings: MethodDefinition<_sparesync_v1_SettingsPush, _sparesync_v1_SetSettingsReply, _sparesync_v1_SettingsPush__Output, _sparesync_v1_SetSettingsReply__Output>
  Rows: MethodDefinition<_sparesync_v1_RowBatch, _sparesync_v1_RowAck, _sparesync_v1_RowBatch__Output, _sparesync_v1_RowAck__Output>
}

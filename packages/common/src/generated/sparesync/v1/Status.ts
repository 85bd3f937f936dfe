// Original file: proto/sparesync.proto

import type { LocalStatus as _sparesync_v1_LocalStatus, LocalStatus__Output as _sparesync_v1_LocalStatus__Output } from '../../sparesync/v1/LocalStatus';
import type { RemoteStatus as _sparesync_v1_RemoteStatus, RemoteStatus__Output as _sparesync_v1_RemoteStatus__Output } from '../../sparesync/v1/RemoteStatus';
import type { LinkStatus as _sparesync_v1_LinkStatus, LinkStatus__Output as _sparesync_v1_LinkStatus__Output } from '../../sparesync/v1/LinkStatus';
import type { Transition as _sparesync_v1_Transition, Transition__Output as _sparesync_v1_Transition__Output } from '../../sparesync/v1/Transition';
import type { FolderStatus as _sparesync_v1_FolderStatus, FolderStatus__Output as _sparesync_v1_FolderStatus__Output } from '../../sparesync/v1/FolderStatus';
import type { DatabaseStatus as _sparesync_v1_DatabaseStatus, DatabaseStatus__Output as _sparesync_v1_DatabaseStatus__Output } from '../../sparesync/v1/DatabaseStatus';
import type { WitnessStatus as _sparesync_v1_WitnessStatus, WitnessStatus__Output as _sparesync_v1_WitnessStatus__Output } from '../../sparesync/v1/WitnessStatus';

export interface Status {
  'local'?: (_sparesync_v1_LocalStatus | null);
  'remote'?: (_sparesync_v1_RemoteStatus | null);
  'link'?: (_sparesync_v1_LinkStatus | null);
  /**
   * Most recent state transitions, oldest first (bounded).
   */
  'history'?: (_sparesync_v1_Transition)[];
  /**
   * File replication figures, one per folder pair (settings folders).
   */
  'folders'?: (_sparesync_v1_FolderStatus)[];
  /**
   * Database replication on this agent (engine "none" when it is off).
   */
  'database'?: (_sparesync_v1_DatabaseStatus | null);
  /**
   * The witness on etcd (issue 15); unset on an agent without settings.witness. Numbered 15 so
   * that fields added by other work keep the low numbers.
   */
  'witness'?: (_sparesync_v1_WitnessStatus | null);
}

export interface Status__Output {
  'local': (_sparesync_v1_LocalStatus__Output | null);
  'remote': (_sparesync_v1_RemoteStatus__Output | null);
  'link': (_sparesync_v1_LinkStatus__Output | null);
  /**
   * Most recent state transitions, oldest first (bounded).
   */
  'history': (_sparesync_v1_Transition__Output)[];
  /**
   * File replication figures, one per folder pair (settings folders).
   */
  'folders': (_sparesync_v1_FolderStatus__Output)[];
  /**
   * Database replication on this agent (engine "none" when it is off).
   */
  'database': (_sparesync_v1_DatabaseStatus__Output | null);
  /**
   * The witness on etcd (issue 15); unset on an agent without settings.witness. Numbered 15 so
   * that fields added by other work keep the low numbers.
   */
  'witness': (_sparesync_v1_WitnessStatus__Output | null);
}

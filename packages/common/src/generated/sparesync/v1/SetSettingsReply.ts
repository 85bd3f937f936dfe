// Original file: proto/sparesync.proto

import type { SettingOutcome as _sparesync_v1_SettingOutcome, SettingOutcome__Output as _sparesync_v1_SettingOutcome__Output } from '../../sparesync/v1/SettingOutcome';

export interface SetSettingsReply {
  /**
   * One sentence: what changed where, and whether a restart is needed.
   */
  'message'?: (string);
  /**
   * The file written (absolute path).
   */
  'file'?: (string);
  /**
   * Settings of this server whose effective value changed (empty when nothing changed).
   */
  'settings'?: (_sparesync_v1_SettingOutcome)[];
  /**
   * True when some change takes effect only after Restart on this server.
   */
  'restartRequired'?: (boolean);
  /**
   * The peer: "updated", "unchanged" (its values already matched), "not sent: only local settings
   * changed", "not sent: this_server_only", "not reached: ..." (the link is down: only this server
   * changed), or "dry run".
   */
  'peer'?: (string);
  /**
   * The peer's own outcome when it was updated.
   */
  'peerSettings'?: (_sparesync_v1_SettingOutcome)[];
  'peerRestartRequired'?: (boolean);
  'dryRun'?: (boolean);
}

export interface SetSettingsReply__Output {
  /**
   * One sentence: what changed where, and whether a restart is needed.
   */
  'message': (string);
  /**
   * The file written (absolute path).
   */
  'file': (string);
  /**
   * Settings of this server whose effective value changed (empty when nothing changed).
   */
  'settings': (_sparesync_v1_SettingOutcome__Output)[];
  /**
   * True when some change takes effect only after Restart on this server.
   */
  'restartRequired': (boolean);
  /**
   * The peer: "updated", "unchanged" (its values already matched), "not sent: only local settings
   * changed", "not sent: this_server_only", "not reached: ..." (the link is down: only this server
   * changed), or "dry run".
   */
  'peer': (string);
  /**
   * The peer's own outcome when it was updated.
   */
  'peerSettings': (_sparesync_v1_SettingOutcome__Output)[];
  'peerRestartRequired': (boolean);
  'dryRun': (boolean);
}

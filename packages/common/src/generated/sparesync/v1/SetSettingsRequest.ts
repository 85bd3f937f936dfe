// Original file: proto/sparesync.proto

import type { SettingChange as _sparesync_v1_SettingChange, SettingChange__Output as _sparesync_v1_SettingChange__Output } from '../../sparesync/v1/SettingChange';

export interface SetSettingsRequest {
  'changes'?: (_sparesync_v1_SettingChange)[];
  /**
   * Change this server only (the guide's "Save only in the primary/secondary" flag).
   */
  'thisServerOnly'?: (boolean);
  /**
   * Validate and report what would change; write nothing on either server.
   */
  'dryRun'?: (boolean);
}

export interface SetSettingsRequest__Output {
  'changes': (_sparesync_v1_SettingChange__Output)[];
  /**
   * Change this server only (the guide's "Save only in the primary/secondary" flag).
   */
  'thisServerOnly': (boolean);
  /**
   * Validate and report what would change; write nothing on either server.
   */
  'dryRun': (boolean);
}

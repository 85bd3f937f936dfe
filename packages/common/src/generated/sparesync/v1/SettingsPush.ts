// Original file: proto/sparesync.proto

import type { SettingChange as _sparesync_v1_SettingChange, SettingChange__Output as _sparesync_v1_SettingChange__Output } from '../../sparesync/v1/SettingChange';

/**
 * Link PushSettings: settings changed on the sending agent, x-local ones left out.
 */
export interface SettingsPush {
  'changes'?: (_sparesync_v1_SettingChange)[];
  /**
   * The sender's role and name, for the receiver's log.
   */
  'fromRole'?: (string);
  'fromName'?: (string);
  /**
   * Validate only; write nothing.
   */
  'dryRun'?: (boolean);
}

/**
 * Link PushSettings: settings changed on the sending agent, x-local ones left out.
 */
export interface SettingsPush__Output {
  'changes': (_sparesync_v1_SettingChange__Output)[];
  /**
   * The sender's role and name, for the receiver's log.
   */
  'fromRole': (string);
  'fromName': (string);
  /**
   * Validate only; write nothing.
   */
  'dryRun': (boolean);
}

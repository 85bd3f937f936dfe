// Original file: proto/sparesync.proto

import type { Hello as _sparesync_v1_Hello, Hello__Output as _sparesync_v1_Hello__Output } from '../../sparesync/v1/Hello';
import type { Proof as _sparesync_v1_Proof, Proof__Output as _sparesync_v1_Proof__Output } from '../../sparesync/v1/Proof';
import type { Beat as _sparesync_v1_Beat, Beat__Output as _sparesync_v1_Beat__Output } from '../../sparesync/v1/Beat';
import type { Goodbye as _sparesync_v1_Goodbye, Goodbye__Output as _sparesync_v1_Goodbye__Output } from '../../sparesync/v1/Goodbye';

/**
 * One frame on the Heartbeat stream.
 */
export interface LinkFrame {
  'hello'?: (_sparesync_v1_Hello | null);
  'proof'?: (_sparesync_v1_Proof | null);
  'beat'?: (_sparesync_v1_Beat | null);
  'goodbye'?: (_sparesync_v1_Goodbye | null);
  'body'?: "hello"|"proof"|"beat"|"goodbye";
}

/**
 * One frame on the Heartbeat stream.
 */
export interface LinkFrame__Output {
  'hello'?: (_sparesync_v1_Hello__Output | null);
  'proof'?: (_sparesync_v1_Proof__Output | null);
  'beat'?: (_sparesync_v1_Beat__Output | null);
  'goodbye'?: (_sparesync_v1_Goodbye__Output | null);
  'body'?: "hello"|"proof"|"beat"|"goodbye";
}

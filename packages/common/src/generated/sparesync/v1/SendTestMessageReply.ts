// Original file: proto/sparesync.proto

import type { NotifyTransportResult as _sparesync_v1_NotifyTransportResult, NotifyTransportResult__Output as _sparesync_v1_NotifyTransportResult__Output } from '../../sparesync/v1/NotifyTransportResult';

export interface SendTestMessageReply {
  /**
   * True when every configured transport delivered the message.
   */
  'sent'?: (boolean);
  /**
   * One sentence: what was done (how many transports delivered, whether notifications.enabled is on).
   */
  'message'?: (string);
  /**
   * One entry per configured transport, in the order smtp, webhook.
   */
  'transports'?: (_sparesync_v1_NotifyTransportResult)[];
}

export interface SendTestMessageReply__Output {
  /**
   * True when every configured transport delivered the message.
   */
  'sent': (boolean);
  /**
   * One sentence: what was done (how many transports delivered, whether notifications.enabled is on).
   */
  'message': (string);
  /**
   * One entry per configured transport, in the order smtp, webhook.
   */
  'transports': (_sparesync_v1_NotifyTransportResult__Output)[];
}

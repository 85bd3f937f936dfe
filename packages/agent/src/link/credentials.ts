// gRPC credentials for both ends of the link. The pair CA authenticates every certificate;
// on top of that the peer's certificate is pinned by fingerprint (client side here, server side
// in the Link handler), because any certificate of the pair CA (a CLI client's, say) must not be
// able to pose as the peer agent.
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { pinnedChannelOptions } from '@sparesync/common';
import type { TlsMaterial } from './tls-material';

export function serverCredentials(m: Pick<TlsMaterial, 'ca' | 'cert' | 'key'>): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(m.ca, [{ private_key: m.key, cert_chain: m.cert }], true);
}

/**
 * HTTP/2 receive window (per stream and per connection) of both sides. Node's default of 64 KiB
 * lets one round trip's worth of data be in flight, which caps a bulk stream far below what TLS
 * carries (`pnpm bench link`). grpc-js raises it on a channel through an option; the server's
 * is raised by ./receive-window.ts.
 */
export const LINK_FLOW_CONTROL_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * HTTP/2 keepalive pings on the link (`link.keepaliveMs`, `link.keepaliveTimeoutMs`): a frozen
 * peer or a cut network without a reset is noticed within interval + timeout, sooner than the
 * heartbeats' remoteCheckIntervalSeconds × heartbeatMisses. Each ping wakes both agents, so the
 * interval is most of an idle pair's CPU: every 1 s it doubled it (issue 16).
 */
export interface Keepalive {
  intervalMs: number;
  timeoutMs: number;
}

export function channelOptions(keepalive: Keepalive, maxMessageBytes: number): grpc.ChannelOptions {
  return {
    ...pinnedChannelOptions,
    'grpc.keepalive_time_ms': keepalive.intervalMs,
    'grpc.keepalive_timeout_ms': keepalive.timeoutMs,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.max_pings_without_data': 0,
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc-node.flow_control_window': LINK_FLOW_CONTROL_WINDOW_BYTES,
    'grpc.initial_reconnect_backoff_ms': 200,
    'grpc.max_reconnect_backoff_ms': 1000,
  };
}

export function serverOptions(keepalive: Keepalive, maxMessageBytes: number): grpc.ServerOptions {
  // The peer's pings come at its own interval: a shorter one set on that side only must not be
  // refused as abuse (too_many_pings), so pings are allowed down to 1 s whatever ours is.
  const minPingMs = Math.min(keepalive.intervalMs, 1000);
  return {
    'grpc.keepalive_time_ms': keepalive.intervalMs,
    'grpc.keepalive_timeout_ms': keepalive.timeoutMs,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': minPingMs,
    'grpc.http2.min_time_between_pings_ms': minPingMs,
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
  };
}

/** The calling client's certificate fingerprint, or undefined when there is none. */
export function callerFingerprint(call: {
  getAuthContext(): { sslPeerCertificate?: PeerCertificate } | null;
}): string | undefined {
  return call.getAuthContext()?.sslPeerCertificate?.fingerprint256;
}

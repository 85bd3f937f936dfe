// Keeps one outgoing Heartbeat stream to the peer: dial, handshake, beat; on any end wait with
// backoff and dial again. kick() skips the wait (used when the peer has just dialled us).
import * as grpc from '@grpc/grpc-js';
import { pinnedClientCredentials, serviceClient, type Logger } from '@sparesync/common';
import { Backoff } from './backoff';
import { channelOptions, type Keepalive } from './credentials';
import { HeartbeatSession, type FrameStream, type SessionOptions } from './session';
import type { TlsMaterial } from './tls-material';

export interface DialerOptions {
  address: string;
  material: TlsMaterial;
  session: Omit<SessionOptions, 'side'>;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  keepalive: Keepalive;
  maxMessageBytes: number;
  log: Logger;
  /** Called for every new outgoing session before it starts. */
  onSession: (session: HeartbeatSession) => void;
}

export class Dialer {
  private readonly backoff: Backoff;
  private client: grpc.Client | undefined;
  private session: HeartbeatSession | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: DialerOptions) {
    this.backoff = new Backoff(opts.reconnectInitialMs, opts.reconnectMaxMs);
  }

  get reconnectAttempts(): number {
    return this.backoff.attempts;
  }

  start(): void {
    this.dial();
  }

  /** The Link client of the current connection once its session is verified, else undefined. */
  peerClient(): grpc.Client | undefined {
    return this.session?.isVerified ? this.client : undefined;
  }

  /** Dial now if we are waiting to reconnect. */
  kick(): void {
    if (this.stopped || this.session || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dial();
  }

  /** Stops dialling; says Goodbye on the current session when a reason is given. */
  stop(goodbyeReason?: string): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (goodbyeReason) this.session?.goodbye(goodbyeReason);
    else this.session?.close('dialer stopped');
    this.client?.close();
  }

  private dial(): void {
    if (this.stopped) return;
    const o = this.opts;
    this.client?.close();
    const Ctor = serviceClient('Link');
    const client = new Ctor(
      o.address,
      pinnedClientCredentials(o.material, o.material.peerFingerprint),
      channelOptions(o.keepalive, o.maxMessageBytes),
    );
    this.client = client;
    const call = (
      client as unknown as { heartbeat(): grpc.ClientDuplexStream<unknown, unknown> }
    ).heartbeat();
    const session = new HeartbeatSession(call as unknown as FrameStream, { ...o.session, side: 'client' });
    this.session = session;
    session.on('verified', () => this.backoff.reset());
    session.on('ended', () => {
      call.cancel();
      if (this.session === session) this.session = undefined;
      this.scheduleRedial();
    });
    o.onSession(session);
    session.start();
  }

  private scheduleRedial(): void {
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.opts.log.debug('redialling the peer', { delayMs: delay, attempt: this.backoff.attempts });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dial();
    }, delay);
  }
}

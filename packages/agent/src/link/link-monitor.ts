// What this agent knows about its peer and the link, gathered from the outgoing session (which
// decides "connected") and the incoming ones (which also carry the peer's Goodbye). It keeps the
// link's figures for the status and reports what happened as state-machine observations; the
// machine makes every judgement (handshake checks, clock limit, lost or stopped).
import { EventEmitter } from 'node:events';
import { shortGrpcError, type Logger, type RemoteStateName, type Role } from '@sparesync/common';
import type { Hello } from './frames';
import { checkClockOffset, type Observation } from '../state';
import { ClockFilter } from './clock-sync';
import type { HeartbeatSession, SessionEnd } from './session';

export interface PeerView {
  hello: Hello | undefined;
  state: string;
  reason: string;
  epoch: number;
  lastSeenMs: number;
  /** The peer said Goodbye and has not come back since. */
  stopped: { reason: string; atMs: number } | undefined;
}

export interface LinkView {
  connected: boolean;
  connectedSinceMs: number;
  rttMs: number;
  clockOffsetMs: number;
  lastError: string;
}

export interface LinkMonitorOptions {
  now: () => number;
  log: Logger;
  /** link.maxClockOffsetSeconds: a measured offset is news to the machine only when its verdict moves. */
  maxClockOffsetSeconds: number;
}

export class LinkMonitor extends EventEmitter<{ observed: [observation: Observation] }> {
  readonly peer: PeerView = {
    hello: undefined,
    state: 'Unknown',
    reason: '',
    epoch: 0,
    lastSeenMs: 0,
    stopped: undefined,
  };
  readonly link: LinkView = {
    connected: false,
    connectedSinceMs: 0,
    rttMs: 0,
    clockOffsetMs: 0,
    lastError: '',
  };
  private readonly clock = new ClockFilter();
  /** The peer's state and epoch as last fed in a PeerHeartbeat, until anything else is observed. */
  private lastBeat: string | undefined;
  /** The clock verdict last fed to the machine on this connection (null: none fed yet). */
  private clockVerdict: string | undefined | null = null;
  private readonly inbound = new Set<HeartbeatSession>();
  private readonly sessions = new Set<HeartbeatSession>();

  constructor(private readonly opts: LinkMonitorOptions) {
    super();
  }

  attachOutbound(session: HeartbeatSession): void {
    this.attach(session, true);
  }

  attachInbound(session: HeartbeatSession): void {
    this.inbound.add(session);
    session.on('ended', () => this.inbound.delete(session));
    this.attach(session, false);
  }

  /** Beats at once on every session, so the peer learns a new state or epoch without delay. */
  beatNow(): void {
    for (const s of this.sessions) s.beatNow();
  }

  /** Says Goodbye on every incoming session (the dialer says it on the outgoing one). */
  goodbyeInbound(reason: string): void {
    for (const s of this.inbound) s.goodbye(reason);
  }

  private attach(session: HeartbeatSession, outbound: boolean): void {
    this.sessions.add(session);
    session.on('ended', () => this.sessions.delete(session));
    session.on('verified', (hello) => this.onVerified(hello, outbound));
    session.on('beat', (beat, sample) => {
      this.peer.state = beat.state;
      this.peer.reason = beat.reason;
      this.peer.epoch = Math.max(this.peer.epoch, beat.epoch);
      this.peer.lastSeenMs = this.opts.now();
      if (!outbound) return;
      // A beat repeating the last one fed, with no other news since, would change nothing the
      // machine reads (its state and epoch; `lastSeenAt` is kept by this monitor for the status).
      const key = `${beat.state}/${beat.epoch}`;
      if (key !== this.lastBeat) {
        this.observe({ type: 'PeerHeartbeat', state: beat.state as RemoteStateName, epoch: beat.epoch });
        this.lastBeat = key;
      }
      if (sample) {
        const filtered = this.clock.add(sample);
        this.link.rttMs = filtered.rttMs;
        this.link.clockOffsetMs = filtered.offsetMs;
        // Every measurement would be a decision (a fifth of an idle agent's CPU, issue 16); the
        // machine only folds the verdict (state/handshake-checks.ts), so only a new one is fed.
        const verdict = checkClockOffset(filtered.offsetMs, this.opts.maxClockOffsetSeconds);
        if (verdict !== this.clockVerdict) {
          this.clockVerdict = verdict;
          this.observe({ type: 'ClockOffsetMeasured', offsetMs: filtered.offsetMs });
        }
      }
    });
    session.on('ended', (end) => this.onEnded(end, outbound));
  }

  private onVerified(hello: Hello, outbound: boolean): void {
    this.peer.hello = hello;
    this.peer.state = hello.state;
    this.peer.epoch = Math.max(this.peer.epoch, hello.epoch);
    this.peer.lastSeenMs = this.opts.now();
    this.peer.stopped = undefined;
    if (!outbound) return;
    this.clock.reset();
    this.clockVerdict = null;
    this.link.connected = true;
    this.link.connectedSinceMs = this.opts.now();
    this.link.lastError = '';
    this.opts.log.info('link to the peer is up', {
      peer: hello.name,
      role: hello.role,
      version: hello.version,
    });
    this.observe({
      type: 'PeerConnected',
      peer: {
        role: hello.role as Role,
        version: hello.version,
        timeZone: hello.timeZone,
        utcOffsetMinutes: hello.utcOffsetMinutes,
        epoch: hello.epoch,
        state: hello.state as RemoteStateName,
      },
    });
  }

  private onEnded(end: SessionEnd, outbound: boolean): void {
    if (end.kind === 'goodbye' && !this.peer.stopped) {
      this.peer.stopped = { reason: end.detail, atMs: this.opts.now() };
      this.peer.state = 'Stopped';
      this.opts.log.warn('the peer stopped on purpose', { reason: end.detail });
      this.observe({ type: 'PeerStopped', reason: end.detail });
    }
    if (!outbound) return;
    const wasConnected = this.link.connected;
    this.link.connected = false;
    this.link.connectedSinceMs = 0;
    this.link.rttMs = 0;
    if (!this.peer.stopped) this.peer.state = 'Unknown';
    this.link.lastError = shortGrpcError(end.detail);
    const refused =
      end.kind === 'pair-key' ? `pair key mismatch: ${end.detail}` : certificateProblem(end.detail);
    if (refused) this.observe({ type: 'PeerHandshakeFailed', reason: refused });
    if (wasConnected && end.kind !== 'goodbye') {
      this.opts.log.warn('link to the peer is down', { kind: end.kind, detail: end.detail });
      this.observe({ type: 'PeerLost', detail: this.link.lastError || end.kind });
    }
  }

  private observe(observation: Observation): void {
    if (observation.type !== 'PeerHeartbeat' && observation.type !== 'ClockOffsetMeasured')
      this.lastBeat = undefined;
    this.emit('observed', observation);
  }
}

/** A certificate refusal in either direction is a configuration error, not a network fault. */
function certificateProblem(detail: string): string | undefined {
  const ours = /peer certificate (\S+) is not the pinned peer\.fingerprint/.exec(detail);
  if (ours) return `the peer's certificate (${ours[1]}) does not match peer.fingerprint in the settings`;
  if (/PERMISSION_DENIED/.test(detail)) {
    return "the peer refuses this agent's certificate: the peer's peer.fingerprint setting does not match this agent's certificate";
  }
  return undefined;
}

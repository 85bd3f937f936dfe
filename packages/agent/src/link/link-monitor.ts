// What this agent knows about its peer and the link, gathered from the outgoing session (which
// decides "connected") and the incoming ones (which also carry the peer's state and Goodbye).
// It reports facts; the agent turns them into states.
import { EventEmitter } from 'node:events';
import { shortGrpcError, type Hello, type Logger } from '@sparesync/common';
import { ClockFilter } from './clock-sync';
import { clockOffsetProblem, peerMismatches, type LocalIdentity } from './handshake';
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
  identity: LocalIdentity;
  maxClockOffsetSeconds: number;
  now: () => number;
  log: Logger;
}

export class LinkMonitor extends EventEmitter<{ changed: [why: string] }> {
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
  /** Configuration problems by source, e.g. 'handshake', 'clock', 'pair-key', 'certificate'. */
  private readonly problems = new Map<string, string>();
  private readonly inbound = new Set<HeartbeatSession>();

  constructor(private readonly opts: LinkMonitorOptions) {
    super();
  }

  configurationProblems(): string[] {
    return [...this.problems.values()];
  }

  attachOutbound(session: HeartbeatSession): void {
    this.attach(session, true);
  }

  attachInbound(session: HeartbeatSession): void {
    this.inbound.add(session);
    session.on('ended', () => this.inbound.delete(session));
    this.attach(session, false);
  }

  /** Says Goodbye on every incoming session (the dialer says it on the outgoing one). */
  goodbyeInbound(reason: string): void {
    for (const s of this.inbound) s.goodbye(reason);
  }

  private attach(session: HeartbeatSession, outbound: boolean): void {
    session.on('verified', (hello) => this.onVerified(hello, outbound));
    session.on('beat', (beat, sample) => {
      this.peer.state = beat.state;
      this.peer.reason = beat.reason;
      this.peer.epoch = Math.max(this.peer.epoch, beat.epoch);
      this.peer.lastSeenMs = this.opts.now();
      if (outbound && sample) {
        const filtered = this.clock.add(sample);
        this.link.rttMs = filtered.rttMs;
        this.link.clockOffsetMs = filtered.offsetMs;
        const problem = clockOffsetProblem(filtered.offsetMs, this.opts.maxClockOffsetSeconds);
        if (problem) this.setProblem('clock', problem);
        else this.clearProblem('clock');
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
    this.clearProblem('pair-key');
    this.clearProblem('certificate');
    const mismatches = peerMismatches(this.opts.identity, hello);
    if (mismatches.length) this.setProblem('handshake', mismatches.join('; '));
    else this.clearProblem('handshake');
    if (outbound) {
      this.clock.reset();
      this.link.connected = true;
      this.link.connectedSinceMs = this.opts.now();
      this.link.lastError = '';
      this.opts.log.info('link to the peer is up', {
        peer: hello.name,
        role: hello.role,
        version: hello.version,
      });
      this.emit('changed', 'link to the peer is up');
    } else {
      this.emit('changed', 'the peer connected to us');
    }
  }

  private onEnded(end: SessionEnd, outbound: boolean): void {
    if (end.kind === 'goodbye') {
      this.peer.stopped = { reason: end.detail, atMs: this.opts.now() };
      this.peer.state = 'Stopped';
      this.opts.log.warn('the peer stopped on purpose', { reason: end.detail });
    }
    if (end.kind === 'pair-key') {
      this.setProblem('pair-key', `pair key mismatch: ${end.detail}`);
    }
    if (!outbound) {
      if (end.kind === 'goodbye') this.emit('changed', `the peer stopped: ${end.detail}`);
      return;
    }
    const wasConnected = this.link.connected;
    this.link.connected = false;
    this.link.connectedSinceMs = 0;
    this.link.rttMs = 0;
    if (!this.peer.stopped) this.peer.state = 'Unknown';
    this.setError(end.detail);
    const certProblem = certificateProblem(end.detail);
    if (certProblem) this.setProblem('certificate', certProblem);
    if (wasConnected) {
      this.opts.log.warn('link to the peer is down', { kind: end.kind, detail: end.detail });
      this.emit(
        'changed',
        end.kind === 'goodbye' ? `the peer stopped: ${end.detail}` : `peer lost: ${end.detail}`,
      );
    }
  }

  private setError(detail: string): void {
    this.link.lastError = shortGrpcError(detail);
  }

  private setProblem(source: string, text: string): void {
    if (this.problems.get(source) === text) return;
    this.problems.set(source, text);
    this.opts.log.error('configuration error', { source, reason: text });
    this.emit('changed', text);
  }

  private clearProblem(source: string): void {
    if (!this.problems.delete(source)) return;
    this.opts.log.info('configuration problem cleared', { source });
    this.emit('changed', `${source} problem cleared`);
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

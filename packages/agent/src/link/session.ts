// One Heartbeat stream, from either end. The dialling side ("client") sends Hello, the serving
// side answers Hello with a pair-key proof, the client answers with its own proof, and then both
// send Beats. Nothing counts as connected before both proofs have been checked.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Beat, Hello, LinkFrame, LinkFrameOut } from './frames';
import { sampleFromBeat, type ClockSample } from './clock-sync';
import { newNonce, pairKeyProof, proofMatches } from './handshake';

/** The subset of a grpc-js duplex stream the session uses (client and server streams both fit). */
export interface FrameStream {
  write(frame: LinkFrameOut): boolean;
  end(): void;
  on(event: 'data', cb: (frame: LinkFrame) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  on(event: 'end' | 'close', cb: () => void): unknown;
}

export interface SessionOptions {
  side: 'client' | 'server';
  pairKey: Buffer;
  intervalMs: number;
  misses: number;
  /** The (possibly test-skewed) wall clock used for timestamps on the wire. */
  now: () => number;
  /** Our Hello fields, read when the Hello is sent. */
  hello: () => Omit<Hello, 'nonce' | 'proof' | 'sentAtMs'>;
  /** Our current state for each Beat. */
  beatInfo: () => Pick<Beat, 'state' | 'reason' | 'epoch'>;
}

export type SessionEnd =
  | { kind: 'pair-key'; detail: string }
  | { kind: 'protocol'; detail: string }
  | { kind: 'lost'; detail: string }
  | { kind: 'closed'; detail: string }
  | { kind: 'goodbye'; detail: string };

export interface SessionEvents {
  verified: [peer: Hello];
  beat: [beat: Beat, sample: ClockSample | undefined];
  ended: [end: SessionEnd];
}

export class HeartbeatSession extends EventEmitter<SessionEvents> {
  private readonly nonce = newNonce();
  private peerHello: Hello | undefined;
  private verified = false;
  private done = false;
  private seq = 0;
  private lastPeerBeat: { seq: number; sentAtMs: number; receivedAtMs: number } | undefined;
  private lastFrameAt = performance.now();
  private beatTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: FrameStream,
    private readonly opts: SessionOptions,
  ) {
    super();
  }

  start(): void {
    this.stream.on('data', (frame) => this.onFrame(frame));
    this.stream.on('error', (err) => this.finish({ kind: 'closed', detail: err.message }));
    this.stream.on('end', () => this.finish({ kind: 'closed', detail: 'the peer closed the stream' }));
    this.stream.on('close', () => this.finish({ kind: 'closed', detail: 'the stream closed' }));
    this.watchTimer = setInterval(() => this.checkAlive(), this.opts.intervalMs);
    if (this.opts.side === 'client') this.sendHello(Buffer.alloc(0));
  }

  get isVerified(): boolean {
    return this.verified;
  }

  get peer(): Hello | undefined {
    return this.peerHello;
  }

  /** Tells the peer we stop on purpose, then closes. */
  /** An extra beat now (the state or the epoch changed): the peer need not wait for the interval. */
  beatNow(): void {
    if (this.verified) this.sendBeat();
  }

  goodbye(reason: string): void {
    if (this.done) return;
    this.safeWrite({ goodbye: { reason } });
    this.finish({ kind: 'closed', detail: `we stopped: ${reason}` });
  }

  /** Closes without a Goodbye (the peer will see us as lost or closed). */
  close(detail: string): void {
    this.finish({ kind: 'closed', detail });
  }

  private sendHello(proof: Buffer): void {
    this.safeWrite({ hello: { ...this.opts.hello(), nonce: this.nonce, proof, sentAtMs: this.opts.now() } });
  }

  private onFrame(frame: LinkFrame): void {
    if (this.done) return;
    this.lastFrameAt = performance.now();
    switch (frame.body) {
      case 'hello':
        return this.onHello(frame.hello);
      case 'proof':
        return this.onProof(frame.proof.proof);
      case 'beat':
        return this.onBeat(frame.beat);
      case 'goodbye':
        return this.finish({ kind: 'goodbye', detail: frame.goodbye.reason || 'the peer stopped' });
    }
  }

  private onHello(hello: Hello): void {
    if (this.peerHello) return this.finish({ kind: 'protocol', detail: 'the peer sent Hello twice' });
    this.peerHello = hello;
    if (this.opts.side === 'server') {
      this.sendHello(pairKeyProof(this.opts.pairKey, 'server', hello.nonce, this.nonce));
      return;
    }
    const expected = pairKeyProof(this.opts.pairKey, 'server', this.nonce, hello.nonce);
    if (!proofMatches(expected, hello.proof)) {
      return this.finish({
        kind: 'pair-key',
        detail: 'the peer does not hold the same pair key (pairKeyFile)',
      });
    }
    this.safeWrite({ proof: { proof: pairKeyProof(this.opts.pairKey, 'client', hello.nonce, this.nonce) } });
    this.becomeVerified();
  }

  private onProof(proof: Buffer): void {
    if (this.opts.side !== 'server' || !this.peerHello || this.verified) {
      return this.finish({ kind: 'protocol', detail: 'unexpected Proof frame' });
    }
    const expected = pairKeyProof(this.opts.pairKey, 'client', this.nonce, this.peerHello.nonce);
    if (!proofMatches(expected, proof)) {
      return this.finish({
        kind: 'pair-key',
        detail: 'the peer does not hold the same pair key (pairKeyFile)',
      });
    }
    this.becomeVerified();
  }

  private becomeVerified(): void {
    this.verified = true;
    this.emit('verified', this.peerHello as Hello);
    this.sendBeat();
    // One wake-up per interval once verified: the silence watch runs with the beat (issue 16).
    clearInterval(this.watchTimer);
    this.beatTimer = setInterval(() => {
      this.checkAlive();
      if (!this.done) this.sendBeat();
    }, this.opts.intervalMs);
  }

  private onBeat(beat: Beat): void {
    if (!this.verified)
      return this.finish({ kind: 'protocol', detail: 'Beat before the handshake completed' });
    const arrival = this.opts.now();
    this.lastPeerBeat = { seq: beat.seq, sentAtMs: beat.sentAtMs, receivedAtMs: arrival };
    this.emit('beat', beat, sampleFromBeat(beat, arrival));
  }

  private sendBeat(): void {
    const echo = this.lastPeerBeat;
    this.seq += 1;
    this.safeWrite({
      beat: {
        seq: this.seq,
        sentAtMs: this.opts.now(),
        echoSeq: echo?.seq ?? 0,
        echoSentAtMs: echo?.sentAtMs ?? 0,
        echoReceivedAtMs: echo?.receivedAtMs ?? 0,
        ...this.opts.beatInfo(),
      },
    });
  }

  private checkAlive(): void {
    const silentMs = performance.now() - this.lastFrameAt;
    if (silentMs > this.opts.intervalMs * this.opts.misses) {
      this.finish({ kind: 'lost', detail: `no frame from the peer for ${Math.round(silentMs)} ms` });
    }
  }

  private safeWrite(frame: LinkFrameOut): void {
    try {
      this.stream.write(frame);
    } catch {
      // A write after the transport closed; the 'error'/'close' handler ends the session.
    }
  }

  private finish(end: SessionEnd): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.beatTimer);
    clearInterval(this.watchTimer);
    try {
      this.stream.end();
    } catch {
      // already closed
    }
    this.emit('ended', end);
  }
}

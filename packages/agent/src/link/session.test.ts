import { EventEmitter } from 'node:events';
import type { LinkFrame, LinkFrameOut } from './frames';
import { HeartbeatSession, type FrameStream, type SessionEnd, type SessionOptions } from './session';

/** An in-memory duplex pair standing in for a gRPC stream (pure session logic only). */
class FakeStream extends EventEmitter implements FrameStream {
  other!: FakeStream;
  closed = false;
  written: LinkFrameOut[] = [];
  write(frame: LinkFrameOut): boolean {
    this.written.push(frame);
    const body = Object.keys(frame)[0] as LinkFrame['body'];
    const out = { body, ...frame } as unknown as LinkFrame;
    setImmediate(() => !this.other.closed && this.other.emit('data', out));
    return true;
  }
  end(): void {
    if (this.closed) return;
    this.closed = true;
    setImmediate(() => this.other.emit('end'));
  }
}

function pipe(): [FakeStream, FakeStream] {
  const a = new FakeStream();
  const b = new FakeStream();
  a.other = b;
  b.other = a;
  return [a, b];
}

function opts(
  side: 'client' | 'server',
  key = 'pair-key-0123456789abcdef',
  role = side === 'client' ? 'secondary' : 'primary',
): SessionOptions {
  return {
    side,
    pairKey: Buffer.from(key),
    intervalMs: 20,
    misses: 3,
    now: Date.now,
    hello: () => ({
      role,
      version: '1.0.0',
      timeZone: 'UTC',
      utcOffsetMinutes: 0,
      epoch: 3,
      state: 'Working',
      name: role,
    }),
    beatInfo: () => ({ state: 'Working', reason: 'ok', epoch: 3 }),
  };
}

const ended = (s: HeartbeatSession) => new Promise<SessionEnd>((r) => s.once('ended', r));

describe('heartbeat session', () => {
  it('verifies both sides with the same pair key, then exchanges beats with clock samples', async () => {
    const [c, s] = pipe();
    const client = new HeartbeatSession(c, opts('client'));
    const server = new HeartbeatSession(s, opts('server'));
    const verified = Promise.all([
      new Promise((r) => client.once('verified', r)),
      new Promise((r) => server.once('verified', r)),
    ]);
    const sampled = new Promise((r) => client.on('beat', (_b, sample) => sample && r(sample)));
    server.start();
    client.start();
    const [serverSeenByClient] = (await verified) as [{ role: string; epoch: number }, unknown];
    expect(serverSeenByClient).toMatchObject({ role: 'primary', epoch: 3 });
    expect(await sampled).toMatchObject({ rttMs: expect.any(Number), offsetMs: expect.any(Number) });
    client.close('test over');
    expect((await ended(server)).kind).toBe('closed');
  });

  it('beats at once on request, with the state and epoch of that moment, and not before it is verified', async () => {
    const [c, s] = pipe();
    let epoch = 3;
    const server = new HeartbeatSession(s, {
      ...opts('server'),
      intervalMs: 60_000,
      beatInfo: () => ({ state: 'Switched', reason: 'handed over', epoch }),
    });
    const client = new HeartbeatSession(c, { ...opts('client'), intervalMs: 60_000 });
    server.beatNow();
    expect(s.written).toEqual([]);
    type Seen = { epoch: number; state: string; seq: number };
    const nextBeat = () => new Promise<Seen>((r) => client.once('beat', r));
    const verified = new Promise((r) => client.once('verified', r));
    const first = nextBeat();
    server.start();
    client.start();
    await verified;
    // The request made before verification is carried out once verified, with that moment's epoch.
    expect(await first).toMatchObject({ seq: 1, epoch: 3, state: 'Switched' });
    const second = nextBeat();
    epoch = 4;
    server.beatNow();
    expect(await second).toMatchObject({ seq: 2, epoch: 4, state: 'Switched' });
    client.close('test over');
    await ended(server);
  });

  it('ends with a pair-key failure when the keys differ, before any beat', async () => {
    const [c, s] = pipe();
    const client = new HeartbeatSession(c, opts('client', 'one-pair-key-0123456789'));
    const server = new HeartbeatSession(s, opts('server', 'another-pair-key-987654'));
    const done = ended(client);
    server.start();
    client.start();
    expect(await done).toEqual({ kind: 'pair-key', detail: expect.stringMatching(/pair key/) });
    expect(client.isVerified).toBe(false);
    expect(c.written.some((f) => 'beat' in f || 'proof' in f)).toBe(false);
  });

  it('server side refuses a client proof made with another key', async () => {
    const [c, s] = pipe();
    const server = new HeartbeatSession(s, opts('server'));
    server.start();
    const done = ended(server);
    c.write({ hello: { role: 'secondary', nonce: Buffer.alloc(32, 1) } });
    await new Promise((r) => setTimeout(r, 10));
    c.write({ proof: { proof: Buffer.alloc(32, 7) } });
    expect((await done).kind).toBe('pair-key');
    expect(server.isVerified).toBe(false);
  });

  it('sees a silent peer as lost after the allowed misses', async () => {
    const [c, s] = pipe();
    const client = new HeartbeatSession(c, opts('client'));
    const started = Date.now();
    const done = ended(client);
    client.start();
    void s; // nobody answers
    const end = await done;
    expect(end.kind).toBe('lost');
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('reports the peer Goodbye as such', async () => {
    const [c, s] = pipe();
    const client = new HeartbeatSession(c, opts('client'));
    const server = new HeartbeatSession(s, opts('server'));
    server.start();
    client.start();
    await new Promise((r) => server.once('verified', r));
    const done = ended(client);
    server.goodbye('maintenance');
    expect(await done).toEqual({ kind: 'goodbye', detail: 'maintenance' });
  });

  it('refuses a Beat before the handshake', async () => {
    const [c, s] = pipe();
    const server = new HeartbeatSession(s, opts('server'));
    server.start();
    const done = ended(server);
    c.write({
      beat: {
        seq: 1,
        sentAtMs: 1,
        echoSeq: 0,
        echoSentAtMs: 0,
        echoReceivedAtMs: 0,
        state: '',
        reason: '',
        epoch: 0,
      },
    });
    expect((await done).kind).toBe('protocol');
  });
});

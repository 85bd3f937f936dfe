// A TCP proxy on loopback in front of one agent's link port, so a test can cut the link between
// the agents while everything else (test pages, DNS) stays reachable. Modes:
// - open: bytes flow both ways;
// - reset: every connection is destroyed, and new ones are refused at once;
// - blackhole: nothing flows, nothing is closed (packets vanish; TCP backs up, keepalives go
//   unanswered), and new connections are held unconnected; healing lets the backlog through;
// - one way: bytes toward the agent behind the proxy flow, bytes from it do not (or the reverse).
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'open' | 'reset' | 'blackhole' | 'only-to-agent' | 'only-from-agent';

interface Pipe {
  client: Socket; // the connecting peer agent
  upstream: Socket | undefined; // the agent behind this proxy
}

export class LinkProxy {
  private readonly pipes = new Set<Pipe>();
  private modeNow: ProxyMode = 'open';

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: number,
  ) {}

  /** Listens on a free loopback port and forwards to 127.0.0.1:`target`. */
  static async start(target: number): Promise<LinkProxy> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const proxy = new LinkProxy(server, port, target);
    server.on('connection', (s) => proxy.accept(s));
    return proxy;
  }

  get mode(): ProxyMode {
    return this.modeNow;
  }

  set(mode: ProxyMode): void {
    this.modeNow = mode;
    for (const p of [...this.pipes]) this.apply(p);
  }

  async close(): Promise<void> {
    for (const p of this.pipes) this.destroy(p);
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(client: Socket): void {
    if (this.modeNow === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const pipe: Pipe = { client, upstream: undefined };
    this.pipes.add(pipe);
    client.on('error', () => this.destroy(pipe));
    client.on('close', () => this.destroy(pipe));
    client.pause();
    this.apply(pipe);
  }

  private connectUpstream(pipe: Pipe): void {
    const upstream = connect(this.target, '127.0.0.1');
    pipe.upstream = upstream;
    upstream.on('error', () => this.destroy(pipe));
    upstream.on('close', () => this.destroy(pipe));
    this.forward(pipe.client, upstream, () => this.toAgent());
    this.forward(upstream, pipe.client, () => this.fromAgent());
    upstream.pause();
    this.apply(pipe);
  }

  private toAgent(): boolean {
    return this.modeNow === 'open' || this.modeNow === 'only-to-agent';
  }

  private fromAgent(): boolean {
    return this.modeNow === 'open' || this.modeNow === 'only-from-agent';
  }

  /** Copies `from` to `to` with back-pressure; a drain resumes only a direction that may flow. */
  private forward(from: Socket, to: Socket, flows: () => boolean): void {
    from.on('data', (d: Buffer) => {
      if (to.write(d)) return;
      from.pause();
      to.once('drain', () => {
        if (flows()) from.resume();
      });
    });
  }

  /** Pausing a socket stops reading from it: what it sends waits in the kernel, as on a dead wire. */
  private apply(pipe: Pipe): void {
    const m = this.modeNow;
    if (m === 'reset') return this.destroy(pipe, true);
    if (m === 'blackhole') {
      pipe.client.pause();
      pipe.upstream?.pause();
      return;
    }
    if (!pipe.upstream) return this.connectUpstream(pipe);
    if (this.toAgent()) pipe.client.resume();
    else pipe.client.pause();
    if (this.fromAgent()) pipe.upstream.resume();
    else pipe.upstream.pause();
  }

  private destroy(pipe: Pipe, reset = false): void {
    if (!this.pipes.delete(pipe)) return;
    for (const s of [pipe.client, pipe.upstream]) {
      if (!s || s.destroyed) continue;
      if (reset) s.resetAndDestroy();
      else s.destroy();
    }
  }
}

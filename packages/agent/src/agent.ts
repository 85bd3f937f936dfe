// Composition root: reads the settings, wires the link, the server and the status, runs until
// stopped. The only place that knows about all the parts.
import { hostname } from 'node:os';
import {
  createLogger,
  loadSettings,
  sparesyncVersion,
  type LoadedSettings,
  type Logger,
  type Status,
} from '@sparesync/common';
import { controlService } from './api/control-service';
import { Dialer } from './link/dialer';
import { localTimeZone } from './link/handshake';
import { LinkMonitor } from './link/link-monitor';
import { HeartbeatSession, type FrameStream } from './link/session';
import { loadTlsMaterial } from './link/tls-material';
import { PartHost } from './part-host';
import type { Direction } from './parts';
import { StateFile } from './persisted-state';
import { startServer, type RunningServer } from './server';
import { stateFromLink, StatusModel } from './status-model';

export interface AgentOptions {
  /** Log to the console too (the foreground service does; tests may not). */
  console?: boolean;
}

export class Agent {
  private constructor(
    readonly loaded: LoadedSettings,
    readonly log: Logger,
    private readonly model: StatusModel,
    private readonly monitor: LinkMonitor,
    private readonly dialer: Dialer,
    private readonly server: RunningServer,
    private readonly epoch: number,
    private readonly startedAtMs: number,
    private readonly version: string,
    private readonly parts: PartHost,
  ) {}

  static async start(configFile: string, opts: AgentOptions = {}): Promise<Agent> {
    const loaded = loadSettings(configFile);
    const s = loaded.settings;
    const log = createLogger({
      level: s.log.level,
      file: s.log.file ? loaded.resolvePath(s.log.file) : undefined,
      label: s.role,
      console: opts.console ?? true,
    });
    const material = loadTlsMaterial(loaded);
    for (const setting of material.looseFiles) {
      log.warn(`the file named by ${setting} can be read by other users; run chmod 600 on it`);
    }
    const stateFile = new StateFile(loaded.resolvePath(s.dataDir));
    const { epoch } = stateFile.read();
    const now = () => Date.now() + s.testing.clockSkewMs;
    const version = s.testing.versionOverride || sparesyncVersion();
    const name = s.name || hostname();
    const tz = localTimeZone(new Date());
    const linkLog = log.child({ component: 'link' });
    const monitor = new LinkMonitor({
      identity: { role: s.role, version, ...tz },
      maxClockOffsetSeconds: s.link.maxClockOffsetSeconds,
      now,
      log: linkLog,
    });
    const model = new StatusModel({ state: 'Inactive', reason: 'starting' }, log, now, () => epoch);
    const sessionOptions = {
      pairKey: material.pairKey,
      intervalMs: s.network.remoteCheckIntervalSeconds * 1000,
      misses: s.link.heartbeatMisses,
      now,
      hello: () => ({ role: s.role, version, ...tz, epoch, state: model.state.state, name }),
      beatInfo: () => ({ ...model.state, epoch }),
    };

    const dialer = new Dialer({
      address: `${s.peer.host.includes(':') ? `[${s.peer.host}]` : s.peer.host}:${s.peer.port}`,
      material,
      session: sessionOptions,
      reconnectInitialMs: s.link.reconnectInitialMs,
      reconnectMaxMs: s.link.reconnectMaxMs,
      keepaliveMs: s.link.keepaliveMs,
      maxMessageBytes: s.link.maxMessageBytes,
      log: linkLog,
      onSession: (session) => monitor.attachOutbound(session),
    });
    const parts = new PartHost();
    const ref: { agent?: Agent } = {};
    const server = await startServer({
      host: s.listen.host,
      port: s.listen.port,
      material,
      keepaliveMs: s.link.keepaliveMs,
      maxMessageBytes: s.link.maxMessageBytes,
      log: linkLog,
      onHeartbeat: (call) => {
        const session = new HeartbeatSession(call as unknown as FrameStream, {
          ...sessionOptions,
          side: 'server',
        });
        monitor.attachInbound(session);
        session.on('verified', () => dialer.kick());
        session.start();
      },
      control: {
        ...controlService({ status: () => (ref.agent ? ref.agent.status() : emptyStatus()) }),
        ...parts.controlHandlers(),
      },
      link: parts.linkHandlers(),
    });
    const agent = new Agent(loaded, log, model, monitor, dialer, server, epoch, now(), version, parts);
    ref.agent = agent;
    await parts.start({
      loaded,
      settings: s,
      log,
      epoch: () => epoch,
      peer: () => dialer.peerClient(),
      report: (problem) => log.warn('replication problem', { problem }),
      now,
    });
    monitor.on('changed', () => {
      model.set(stateFromLink(monitor));
      parts.setDirection(directionOf(model.state.state, s.role, epoch, dialer.peerClient() !== undefined));
    });
    log.info(`sparesync-agent ${version} started as ${s.role}`, {
      listen: `${s.listen.host}:${server.port}`,
      peer: `${s.peer.host}:${s.peer.port}`,
      epoch,
    });
    dialer.start();
    return agent;
  }

  get port(): number {
    return this.server.port;
  }

  status(): Status {
    const s = this.loaded.settings;
    const { peer, link } = this.monitor;
    return {
      local: {
        role: s.role,
        state: this.model.state.state,
        reason: this.model.state.reason,
        version: this.version,
        name: s.name || hostname(),
        epoch: this.epoch,
        startedAtMs: this.startedAtMs,
      },
      remote: {
        state: peer.stopped ? 'Stopped' : link.connected ? peer.state : 'Unknown',
        reachable: link.connected,
        role: peer.hello?.role ?? '',
        version: peer.hello?.version ?? '',
        name: peer.hello?.name ?? '',
        reason: peer.stopped ? peer.stopped.reason : link.connected ? peer.reason : '',
        address: `${s.peer.host}:${s.peer.port}`,
        lastSeenMs: peer.lastSeenMs,
      },
      link: { ...link, reconnectAttempts: this.dialer.reconnectAttempts },
      history: this.model.transitions(),
      ...this.parts.status(),
    };
  }

  /** Stops on purpose: tells the peer (Goodbye), closes the link and the server. */
  async stop(reason = 'the agent was stopped'): Promise<void> {
    this.model.set({ state: 'Stopped', reason });
    await this.parts.stop();
    this.dialer.stop(reason);
    this.monitor.goodbyeInbound(reason);
    await this.server.shutdown();
    this.log.info('sparesync-agent stopped', { reason });
    await new Promise<void>((resolve) => {
      this.log.on('finish', () => resolve());
      this.log.end();
      setTimeout(resolve, 500).unref();
    });
  }
}

/** Which way replication flows: the side the epoch names runs the managed system and sends. */
export function directionOf(state: string, role: string, epoch: number, peerConnected: boolean): Direction {
  if (!peerConnected || (state !== 'Working' && state !== 'WorkingWithErrors')) return 'idle';
  const serving = epoch % 2 === 0 ? 'primary' : 'secondary';
  return serving === role ? 'send' : 'receive';
}

function emptyStatus(): Status {
  throw new Error('the agent is still starting');
}

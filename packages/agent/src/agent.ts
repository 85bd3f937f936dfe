// Composition root: reads the settings, wires the link, the server, the state-machine runner and
// the replication parts, runs until stopped. The only place that knows about all the parts.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  createLogger,
  loadSettings,
  readSettingsDocument,
  SettingsError,
  sparesyncVersion,
  type LoadedSettings,
  type Logger,
  type Status,
} from '@sparesync/common';
import type { ControlService } from './api/control-service';
import { restartProcess, wireControl } from './api/wiring';
import { startEmbeddedDns, type EmbeddedDns } from './dns';
import { embeddedDnsFromSettings } from './dns/settings';
import { settingsProblems } from './settings-sync/settings-checks';
import { Dialer } from './link/dialer';
import { localTimeZone } from './link/handshake';
import { LinkMonitor } from './link/link-monitor';
import { Notifier } from './notify';
import { HeartbeatSession, type FrameStream } from './link/session';
import { loadTlsMaterial } from './link/tls-material';
import { PartHost } from './part-host';
import { StateFile } from './persisted-state';
import { ShutdownLog } from './shutdown-record';
import { agentEffects } from './runner/effects';
import { managedPort, monitorPort } from './runner/ports';
import { Runner } from './runner/runner';
import { startServer, type RunningServer } from './server';
import { describeState, directionOf, handOverRefusal, holderOf, type MachineState } from './state';
import { HandOver } from './switching/hand-over';

export interface AgentOptions {
  /** Log to the console too (the foreground service does; tests may not). */
  console?: boolean;
  /** After the Restart RPC (default: stop, then exit with RESTART_EXIT_CODE for the service manager). */
  onRestart?: (agent: Agent) => void;
}

interface Parts {
  loaded: LoadedSettings;
  log: Logger;
  runner: Runner;
  monitor: LinkMonitor;
  dialer: Dialer;
  server: RunningServer;
  parts: PartHost;
  dns: EmbeddedDns | undefined;
  control: ControlService;
  handOver: HandOver;
  notifier: Notifier;
  shutdowns: ShutdownLog;
  epoch: { value: number };
  startedAtMs: number;
  version: string;
}

export class Agent {
  private constructor(private readonly p: Parts) {}

  static async start(configFile: string, opts: AgentOptions = {}): Promise<Agent> {
    const loaded = loadSettings(configFile);
    const s = loaded.settings;
    const more = settingsProblems(readSettingsDocument(loaded.file), loaded.file);
    if (more.length) throw new SettingsError(loaded.file, more);
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
    mkdirSync(loaded.resolvePath(s.dataDir), { recursive: true, mode: 0o700 });
    const stateFile = new StateFile(loaded.resolvePath(s.dataDir));
    const persisted = stateFile.read();
    const shutdowns = new ShutdownLog(loaded.resolvePath(s.dataDir), log);
    const epoch = { value: persisted.epoch };
    const now = () => Date.now() + s.testing.clockSkewMs;
    const version = s.testing.versionOverride || sparesyncVersion();
    const name = s.name || hostname();
    const linkLog = log.child({ component: 'link' });
    const monitor = new LinkMonitor({ now, log: linkLog });
    const parts = new PartHost();
    const ref: { runner?: Runner; agent?: Agent } = {};
    const state = () =>
      ref.runner ? describeState(ref.runner.state) : { name: 'Stopped', reason: 'starting' };
    const sessionOptions = {
      pairKey: material.pairKey,
      intervalMs: s.network.remoteCheckIntervalSeconds * 1000,
      misses: s.link.heartbeatMisses,
      now,
      hello: () => ({
        role: s.role,
        version,
        ...localTimeZone(new Date(now())),
        epoch: epoch.value,
        state: state().name,
        name,
      }),
      beatInfo: () => ({ state: state().name, reason: state().reason, epoch: epoch.value }),
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
    const dns = s.dns.embedded.enabled
      ? await startEmbeddedDns({
          ...embeddedDnsFromSettings(s.dns, loaded.resolvePath, s.dataDir),
          logger: log.child({ component: 'dns' }),
        })
      : undefined;
    const managed = managedPort(loaded, log.child({ component: 'managed' }));
    const notifier = new Notifier({
      settings: () => loaded.settings.notifications,
      resolvePath: loaded.resolvePath,
      server: { role: s.role, name },
      log: log.child({ component: 'notify' }),
      now,
    });
    const handOver = new HandOver({
      role: s.role,
      name,
      epoch: () => epoch.value,
      refusal: () => (ref.runner ? handOverRefusal(ref.runner.state) : 'the agent is starting'),
      managed,
      synced: (ms) => parts.synced(ms),
      drainTimeoutMs: s.system.reverseSyncTimeoutSeconds * 1000,
      commandTimeoutMs: s.managedSystem.commandTimeoutSeconds * 1000,
      peer: () => dialer.peerClient(),
      log: log.child({ component: 'switch' }),
    });
    let replicating = false;
    const steer = () =>
      parts.setDirection(
        directionOf({
          state: ref.runner?.state.name ?? 'Stopped',
          replicating,
          role: s.role,
          epoch: epoch.value,
          peerConnected: dialer.peerClient() !== undefined,
        }),
      );
    const runner = new Runner({
      settings: s,
      local: () => ({ version, ...localTimeZone(new Date(now())) }),
      now,
      log,
      persisted,
      effects: agentEffects({
        loaded,
        log,
        stateFile,
        managed,
        monitor: monitorPort(loaded),
        setReplication: (on) => {
          replicating = on;
          steer();
        },
        reverseSync: async () => {
          if (holderOf(epoch.value) !== s.role || !replicating) {
            throw new Error(
              'this server does not run the managed system with replication on, so it has nothing to send',
            );
          }
          await parts.synced(s.system.reverseSyncTimeoutSeconds * 1000);
        },
        handOver: () => handOver.request(),
        onEpoch: (e) => {
          epoch.value = e;
          steer();
        },
        notifier,
      }),
    });
    ref.runner = runner;
    monitor.on('observed', (o) => {
      runner.feed(o);
      if (o.type === 'PeerConnected' || o.type === 'PeerLost' || o.type === 'PeerStopped') steer();
    });
    // The peer hears a new state or epoch at once, not at the next beat: a switch's hand-over
    // (the epoch the fenced side waits for) is shorter by up to one heartbeat interval.
    let announced = { state: '', epoch: -1 };
    runner.on('changed', (st) => {
      steer();
      handOver.epochChanged();
      if (st.name !== announced.state || epoch.value !== announced.epoch) {
        announced = { state: st.name, epoch: epoch.value };
        monitor.beatNow();
      }
    });
    const control = wireControl({
      loaded,
      log,
      name,
      machine: runner,
      status: () => (ref.agent ? ref.agent.status() : notStarted()),
      onChange: (listener) => {
        runner.on('changed', listener);
        monitor.on('observed', listener);
        return () => {
          runner.off('changed', listener);
          monitor.off('observed', listener);
        };
      },
      peer: () => dialer.peerClient(),
      agentFingerprints: [material.ownFingerprint, material.peerFingerprint],
      more: parts.controlHandlers(),
      restart: () => ref.agent && (opts.onRestart ?? restartProcess)(ref.agent),
      shutdowns,
    });
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
      control: control.handlers,
      link: parts.linkHandlers(),
      linkUnary: { ...control.link, ...handOver.linkHandlers() },
    }).catch(async (e: unknown) => {
      await dns?.close();
      await notifier.announce('LinkServerNotStarted', e instanceof Error ? e.message : String(e));
      throw e;
    });
    const agent = new Agent({
      loaded,
      log,
      runner,
      monitor,
      dialer,
      server,
      parts,
      dns,
      control,
      handOver,
      notifier,
      shutdowns,
      epoch,
      startedAtMs: now(),
      version,
    });
    ref.agent = agent;
    shutdowns.start();
    await parts.start({
      loaded,
      settings: s,
      log,
      epoch: () => epoch.value,
      peer: () => dialer.peerClient(),
      report: (problem) => runner.feed(problem),
      now,
    });
    log.info(`sparesync-agent ${version} started as ${s.role}`, {
      listen: `${s.listen.host}:${server.port}`,
      peer: `${s.peer.host}:${s.peer.port}`,
      epoch: epoch.value,
      holder: holderOf(epoch.value),
      ...(dns ? { dns: `${dns.host}:${dns.port}` } : {}),
    });
    runner.start();
    dialer.start();
    return agent;
  }

  /** The agent's logger (main.ts logs internal errors through it). */
  get log(): Logger {
    return this.p.log;
  }

  get port(): number {
    return this.p.server.port;
  }

  get machineState(): MachineState {
    return this.p.runner.state;
  }

  status(): Status {
    const { loaded, monitor, runner, dialer, epoch } = this.p;
    const s = loaded.settings;
    const { peer, link } = monitor;
    const local = describeState(runner.state);
    return {
      local: {
        role: s.role,
        state: local.name,
        reason: local.reason,
        version: this.p.version,
        name: s.name || hostname(),
        epoch: epoch.value,
        startedAtMs: this.p.startedAtMs,
        decision: runner.decision,
        ...(runner.lastSwitch ? { lastSwitch: runner.lastSwitch } : {}),
        ...(this.p.shutdowns.last ? { lastShutdown: this.p.shutdowns.last } : {}),
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
      link: { ...link, reconnectAttempts: dialer.reconnectAttempts },
      history: runner.transitions(),
      ...this.p.parts.status(),
    };
  }

  /** Stops on purpose: tells the peer (Goodbye), closes the link and the server. */
  async stop(reason = 'the agent was stopped'): Promise<void> {
    const { runner, parts, dialer, monitor, server, dns, log, control } = this.p;
    this.p.handOver.stop();
    await runner.stop(reason);
    // Sends under way get a moment to finish; messages still waiting for their delay are dropped.
    await this.p.notifier.stop();
    control.close();
    await parts.stop();
    dialer.stop(reason);
    monitor.goodbyeInbound(reason);
    await server.shutdown();
    await dns?.close();
    this.p.shutdowns.stopped(reason);
    log.info('sparesync-agent stopped', { reason });
    await new Promise<void>((resolve) => {
      log.on('finish', () => resolve());
      log.end();
      setTimeout(resolve, 500).unref();
    });
  }
}

/**
 * Which way replication flows. The side the epoch names runs the managed system and sends while
 * the machine says replicate; the other side receives whenever it takes part in the pair
 * (Working, WorkingWithErrors, Inactive, Switched behind the fence, or SwitchingToSecondary while
 * the primary still holds the epoch and drains to it in a planned switch) and never sends.
 */
function notStarted(): Status {
  throw new Error('the agent is still starting');
}

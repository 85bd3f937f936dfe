// The composition root's builders: each piece of the agent is constructed in exactly one function
// here, from the pieces built before it. agent.ts calls them in order; nothing else imports this
// file. Builders wire; they decide nothing (decisions are in state/).
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
  type Settings,
  type Status,
} from '@sparesync/common';
import type { ControlService } from './api/control-service';
import { wireControl, type WiredControl } from './api/wiring';
import { startEmbeddedDns, type EmbeddedDns } from './dns';
import { embeddedDnsFromSettings } from './dns/settings';
import { Dialer } from './link/dialer';
import { localTimeZone } from './link/handshake';
import { LinkMonitor } from './link/link-monitor';
import { HeartbeatSession, type FrameStream } from './link/session';
import { loadTlsMaterial, type TlsMaterial } from './link/tls-material';
import type { ManagedPort } from './managed';
import { Notifier } from './notify';
import type { PartHost } from './part-host';
import type { PartContext } from './parts';
import { StateFile, type PersistedState } from './persisted-state';
import { agentEffects } from './runner/effects';
import { managedPort, monitorPort } from './runner/ports';
import { Runner } from './runner/runner';
import { Outcomes } from './http/observe/metrics';
import { startServer, type RunningServer } from './server';
import { settingsProblems } from './settings-sync/settings-checks';
import { ShutdownLog } from './shutdown-record';
import { describeState, directionOf, handOverRefusal, holderOf } from './state';
import { HandOver } from './switching/hand-over';
import type { EtcdWitness } from './witness';

export interface BuildOptions {
  /** Log to the console too (the foreground service does; tests may not). */
  console?: boolean;
}

/** What every other builder starts from: checked settings, the logger, TLS, clock and epoch. */
export interface Base {
  loaded: LoadedSettings;
  s: Settings;
  log: Logger;
  material: TlsMaterial;
  stateFile: StateFile;
  persisted: PersistedState;
  shutdowns: ShutdownLog;
  /** The persisted epoch as this process knows it (the runner's effects move it). */
  epoch: { value: number };
  now(): number;
  version: string;
  name: string;
  /** How DNS updates and notifications ended, for /metrics. */
  outcomes: Outcomes;
}

/** Loads the settings and runs every check `config validate` runs; opens the data folder. */
export function buildBase(configFile: string, opts: BuildOptions): Base {
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
  const dataDir = loaded.resolvePath(s.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stateFile = new StateFile(dataDir);
  const persisted = stateFile.read();
  return {
    loaded,
    s,
    log,
    material,
    stateFile,
    persisted,
    shutdowns: new ShutdownLog(dataDir, log),
    epoch: { value: persisted.epoch },
    now: () => Date.now() + s.testing.clockSkewMs,
    version: s.testing.versionOverride || sparesyncVersion(),
    name: s.name || hostname(),
    outcomes: new Outcomes(),
  };
}

export interface Link {
  monitor: LinkMonitor;
  dialer: Dialer;
  /** Starts a heartbeat session on a stream the peer opened to our server. */
  acceptHeartbeat(call: FrameStream): void;
}

/** The heartbeat link both ways: the dialler's outbound session and the server's inbound ones. */
export function buildLink(b: Base, state: () => { name: string; reason: string }): Link {
  const { s } = b;
  const log = b.log.child({ component: 'link' });
  const monitor = new LinkMonitor({ now: b.now, log, maxClockOffsetSeconds: s.link.maxClockOffsetSeconds });
  const session = {
    pairKey: b.material.pairKey,
    intervalMs: s.network.remoteCheckIntervalSeconds * 1000,
    misses: s.link.heartbeatMisses,
    now: b.now,
    hello: () => ({
      role: s.role,
      version: b.version,
      ...localTimeZone(new Date(b.now())),
      epoch: b.epoch.value,
      state: state().name,
      name: b.name,
    }),
    beatInfo: () => ({ state: state().name, reason: state().reason, epoch: b.epoch.value }),
  };
  const dialer = new Dialer({
    address: `${s.peer.host.includes(':') ? `[${s.peer.host}]` : s.peer.host}:${s.peer.port}`,
    material: b.material,
    session,
    reconnectInitialMs: s.link.reconnectInitialMs,
    reconnectMaxMs: s.link.reconnectMaxMs,
    keepalive: { intervalMs: s.link.keepaliveMs, timeoutMs: s.link.keepaliveTimeoutMs },
    maxMessageBytes: s.link.maxMessageBytes,
    log,
    onSession: (outbound) => monitor.attachOutbound(outbound),
  });
  return {
    monitor,
    dialer,
    acceptHeartbeat(call) {
      const inbound = new HeartbeatSession(call, { ...session, side: 'server' });
      monitor.attachInbound(inbound);
      inbound.on('verified', () => dialer.kick());
      inbound.start();
    },
  };
}

/** The embedded authoritative DNS server, when the settings enable it. */
export async function buildEmbeddedDns(b: Base): Promise<EmbeddedDns | undefined> {
  if (!b.s.dns.embedded.enabled) return undefined;
  return startEmbeddedDns({
    ...embeddedDnsFromSettings(b.s.dns, b.loaded.resolvePath, b.s.dataDir),
    logger: b.log.child({ component: 'dns' }),
  });
}

export function buildNotifier(b: Base): Notifier {
  return new Notifier({
    settings: () => b.loaded.settings.notifications,
    resolvePath: b.loaded.resolvePath,
    server: { role: b.s.role, name: b.name },
    log: b.log.child({ component: 'notify' }),
    now: b.now,
    onDelivered: (m, deliveries) => {
      for (const d of deliveries) b.outcomes.notification(m.code, d.ok);
    },
  });
}

export function buildManaged(b: Base): ManagedPort {
  return managedPort(b.loaded, b.log.child({ component: 'managed' }));
}

/** The switch's hand-over between the agents (the fenced side waits for the epoch). */
export function buildHandOver(
  b: Base,
  managed: ManagedPort,
  link: Link,
  parts: PartHost,
  runner: () => Runner | undefined,
): HandOver {
  return new HandOver({
    role: b.s.role,
    name: b.name,
    epoch: () => b.epoch.value,
    refusal: () => {
      const r = runner();
      return r ? handOverRefusal(r.state) : 'the agent is starting';
    },
    managed,
    synced: (ms) => parts.synced(ms),
    drainTimeoutMs: b.s.system.reverseSyncTimeoutSeconds * 1000,
    commandTimeoutMs: b.s.managedSystem.commandTimeoutSeconds * 1000,
    peer: () => link.dialer.peerClient(),
    log: b.log.child({ component: 'switch' }),
  });
}

/**
 * The witness client on etcd (issue 15), when settings.witness is set: it renews this side's
 * lease, holds the key while the epoch names this side, and reports each round to the runner.
 */
export function buildWitness(b: Base, runner: () => Runner | undefined): EtcdWitness | undefined {
  const w = b.s.witness;
  if (!w) return undefined;
  // etcd3 (~9 MB resident) is loaded only by an agent that has a witness.
  const { EtcdWitness } = require('./witness') as typeof import('./witness');
  return new EtcdWitness({
    settings: w,
    role: b.s.role,
    resolvePath: b.loaded.resolvePath,
    epoch: () => b.epoch.value,
    report: (r) => runner()?.feed({ type: 'WitnessChecked', ...r }),
    log: b.log.child({ component: 'witness' }),
    now: b.now,
  });
}

/**
 * The runner (the only caller of the state machine) with its effects, and the steering that tells
 * the replication parts which way data flows (state/direction.ts decides) whenever the state, the
 * epoch, replication or the link changes.
 */
export function buildRunner(
  b: Base,
  d: {
    managed: ManagedPort;
    notifier: Notifier;
    handOver: HandOver;
    parts: PartHost;
    link: Link;
    witness: EtcdWitness | undefined;
  },
): Runner {
  const { s } = b;
  let replicating = false;
  const ref: { runner?: Runner } = {};
  const steer = () =>
    d.parts.setDirection(
      directionOf({
        state: ref.runner?.state.name ?? 'Stopped',
        replicating,
        role: s.role,
        epoch: b.epoch.value,
        peerConnected: d.link.dialer.peerClient() !== undefined,
      }),
    );
  const machine = (ref.runner = new Runner({
    settings: s,
    local: () => ({ version: b.version, ...localTimeZone(new Date(b.now())) }),
    now: b.now,
    log: b.log,
    persisted: b.persisted,
    effects: agentEffects({
      loaded: b.loaded,
      log: b.log,
      stateFile: b.stateFile,
      managed: d.managed,
      monitor: monitorPort(b.loaded),
      setReplication: (on) => {
        replicating = on;
        steer();
      },
      reverseSync: async () => {
        if (holderOf(b.epoch.value) !== s.role || !replicating) {
          throw new Error(
            'this server does not run the managed system with replication on, so it has nothing to send',
          );
        }
        await d.parts.synced(s.system.reverseSyncTimeoutSeconds * 1000);
      },
      handOver: () => d.handOver.request(),
      onEpoch: (e) => {
        b.epoch.value = e;
        steer();
        // The side the new epoch names takes or adopts the key now, not at the next renewal.
        void d.witness?.check();
      },
      ...(d.witness ? { witness: d.witness } : {}),
      notifier: d.notifier,
      onDnsUpdate: (result) => b.outcomes.dnsUpdate(result),
    }),
  }));
  const { monitor } = d.link;
  monitor.on('observed', (o) => {
    machine.feed(o);
    if (o.type === 'PeerConnected' || o.type === 'PeerLost' || o.type === 'PeerStopped') steer();
  });
  // The peer hears a new state or epoch at once, not at the next beat: a switch's hand-over
  // (the epoch the fenced side waits for) is shorter by up to one heartbeat interval.
  let announced = { state: '', epoch: -1 };
  machine.on('changed', (st) => {
    steer();
    d.handOver.epochChanged();
    if (st.name !== announced.state || b.epoch.value !== announced.epoch) {
      announced = { state: st.name, epoch: b.epoch.value };
      monitor.beatNow();
    }
  });
  return machine;
}

/** Calls `listener` after anything that may change the status: machine decisions, link observations. */
export function statusChanges(runner: Runner, link: Link): (listener: () => void) => () => void {
  return (listener) => {
    runner.on('changed', listener);
    link.monitor.on('observed', listener);
    return () => {
      runner.off('changed', listener);
      link.monitor.off('observed', listener);
    };
  };
}

/** The Control service (CLI, admin page, integrators) with the parts' own operations. */
export function buildControl(
  b: Base,
  d: { runner: Runner; link: Link; parts: PartHost; status(): Status; restart(): void },
): WiredControl {
  const { runner, link } = d;
  return wireControl({
    loaded: b.loaded,
    log: b.log,
    name: b.name,
    machine: runner,
    status: d.status,
    onChange: statusChanges(runner, link),
    peer: () => link.dialer.peerClient(),
    agentFingerprints: [b.material.ownFingerprint, b.material.peerFingerprint],
    more: d.parts.controlHandlers(),
    restart: d.restart,
    shutdowns: b.shutdowns,
  });
}

/** The one gRPC server: Link (heartbeats, the parts' streams, forwarded requests) and Control. */
export function buildServer(
  b: Base,
  d: { link: Link; control: ControlService; parts: PartHost; handOver: HandOver },
): Promise<RunningServer> {
  return startServer({
    host: b.s.listen.host,
    port: b.s.listen.port,
    material: b.material,
    keepalive: { intervalMs: b.s.link.keepaliveMs, timeoutMs: b.s.link.keepaliveTimeoutMs },
    maxMessageBytes: b.s.link.maxMessageBytes,
    log: b.log.child({ component: 'link' }),
    onHeartbeat: (call) => d.link.acceptHeartbeat(call as unknown as FrameStream),
    control: d.control.handlers,
    link: d.parts.linkHandlers(),
    linkUnary: { ...d.control.link, ...d.handOver.linkHandlers() },
  });
}

/** What the replication parts are given: settings, clock, epoch, the peer's client, the runner's ear. */
export function partContext(b: Base, link: Link, runner: Runner): PartContext {
  return {
    loaded: b.loaded,
    settings: b.s,
    log: b.log,
    epoch: () => b.epoch.value,
    peer: () => link.dialer.peerClient(),
    report: (problem) => runner.feed(problem),
    now: b.now,
  };
}

/** The state as the link announces it; 'Stopped (starting)' until the runner exists. */
export function stateOf(runner: () => Runner | undefined): () => { name: string; reason: string } {
  return () => {
    const r = runner();
    return r ? describeState(r.state) : { name: 'Stopped', reason: 'starting' };
  };
}

// Composition root: builds each piece of the agent in one named place (builders.ts) and wires
// them; it decides nothing. The order below is the start order; stop() runs it backwards.
import { agentStateCode, type Logger, type Status, type WitnessStatus } from '@sparesync/common';
import { restartProcess } from './api/wiring';

import type { ControlService } from './api/control-service';
import {
  buildBase,
  buildControl,
  buildEmbeddedDns,
  buildHandOver,
  buildLink,
  buildManaged,
  buildNotifier,
  buildRunner,
  buildServer,
  buildWitness,
  partContext,
  stateOf,
  type Base,
  type BuildOptions,
  type Link,
} from './builders';
import { buildHttp } from './builders-http';
import type { EmbeddedDns } from './dns';
import type { RunningHttpServer } from './http';
import type { Notifier } from './notify';
import { askHostZoneName } from './link/handshake';
import { PartHost } from './part-host';
import { STOP_DEADLINE_MS, stopWithin } from './stop-deadline';
import type { Runner } from './runner/runner';
import type { RunningServer } from './server';
import { describeState, holderOf, type MachineState, type WitnessFacts } from './state';
import type { HandOver } from './switching/hand-over';
import type { EtcdWitness } from './witness';

/** How long a stop may take (systemd's TimeoutStopSec is 30 s: ours ends first and says where). */

export interface AgentOptions extends BuildOptions {
  /** After the Restart RPC (default: stop, then exit with RESTART_EXIT_CODE for the service manager). */
  onRestart?: (agent: Agent) => void;
}

interface Pieces {
  base: Base;
  link: Link;
  dns: EmbeddedDns | undefined;
  notifier: Notifier;
  parts: PartHost;
  handOver: HandOver;
  runner: Runner;
  witness: EtcdWitness | undefined;
  control: ControlService;
  server: RunningServer;
  /** The admin page's server; undefined when disabled or when it could not listen. */
  http: RunningHttpServer | undefined;
  startedAtMs: number;
}

export class Agent {
  private constructor(private readonly p: Pieces) {}

  static async start(configFile: string, opts: AgentOptions = {}): Promise<Agent> {
    const zoneName = askHostZoneName(); // started by main.ts already; the Hello needs it
    const base = buildBase(configFile, opts);
    const ref: { runner?: Runner; agent?: Agent } = {};
    const link = buildLink(
      base,
      stateOf(() => ref.runner),
    );
    const dns = await buildEmbeddedDns(base);
    const notifier = buildNotifier(base);
    const managed = buildManaged(base);
    const parts = new PartHost(); // the replication parts: parts-registry.ts
    const handOver = buildHandOver(base, managed, link, parts, () => ref.runner);
    const witness = buildWitness(base, () => ref.runner);
    const runner = (ref.runner = buildRunner(base, { managed, notifier, handOver, parts, link, witness }));
    const control = buildControl(base, {
      runner,
      link,
      parts,
      status: () => (ref.agent ? ref.agent.status() : notStarted()),
      restart: () => ref.agent && (opts.onRestart ?? restartProcess)(ref.agent),
    });
    await zoneName;
    const server = await buildServer(base, { link, control, parts, handOver }).catch(async (e: unknown) => {
      await dns?.close();
      await notifier.announce('LinkServerNotStarted', e instanceof Error ? e.message : String(e));
      throw e;
    });
    // Without its page the agent still fails over: a listen error is announced, not fatal.
    const http = await buildHttp(base, {
      control,
      runner,
      link,
      status: () => (ref.agent ? ref.agent.status() : notStarted()),
    }).catch((e: unknown) => {
      const detail = e instanceof Error ? e.message : String(e);
      base.log.error(`the admin page could not start: ${detail}`);
      notifier.raise('HttpServerNotStarted', detail);
      return undefined;
    });
    const { s, log } = base;
    const agent: Agent = new Agent({
      base,
      link,
      dns,
      notifier,
      parts,
      handOver,
      runner,
      witness,
      control,
      server,
      http,
      startedAtMs: base.now(),
    });
    ref.agent = agent;
    base.shutdowns.start();
    await parts.start(partContext(base, link, runner));
    log.info(`sparesync-agent ${base.version} started as ${s.role}`, {
      listen: `${s.listen.host}:${server.port}`,
      ...(http ? { admin: `${http.url}/web/` } : {}),
      peer: `${s.peer.host}:${s.peer.port}`,
      epoch: base.epoch.value,
      holder: holderOf(base.epoch.value),
      ...(dns ? { dns: `${dns.host}:${dns.port}` } : {}),
    });
    runner.start();
    witness?.start();
    link.dialer.start();
    return agent;
  }

  /** The agent's logger (main.ts logs internal errors through it). */
  get log(): Logger {
    return this.p.base.log;
  }

  get port(): number {
    return this.p.server.port;
  }

  /** The admin page's port, when it is served. */
  get adminPort(): number | undefined {
    return this.p.http?.port;
  }

  get machineState(): MachineState {
    return this.p.runner.state;
  }

  status(): Status {
    const { base, runner } = this.p;
    const { monitor, dialer } = this.p.link;
    const s = base.loaded.settings;
    const { peer, link } = monitor;
    const local = describeState(runner.state);
    const remoteState = peer.stopped ? 'Stopped' : link.connected ? peer.state : 'Unknown';
    return {
      local: {
        role: s.role,
        state: local.name,
        stateCode: agentStateCode(local.name),
        reason: local.reason,
        version: base.version,
        name: base.name,
        epoch: base.epoch.value,
        startedAtMs: this.p.startedAtMs,
        decision: runner.decision,
        lastSwitch: runner.lastSwitch ?? null,
        lastShutdown: base.shutdowns.last ?? null,
      },
      remote: {
        state: remoteState,
        stateCode: agentStateCode(remoteState),
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
      folders: [],
      database: null,
      witness: this.p.witness ? witnessStatus(runner.state.facts.witness, base.now()) : null,
      ...this.p.parts.status(),
    };
  }

  /**
   * Stops on purpose: tells the peer (Goodbye), closes the link and the server. A stop that has not
   * ended after STOP_DEADLINE_MS rejects naming the step it hangs in (the caller exits non-zero)
   * instead of leaving a process that neither serves nor ends.
   */
  async stop(reason = 'the agent was stopped'): Promise<void> {
    await stopWithin(
      STOP_DEADLINE_MS,
      (at) => this.stopSteps(reason, at),
      (message) => this.p.base.log.error('sparesync-agent did not stop cleanly', { err: message }),
    );
  }

  private async stopSteps(reason: string, at: (step: string) => void): Promise<void> {
    const { runner, parts, link, server, dns, control, base, http } = this.p;
    const { log } = base;
    this.p.handOver.stop();
    await runner.stop(reason);
    this.p.witness?.stop();
    // Sends under way get a moment to finish; messages still waiting for their delay are dropped.
    at('the notifications');
    await this.p.notifier.stop();
    control.close();
    await parts.stop((left) => at(`the parts (${left})`));
    link.dialer.stop(reason);
    link.monitor.goodbyeInbound(reason);
    at('the admin page');
    await http?.close().catch(() => undefined);
    at('the link server');
    await server.shutdown();
    at('the DNS server');
    await dns?.close();
    base.shutdowns.stopped(reason);
    log.info('sparesync-agent stopped', { reason });
    at('the log');
    await new Promise<void>((resolve) => {
      log.on('finish', () => resolve());
      log.end();
      setTimeout(resolve, 500).unref();
    });
  }
}

function witnessStatus(w: WitnessFacts, now: number): WitnessStatus {
  return {
    reachable: w.reachable === true,
    holderRole: w.holder?.role ?? '',
    holderEpoch: w.holder?.epoch ?? 0,
    mine: w.mine,
    leaseLeftMs: w.leaseValidUntil === undefined ? 0 : Math.max(0, w.leaseValidUntil - now),
    epoch: w.epoch ?? -1,
    detail: w.detail,
    selfFenced: w.selfFenced,
  };
}

function notStarted(): Status {
  throw new Error('the agent is still starting');
}

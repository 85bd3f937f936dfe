// The thin runner around the pure state machine (state/README.md): feed an observation, log the
// decision, make Persist* actions durable before anything else, run the other actions, and feed
// their outcomes back as observations. Probes (Check*) run side by side, one of a kind at a time;
// every other action runs in one serial lane, in the order the machine asked for them.
import { EventEmitter } from 'node:events';
import { type Logger, type MessageCode, type Role, type SwitchLog, type Transition } from '@sparesync/common';
import {
  decide,
  describeState,
  initialState,
  nextTickDue,
  pushHistory,
  transitionOf,
  type Action,
  type DecisionSettings,
  type Identity,
  type MachineState,
  type Observation,
} from '../state';
import { switchLogOf } from './switch-log';

export interface ProbeResult {
  ok: boolean;
  detail: string;
  /** The thing to ask did not answer at all (only the DNS check tells this apart). */
  unreachable?: boolean;
}

/** What the actions do in the world. Each throws (or rejects) with a message naming the cause. */
export interface Effects {
  /** Durable before it returns (fsync). */
  persistEpoch(epoch: number): void;
  persistTurnedOff(cause: string | undefined): void;
  startManagedSystem(): Promise<void>;
  stopManagedSystem(): Promise<void>;
  writeOfflineMarker(): Promise<void>;
  removeOfflineMarker(): Promise<void>;
  /** Whether this side replicates (see Direction in parts.ts). */
  setReplication(on: boolean): void;
  reverseSync(): Promise<void>;
  /** Asks the primary to stop its managed system and drain replication; resolves to a detail line. */
  handOver(): Promise<string>;
  /** Moves the witness key with the epoch in one etcd transaction; resolves to a detail line. */
  takeWitnessKey(t: { holder: Role; epoch: number; fromEpoch: number; onlyIfFree: boolean }): Promise<string>;
  /** Compare-and-swap the record from one role's address to the other's; resolves to a detail line. */
  updateDns(from: Role, to: Role): Promise<string>;
  checkTestPage(target: Role): Promise<ProbeResult>;
  checkExternalResources(): Promise<ProbeResult>;
  checkDns(): Promise<ProbeResult>;
  /** Whether this server's own managed system runs (the fence watch), with a detail line. */
  checkManagedSystem(): Promise<{ running: boolean; detail: string }>;
  /** Hands a message to the notifier (notify/), which applies delays and repeats; never throws. */
  sendMessage(code: MessageCode, detail: string, source?: string): void;
  /** The condition behind a message ended (CancelMessage); never throws. */
  cancelMessage(code: MessageCode, source?: string): void;
}

export interface RunnerOptions {
  settings: DecisionSettings;
  /** This server's version and time zone now (the UTC offset follows daylight saving). */
  local: () => Omit<Identity, 'role'>;
  now: () => number;
  log: Logger;
  effects: Effects;
  persisted: { epoch: number; turnedOff?: string };
  /** The tick while the machine may act on any tick (1 s). */
  tickMs?: number;
  /** The longest wait between ticks while the machine says none is due (a safety net, 60 s). */
  quietCeilingMs?: number;
  maxHistory?: number;
}

type Probe = 'CheckTestPage' | 'CheckExternalResources' | 'CheckDns';

export class Runner extends EventEmitter<{ changed: [state: MachineState] }> {
  private current: MachineState;
  private history: Transition[] = [];
  private lastReason = '';
  private switchLog: SwitchLog | undefined;
  private serial: Promise<void> = Promise.resolve();
  private readonly probes = new Set<Probe>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Every `tickMs` while the machine may act on any tick. */
  private ticker: NodeJS.Timeout | undefined;
  /** One Tick at `wakeAt` while the machine says no tick matters before then. */
  private wake: NodeJS.Timeout | undefined;
  private wakeAt = 0;
  private lastTickAt = 0;
  private started = false;
  private stopping = false;

  constructor(private readonly o: RunnerOptions) {
    super();
    this.current = initialState(o.persisted, o.now());
    this.history = [{ atMs: o.now(), from: '', to: 'Stopped', reason: 'starting', epoch: o.persisted.epoch }];
  }

  get state(): MachineState {
    return this.current;
  }

  transitions(): Transition[] {
    return [...this.history];
  }

  /** The machine's latest judgement in one sentence (e.g. why it does not switch now). */
  get decision(): string {
    return this.lastReason;
  }

  /** The switch under way, or the last one since start. */
  get lastSwitch(): SwitchLog | undefined {
    return this.switchLog;
  }

  start(): void {
    this.started = true;
    this.lastTickAt = this.o.now();
    this.feed({ type: 'AgentStarted' });
  }

  /** Decides on one observation and starts its actions. Synchronous up to the persisted writes. */
  feed(obs: Observation): void {
    if (this.stopping && obs.type !== 'AgentStopping') return;
    const before = this.current;
    const now = this.o.now();
    if (obs.type === 'Tick') this.lastTickAt = now;
    const ctx = { settings: this.o.settings, now, local: this.o.local() };
    const outcome = decide(before, obs, ctx);
    const transition = transitionOf(before, outcome, now);
    this.current = outcome.state;
    if (transition) {
      this.history = pushHistory(this.history, transition, this.o.maxHistory ?? 100);
      const arrow = `${transition.from} -> ${transition.to}`;
      this.o.log.info(outcome.reason.startsWith(arrow) ? outcome.reason : `${arrow}: ${outcome.reason}`, {
        epoch: outcome.state.facts.epoch,
        observation: obs.type,
      });
    } else if (outcome.reason !== this.lastReason && obs.type !== 'Tick' && obs.type !== 'PeerHeartbeat') {
      this.o.log.debug(outcome.reason, { state: outcome.state.name, observation: obs.type });
    }
    this.lastReason = outcome.reason;
    this.switchLog = switchLogOf(before, outcome, now) ?? this.switchLog;
    for (const action of outcome.actions) this.run(action);
    if (
      transition ||
      describeState(before).reason !== describeState(outcome.state).reason ||
      witnessShown(before) !== witnessShown(outcome.state)
    ) {
      this.emit('changed', outcome.state);
    }
    this.planTicks(ctx);
  }

  /**
   * Ticks every `tickMs` while the machine may act on any tick, else one Tick when it says the next
   * is due (state/next-due.ts), at the latest `quietCeilingMs` after the last one. Asked again
   * after every observation, since any of them can bring a due moment nearer.
   */
  private planTicks(ctx: { settings: DecisionSettings; now: number; local: Omit<Identity, 'role'> }): void {
    if (!this.started || this.stopping) return;
    const due = nextTickDue(this.current, ctx);
    if (due === undefined) {
      if (this.ticker) return;
      this.clearTicks();
      this.ticker = setInterval(() => this.feed({ type: 'Tick' }), this.o.tickMs ?? 1000);
      this.ticker.unref();
      return;
    }
    const at = Math.min(due, this.lastTickAt + (this.o.quietCeilingMs ?? 60_000));
    if (this.wake && this.wakeAt === at) return;
    this.clearTicks();
    this.wakeAt = at;
    this.wake = setTimeout(
      () => {
        this.wake = undefined;
        this.feed({ type: 'Tick' });
      },
      Math.max(0, at - ctx.now),
    );
    this.wake.unref();
  }

  private clearTicks(): void {
    clearInterval(this.ticker);
    clearTimeout(this.wake);
    this.ticker = undefined;
    this.wake = undefined;
  }

  /** Feeds AgentStopping and waits (up to `waitMs`) for the actions under way. */
  async stop(reason: string, waitMs = 5000): Promise<void> {
    this.feed({ type: 'AgentStopping', reason });
    this.stopping = true;
    this.clearTicks();
    for (const t of this.timers) clearTimeout(t);
    await Promise.race([this.serial, new Promise((r) => setTimeout(r, waitMs).unref())]);
  }

  private run(action: Action): void {
    const e = this.o.effects;
    switch (action.type) {
      case 'PersistEpoch':
        return this.persist(action, () => e.persistEpoch(action.epoch));
      case 'PersistTurnedOff':
        return this.persist(action, () => e.persistTurnedOff(action.turnedOff ? action.cause : undefined));
      case 'SendMessage':
        return e.sendMessage(action.code, action.detail, action.source);
      case 'CancelMessage':
        return e.cancelMessage(action.code, action.source);
      case 'ScheduleTick': {
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.feed({ type: 'Tick' });
        }, action.afterMs);
        t.unref();
        this.timers.add(t);
        return;
      }
      case 'CheckTestPage':
        return this.probe(
          action,
          () => e.checkTestPage(action.target),
          (r) => ({ type: 'TestPageChecked', ...r }),
        );
      case 'CheckExternalResources':
        return this.probe(
          action,
          () => e.checkExternalResources(),
          (r) => ({
            type: 'ExternalResourcesChecked',
            ...r,
          }),
        );
      case 'CheckDns':
        return this.probe(
          action,
          () => e.checkDns(),
          (r) => ({ type: 'DnsChecked', ...r }),
        );
      default:
        this.serial = this.serial.then(() => this.execute(action));
    }
  }

  private persist(action: Action, write: () => void): void {
    try {
      write();
      const step = 'step' in action ? action.step : undefined;
      // Reported after the current decision's other actions have started, never in the middle.
      if (step) queueMicrotask(() => this.feed({ type: 'SwitchStepFinished', step, ok: true }));
    } catch (err) {
      this.failed(action, err);
    }
  }

  private probe(
    action: Extract<Action, { type: Probe }>,
    check: () => Promise<ProbeResult>,
    observation: (r: ProbeResult) => Observation,
  ): void {
    // A probe that is part of a switch step must report its step even when a regular one runs.
    const step = 'step' in action ? action.step : undefined;
    if (!step) {
      if (this.probes.has(action.type)) return;
      this.probes.add(action.type);
    }
    // A probe that answers ok:false saw the thing fail; one that throws could not look (its
    // settings are wrong): that is never evidence of a dead primary, so it is reported as a failed
    // action instead.
    check()
      .then(
        (r) => {
          if (!step) this.probes.delete(action.type);
          if (step) {
            this.feed(
              r.ok
                ? { type: 'SwitchStepFinished', step, ok: true, detail: r.detail }
                : { type: 'SwitchStepFinished', step, ok: false, error: r.detail },
            );
          } else {
            this.feed(observation(r));
          }
        },
        (err: unknown) => {
          if (!step) this.probes.delete(action.type);
          this.failed(action, err);
        },
      )
      .catch((err: unknown) => this.o.log.error('internal error after a probe', { error: String(err) }));
  }

  private async execute(action: Action): Promise<void> {
    if (this.stopping) return;
    const e = this.o.effects;
    try {
      let detail = '';
      switch (action.type) {
        case 'StartManagedSystem':
          await e.startManagedSystem();
          break;
        case 'StopManagedSystem':
          await e.stopManagedSystem();
          break;
        case 'WriteOfflineMarker':
          await e.writeOfflineMarker();
          break;
        case 'RemoveOfflineMarker':
          await e.removeOfflineMarker();
          break;
        case 'StopReplication':
          e.setReplication(false);
          break;
        case 'ResumeReplication':
          e.setReplication(true);
          break;
        case 'ReverseSync':
          await e.reverseSync();
          break;
        case 'HandOver':
          detail = await e.handOver();
          break;
        case 'UpdateDns':
          detail = await e.updateDns(action.from, action.to);
          break;
        case 'TakeWitnessKey':
          detail = await e.takeWitnessKey(action);
          break;
        case 'CheckManagedSystem': {
          // In the serial lane, after any stop asked for before it: a check that overtook the
          // stop would find the managed system still running and stop it a second time.
          const r = await e.checkManagedSystem();
          this.feed({ type: 'ManagedSystemChecked', ...r });
          return;
        }
        default:
          throw new Error(`the runner cannot execute ${action.type}`);
      }
      this.o.log.info(`done: ${action.type}${detail ? `: ${detail}` : ''}`);
      // An action that failed earlier and has now succeeded: its problem has ended.
      const source = `action:${action.type}`;
      if (this.current.facts.problems.some((p) => p.source === source))
        this.feed({ type: 'ProblemCleared', source });
      if ('step' in action && action.step)
        this.feed({ type: 'SwitchStepFinished', step: action.step, ok: true, ...(detail ? { detail } : {}) });
    } catch (err) {
      this.failed(action, err);
    }
  }

  private failed(action: Action, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    this.o.log.error(`${action.type} failed: ${error}`);
    if ('step' in action && action.step) {
      this.feed({ type: 'SwitchStepFinished', step: action.step, ok: false, error });
    } else {
      this.feed({ type: 'ActionFailed', action: action.type, error });
    }
  }
}

/** What status shows of the witness and may change without a transition (watchers hear of it). */
function witnessShown(s: MachineState): string {
  const w = s.facts.witness;
  return JSON.stringify([w.reachable, w.holder?.role, w.holder?.epoch, w.mine, w.epoch, w.selfFenced]);
}

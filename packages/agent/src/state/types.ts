// The vocabulary of the state machine: what it knows (Facts), what it is doing (MachineState),
// what it hears (Observation, past-tense facts) and what it asks for (Action, imperatives).
// Types only: the machine does no I/O and reads no clock; time arrives as ctx.now.
import type { AgentStateName, MessageCode, RemoteStateName, Role, Settings } from '@sparesync/common';

/** The settings the machine decides with. managedSystem (is a test page configured?) and dns (is
 * DNS switching on?) are read as well, so a step that cannot apply says "skipped" instead of failing. */
export type DecisionSettings = Pick<
  Settings,
  'system' | 'maintenanceWindows' | 'link' | 'network' | 'managedSystem' | 'dns' | 'witness'
> & { role: Role };

/** What the handshake compares (guide §8.1 items 1, 2 and 4). */
export interface Identity {
  role: Role;
  version: string;
  timeZone: string;
  utcOffsetMinutes: number;
}

export interface DecisionContext {
  settings: DecisionSettings;
  /** Milliseconds since the Unix epoch; the only clock the machine sees. */
  now: number;
  /** This server's version and time zone. utcOffsetMinutes is the offset in force at `now` (the
   * runner passes the current one, so daylight saving is followed) and places maintenance windows. */
  local: Omit<Identity, 'role'>;
}

// ---- Facts: what the agent knows about the world, kept in every state ----

export interface Probe {
  ok: boolean | undefined;
  detail: string;
  /** When `ok` last changed (undefined before the first answer). */
  changedAt: number | undefined;
  checkedAt: number | undefined;
  requestedAt: number | undefined;
  /** When the probe last went from failing to ok (the start of a recovery period). */
  recoveredAt: number | undefined;
}

export interface PeerFacts {
  connected: boolean;
  /** From the last successful handshake; undefined until the peer has been reached. */
  identity: Identity | undefined;
  /** Its own state as it last reported it (Unknown until reached); kept after a Goodbye, which
   * saidGoodbye records, so a peer that was TurnedOff before it stopped is still known as such. */
  state: RemoteStateName;
  /** The highest epoch the peer has announced. */
  epoch: number;
  /** The last handshake or beat fed; the link monitor feeds a beat only when it brings news
   * (state or epoch), so this is not the last beat heard (link/link-monitor.ts keeps that). */
  lastSeenAt: number | undefined;
  lostAt: number | undefined;
  saidGoodbye: boolean;
}

/** config → ConfigurationError; fatal → TurnedOff until the operator turns SpareSync on;
 * warning → WorkingWithErrors. */
export type ProblemKind = 'config' | 'fatal' | 'warning';

export interface Problem {
  /** 'handshake' | 'pair-key' | 'clock' | 'dns' | 'db' | 'db:reinit-required' | `files:${folder}` | `files:${folder}:failed` | `action:${type}` */
  source: string;
  kind: ProblemKind;
  detail: string;
  since: number;
}

export interface Facts {
  /** This server's persisted epoch. Its parity names the side that runs the managed system (epoch.ts). */
  epoch: number;
  /** Whether the runner was last told to replicate (ResumeReplication) or not (StopReplication). */
  replicating: boolean;
  peer: PeerFacts;
  /** The primary's managed system as seen from the secondary. */
  testPage: Probe;
  /** External resources as seen from this server (the secondary's proof it is not the isolated one). */
  external: Probe;
  /** Guide §8.1 item 5: the managed system's name points at the primary or the secondary. */
  dns: Probe;
  problems: Problem[];
  /** The last moment seen inside a maintenance window: unavailability is counted from after it. */
  maintenanceSeenAt: number | undefined;
  /** This server's own managed system as the fence watch last saw it (fence-watch.ts). */
  fenceWatch: FenceWatch;
  /** The etcd witness as its client last reported it (witness.ts); idle without settings.witness. */
  witness: WitnessFacts;
}

/** The value of `<prefix>/holder`: who serves, at which epoch, since when. */
export interface WitnessHolder {
  role: Role;
  epoch: number;
  since: number;
}

export interface WitnessFacts {
  /** undefined until the witness client first answers. */
  reachable: boolean | undefined;
  detail: string;
  /** The holder key as last read; undefined when absent (its lease expired, or never taken). */
  holder: WitnessHolder | undefined;
  /** The key names this side and this side's lease backs it. */
  mine: boolean;
  /** The epoch recorded at `<prefix>/epoch`, undefined when none is. */
  epoch: number | undefined;
  /** Until when this side's lease is surely alive: the last renewal's send time + its TTL. */
  leaseValidUntil: number | undefined;
  checkedAt: number | undefined;
  /** This side stopped its managed system because it was cut off from its peer and the witness. */
  selfFenced: boolean;
}

/** What the fence watch knows: while fenced, this server's managed system is checked at an
 * interval and stopped again whenever it is found running. */
export interface FenceWatch {
  requestedAt: number | undefined;
  checkedAt: number | undefined;
  /** The last answer: true while the managed system was found running. */
  running: boolean | undefined;
  detail: string;
  /** Times it was found running and stopped again since this agent started. */
  foundRunning: number;
  lastFoundAt: number | undefined;
}

// ---- States: the guide's (§8), with the data that belongs to each ----

export type Step =
  // taking over (the secondary switches to itself)
  | 'recheck-criteria'
  | 'hand-over'
  | 'take-witness-key'
  | 'persist-epoch'
  | 'stop-replication'
  | 'start-managed-system'
  | 'remove-offline-marker'
  | 'check-test-page'
  | 'update-dns'
  // handing back (the secondary gives the managed system back to the primary, guide §10.1.3)
  | 'check-primary-ready'
  | 'write-offline-marker'
  | 'stop-managed-system'
  | 'reverse-sync';

export interface StepRecord {
  step: Step;
  outcome: 'done' | 'skipped' | 'failed';
  detail: string;
  at: number;
}

export type StepPhase =
  | { kind: 'running'; step: Step; attempt: number; since: number; epoch?: number }
  | { kind: 'waiting'; step: Step; attempt: number; retryAt: number; lastError: string }
  | { kind: 'halted'; step: Step; error: string };

export interface SwitchProgress {
  /** One attempt of a switch: a retry after a halt is a new attempt with a new id (and log). */
  id: string;
  startedAt: number;
  /** criteria: the §10.1.1 checks passed; operator: a request; resume: finishing a switch after a restart. */
  requestedBy: 'criteria' | 'operator' | 'resume';
  why: string;
  /** Finished steps in order: the switch log shown to the operator (guide §10.1.4). */
  log: StepRecord[];
  phase: StepPhase;
  /** Set when a witness was configured as the switch began: its plan has step take-witness-key. */
  witness?: true;
}

interface Common {
  facts: Facts;
  /** When this state was entered. */
  since: number;
}

export interface Stopped extends Common {
  name: 'Stopped';
  reason: string;
  /** Persisted TurnedOff cause to come back to on AgentStarted. */
  turnedOff: string | undefined;
}
export interface TurnedOff extends Common {
  name: 'TurnedOff';
  /** Why: the operator, a fatal error, or fixed configuration errors waiting for the operator. */
  cause: string;
}
export interface Switched extends Common {
  name: 'Switched';
  /** True on the side that lost the managed system to a higher epoch. */
  fenced: boolean;
}
export interface ConfigurationError extends Common {
  name: 'ConfigurationError';
  /** Rebuilt from facts.problems on every decision, so it never goes stale. */
  reasons: string[];
}
export interface Inactive extends Common {
  name: 'Inactive';
  /** Since when the peer has been unreachable (or since start, if never reached). */
  peerLostAt: number;
}
export interface Working extends Common {
  name: 'Working';
}
export interface WorkingWithErrors extends Common {
  name: 'WorkingWithErrors';
  errors: string[];
}
export interface SwitchingToSecondary extends Common {
  name: 'SwitchingToSecondary';
  progress: SwitchProgress;
}
export interface SwitchingToPrimary extends Common {
  name: 'SwitchingToPrimary';
  progress: SwitchProgress;
}

export type MachineState =
  | Stopped
  | TurnedOff
  | Switched
  | ConfigurationError
  | Inactive
  | Working
  | WorkingWithErrors
  | SwitchingToSecondary
  | SwitchingToPrimary;

export type StateOf<N extends AgentStateName> = Extract<MachineState, { name: N }>;

// ---- Observations: past-tense facts the runner reports ----

export type Observation =
  | { type: 'AgentStarted' }
  | { type: 'AgentStopping'; reason: string }
  | { type: 'PeerConnected'; peer: Identity & { epoch: number; state: RemoteStateName } }
  | { type: 'PeerHandshakeFailed'; reason: string }
  | { type: 'PeerHeartbeat'; state: RemoteStateName; epoch: number }
  | { type: 'PeerLost'; detail: string }
  | { type: 'PeerStopped'; reason: string }
  | { type: 'ClockOffsetMeasured'; offsetMs: number }
  | { type: 'Tick' }
  | { type: 'TestPageChecked'; ok: boolean; detail: string }
  | { type: 'ExternalResourcesChecked'; ok: boolean; detail: string }
  /** unreachable: the DNS server did not answer (timeout, refused): no evidence about the name. */
  | { type: 'DnsChecked'; ok: boolean; detail: string; unreachable?: boolean }
  /** The answer to CheckManagedSystem: this server's managed system runs (or not). */
  | { type: 'ManagedSystemChecked'; running: boolean; detail: string }
  /** The witness client's round: lease renewed (or not), the holder and epoch keys as read. */
  | {
      type: 'WitnessChecked';
      reachable: boolean;
      detail: string;
      holder?: WitnessHolder;
      mine: boolean;
      epoch?: number;
      leaseValidUntil?: number;
    }
  | { type: 'OperatorTurnedOff' }
  | { type: 'OperatorTurnedOn' }
  /** undo: the switch under way or halted, in the other direction (guide §10.1.4). */
  | { type: 'OperatorRequestedSwitch'; to: Role | 'undo' }
  | { type: 'SwitchStepFinished'; step: Step; ok: boolean; error?: string; detail?: string }
  /** failedFiles: files that failed to reach the receiver and are retried; source files:NAME:failed. */
  | { type: 'FileSyncProblem'; fatal: boolean; folder: string; detail: string; failedFiles?: boolean }
  /** reinitRequired: replication needs a reinitialisation the settings do not allow by itself. */
  | { type: 'DbSyncProblem'; fatal: boolean; connection: boolean; detail: string; reinitRequired?: boolean }
  | { type: 'ProblemCleared'; source: string }
  | { type: 'ActionFailed'; action: Action['type']; error: string };

// ---- Actions: imperatives the runner executes, in order ----
// Contract with the runner: an action carrying `step` is answered by SwitchStepFinished for that
// step; a Check* action without `step` by its *Checked observation; any other action that fails by
// ActionFailed. Persist* actions come first in a list and must be durable before the rest run.

export type Action =
  | { type: 'PersistEpoch'; epoch: number; step?: Step }
  /** One etcd transaction: the holder key names `holder` at `epoch` and `<prefix>/epoch` moves from
   * `fromEpoch`; with onlyIfFree it succeeds only while the holder key is absent (the old lease gone). */
  | {
      type: 'TakeWitnessKey';
      holder: Role;
      epoch: number;
      fromEpoch: number;
      onlyIfFree: boolean;
      step: Step;
    }
  | { type: 'PersistTurnedOff'; turnedOff: boolean; cause: string }
  | { type: 'WriteOfflineMarker'; step?: Step }
  | { type: 'StopManagedSystem'; step?: Step }
  | { type: 'StartManagedSystem'; step?: Step }
  | { type: 'RemoveOfflineMarker'; step?: Step }
  | { type: 'StopReplication'; step?: Step }
  | { type: 'ResumeReplication' }
  | { type: 'ReverseSync'; step: Step }
  /** A planned switch: the primary stops its managed system and drains replication to us. */
  | { type: 'HandOver'; step: Step }
  /** Compare-and-swap: change the record only while it still points at `from`. */
  | { type: 'UpdateDns'; from: Role; to: Role; step?: Step }
  | { type: 'CheckTestPage'; target: Role; step?: Step }
  | { type: 'CheckExternalResources' }
  | { type: 'CheckDns' }
  /** Is this server's own managed system running? (status command, else its own test page) */
  | { type: 'CheckManagedSystem' }
  /** Tell the operators; `source` tells apart conditions that share a code (a problem's source). */
  | { type: 'SendMessage'; code: MessageCode; detail: string; source?: string }
  /** The condition behind an earlier SendMessage of this code (and source) has ended: a message
   * still waiting for its delay is not sent, and repeats stop (guide §9). */
  | { type: 'CancelMessage'; code: MessageCode; source?: string }
  /** Deliver a Tick after this delay (a retry is due then); ticks may also come earlier or more often. */
  | { type: 'ScheduleTick'; afterMs: number; reason: string };

export interface Outcome {
  state: MachineState;
  actions: Action[];
  /** One sentence: why the machine did (or did not do) what it did. */
  reason: string;
  /** Set when this decision ended a switch: how it ended, with its last log. A switch left
   * without one (the agent stopping) was abandoned. */
  ended?: SwitchEnd;
}

export interface SwitchEnd {
  /** completed: the new side serves; cancelled: the re-check or the operator (undo) ended it
   * before it completed; abandoned: turned off or stopped in the middle. */
  result: 'completed' | 'cancelled' | 'abandoned';
  progress: SwitchProgress;
}

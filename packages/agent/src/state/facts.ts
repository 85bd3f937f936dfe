// Folding an observation into what the agent knows. This part is the same in every state; the
// state functions then decide what the new knowledge means. Messages that belong to an edge of a
// fact (the link went down, the test page started failing) are produced here, once per edge; the
// notify layer applies the guide's delays and repeat periods (§9).
import type { MessageCode } from '@sparesync/common';
import { checkClockOffset, checkHandshake } from './handshake-checks';
import { idleWitness, witnessAnswer } from './witness';
import type {
  Action,
  DecisionContext,
  Facts,
  FenceWatch,
  Observation,
  Probe,
  Problem,
  ProblemKind,
} from './types';

export const unknownProbe: Probe = {
  ok: undefined,
  detail: '',
  changedAt: undefined,
  checkedAt: undefined,
  requestedAt: undefined,
  recoveredAt: undefined,
};

export function initialFacts(epoch: number): Facts {
  return {
    epoch,
    replicating: false,
    peer: {
      connected: false,
      identity: undefined,
      state: 'Unknown',
      epoch: 0,
      lastSeenAt: undefined,
      lostAt: undefined,
      saidGoodbye: false,
    },
    testPage: unknownProbe,
    external: unknownProbe,
    dns: unknownProbe,
    problems: [],
    maintenanceSeenAt: undefined,
    fenceWatch: idleFenceWatch,
    witness: idleWitness,
  };
}

export const idleFenceWatch: FenceWatch = {
  requestedAt: undefined,
  checkedAt: undefined,
  running: undefined,
  detail: '',
  foundRunning: 0,
  lastFoundAt: undefined,
};

export interface Absorbed {
  facts: Facts;
  messages: Action[];
}

export function absorb(facts: Facts, obs: Observation, ctx: DecisionContext): Absorbed {
  const out = fold(facts, obs, ctx);
  return { facts: out.facts, messages: [...cancellations(facts, out.facts), ...out.messages] };
}

/**
 * CancelMessage for every condition that ended between `before` and `after`: a problem cleared (or
 * turned into another kind, which has its own code), the link back after it was lost or the peer
 * said Goodbye, external resources reachable again. The test page's recovery has a message of its
 * own (MainAppVisible), which the notify layer pairs with MainAppInvisible.
 */
function cancellations(before: Facts, after: Facts): Action[] {
  const out: Action[] = [];
  const cancel = (code: MessageCode, source?: string) =>
    out.push({ type: 'CancelMessage', code, ...(source === undefined ? {} : { source }) });
  for (const p of before.problems) {
    const now = after.problems.find((q) => q.source === p.source);
    if (!now || now.kind !== p.kind) cancel(problemMessage(p.source, p.kind), p.source);
  }
  if (!before.peer.connected && after.peer.connected) {
    if (before.peer.lostAt !== undefined) cancel('MissingConnection');
    if (before.peer.saidGoodbye) cancel('OtherStoppedNotify');
  }
  if (before.external.ok === false && after.external.ok === true) cancel('ExternalResourcesInvisible');
  return out;
}

function fold(facts: Facts, obs: Observation, ctx: DecisionContext): Absorbed {
  const { now, settings } = ctx;
  const messages: Action[] = [];
  const say = (code: MessageCode, detail: string, source?: string) =>
    messages.push({ type: 'SendMessage', code, detail, ...(source === undefined ? {} : { source }) });
  const withProblem = (f: Facts, source: string, kind: ProblemKind, detail: string | undefined): Facts => {
    const next = setProblem(f, source, kind, detail, now);
    const added = next.problems.find((p) => p.source === source);
    const before = f.problems.find((p) => p.source === source);
    if (added && (!before || before.kind !== added.kind || before.detail !== added.detail)) {
      say(problemMessage(source, kind), added.detail, source);
    }
    return next;
  };

  switch (obs.type) {
    case 'PeerConnected': {
      const { epoch, state, ...identity } = obs.peer;
      const peer = {
        connected: true,
        identity,
        state,
        epoch: Math.max(facts.peer.epoch, epoch),
        lastSeenAt: now,
        lostAt: undefined,
        saidGoodbye: false,
      };
      const reasons = checkHandshake({ role: settings.role, ...ctx.local }, identity);
      const f = withProblem({ ...facts, peer }, 'handshake', 'config', reasons.join('; ') || undefined);
      return { facts: setProblem(f, 'pair-key', 'config', undefined, now), messages };
    }
    case 'PeerHandshakeFailed':
      return {
        facts: withProblem(facts, 'pair-key', 'config', `the handshake with the peer failed: ${obs.reason}`),
        messages,
      };
    case 'PeerHeartbeat': {
      const peer = {
        ...facts.peer,
        // A beat only counts as a live link after a handshake has identified the peer.
        connected: facts.peer.identity !== undefined,
        state: obs.state,
        epoch: Math.max(facts.peer.epoch, obs.epoch),
        lastSeenAt: now,
        lostAt: facts.peer.identity !== undefined ? undefined : facts.peer.lostAt,
        saidGoodbye: false,
      };
      return { facts: { ...facts, peer }, messages };
    }
    case 'PeerLost': {
      if (!facts.peer.connected) return { facts, messages };
      say('MissingConnection', obs.detail);
      // The link is the fast signal: probe the primary's managed system and the outside world now,
      // instead of at the next regular check.
      return {
        facts: {
          ...facts,
          peer: { ...facts.peer, connected: false, lostAt: now },
          testPage: { ...facts.testPage, requestedAt: undefined },
          external: { ...facts.external, requestedAt: undefined },
        },
        messages,
      };
    }
    case 'PeerStopped': {
      if (settings.role === 'secondary' && !settings.system.switchIfRemoteStopped) {
        say('OtherStoppedNotify', `the primary agent stopped (${obs.reason}); no switch will be made`);
      }
      const lostAt = facts.peer.connected || facts.peer.lostAt === undefined ? now : facts.peer.lostAt;
      return {
        facts: { ...facts, peer: { ...facts.peer, connected: false, saidGoodbye: true, lostAt } },
        messages,
      };
    }
    case 'ClockOffsetMeasured':
      return {
        facts: withProblem(
          facts,
          'clock',
          'config',
          checkClockOffset(obs.offsetMs, settings.link.maxClockOffsetSeconds),
        ),
        messages,
      };
    case 'TestPageChecked': {
      const testPage = answer(facts.testPage, obs.ok, obs.detail, now);
      if (facts.testPage.ok !== false && !obs.ok) say('MainAppInvisible', obs.detail);
      if (facts.testPage.ok === false && obs.ok) say('MainAppVisible', obs.detail);
      return { facts: { ...facts, testPage }, messages };
    }
    case 'ExternalResourcesChecked': {
      const external = answer(facts.external, obs.ok, obs.detail, now);
      if (facts.external.ok !== false && !obs.ok) say('ExternalResourcesInvisible', obs.detail);
      return { facts: { ...facts, external }, messages };
    }
    case 'DnsChecked': {
      const dns = answer(facts.dns, obs.ok, obs.detail, now);
      // A DNS server that does not answer says nothing about the name: a warning, which does not
      // stop a failover (the switch's own DNS step retries), not a configuration error.
      if (!obs.ok && obs.unreachable) {
        const warning = `the DNS server could not be reached to check the managed system's name: ${obs.detail}`;
        return { facts: withProblem({ ...facts, dns }, 'dns', 'warning', warning), messages };
      }
      const detail = obs.ok
        ? undefined
        : `the managed system's DNS name does not point at the primary or the secondary: ${obs.detail}`;
      return { facts: withProblem({ ...facts, dns }, 'dns', 'config', detail), messages };
    }
    case 'FileSyncProblem':
      return {
        facts: withProblem(
          facts,
          fileProblemSource(obs.folder, obs.failedFiles === true),
          obs.fatal ? 'fatal' : 'warning',
          `folder ${obs.folder}: ${obs.detail}`,
        ),
        messages,
      };
    case 'DbSyncProblem': {
      // Guide §7.2.2 "Consider database connection errors as fatal": a lost connection is usually
      // transient, so without the setting it is a warning that clears itself; with it, SpareSync
      // turns off until the operator has looked (guide §5).
      const fatal = obs.connection ? settings.system.dbConnectionErrorsFatal : obs.fatal;
      const what = obs.connection ? 'database connection' : 'database';
      // Its own source, so that its message is DbSyncReInitRequired (guide §9).
      const source = obs.reinitRequired ? DB_REINIT_SOURCE : 'db';
      return {
        facts: withProblem(facts, source, fatal ? 'fatal' : 'warning', `${what}: ${obs.detail}`),
        messages,
      };
    }
    case 'ActionFailed':
      return {
        facts: withProblem(facts, `action:${obs.action}`, 'warning', `${obs.action} failed: ${obs.error}`),
        messages,
      };
    case 'ProblemCleared': {
      const cleared = setProblem(facts, obs.source, 'warning', undefined, now);
      // Database replication that runs again needs no reinitialisation either.
      const f =
        obs.source === 'db' ? setProblem(cleared, DB_REINIT_SOURCE, 'warning', undefined, now) : cleared;
      return { facts: f, messages };
    }
    case 'OperatorTurnedOn': {
      // Turning on is the operator's word that fatal problems and failed actions are fixed; if
      // one persists, its module reports it again, and the turn-on retries the actions that
      // matter (the fence, machine.ts).
      const kept = facts.problems.filter((p) => p.kind !== 'fatal' && !p.source.startsWith('action:'));
      return { facts: { ...facts, problems: kept }, messages };
    }
    case 'ManagedSystemChecked': {
      // What the answer means is the fence watch's to decide (fence-watch.ts). The check could
      // run; a managed system found stopped means an earlier failed stop has been made good.
      const checked = setProblem(facts, 'action:CheckManagedSystem', 'warning', undefined, now);
      return {
        facts: obs.running
          ? checked
          : setProblem(checked, 'action:StopManagedSystem', 'warning', undefined, now),
        messages,
      };
    }
    case 'WitnessChecked': {
      const witness = witnessAnswer(facts.witness, obs, now);
      const detail = obs.reachable ? undefined : `the witness (etcd) cannot be reached: ${obs.detail}`;
      return { facts: withProblem({ ...facts, witness }, WITNESS_SOURCE, 'warning', detail), messages };
    }
    case 'AgentStarted':
    case 'AgentStopping':
    case 'Tick':
    case 'OperatorTurnedOff':
    case 'OperatorRequestedSwitch':
    case 'SwitchStepFinished':
      return { facts, messages };
  }
}

/** Sets (detail given) or clears (detail undefined) the problem of one source. */
export function setProblem(
  facts: Facts,
  source: string,
  kind: ProblemKind,
  detail: string | undefined,
  now: number,
): Facts {
  const before = facts.problems.find((p) => p.source === source);
  if (detail === undefined) {
    return before ? { ...facts, problems: facts.problems.filter((p) => p.source !== source) } : facts;
  }
  if (before && before.kind === kind && before.detail === detail) return facts;
  const problem: Problem = { source, kind, detail, since: before?.since ?? now };
  const others = facts.problems.filter((p) => p.source !== source);
  return { ...facts, problems: [...others, problem] };
}

export function problemsOf(facts: Facts, kind: ProblemKind): string[] {
  return facts.problems.filter((p) => p.kind === kind).map((p) => p.detail);
}

function answer(probe: Probe, ok: boolean, detail: string, now: number): Probe {
  const changed = probe.ok !== ok;
  return {
    ...probe,
    ok,
    detail,
    checkedAt: now,
    changedAt: changed ? now : probe.changedAt,
    recoveredAt: probe.ok === false && ok ? now : probe.recoveredAt,
  };
}

const DB_REINIT_SOURCE = 'db:reinit-required';
const WITNESS_SOURCE = 'witness';

/** The source of a folder's problem: `files:NAME` (it cannot be read), `files:NAME:failed` (some
 * files failed to reach the receiver and are retried). */
export function fileProblemSource(folder: string, failedFiles: boolean): string {
  return failedFiles ? `files:${folder}:failed` : `files:${folder}`;
}

function problemMessage(source: string, kind: ProblemKind): MessageCode {
  if (kind === 'config') return 'ConfigurationError';
  if (source === DB_REINIT_SOURCE) return 'DbSyncReInitRequired';
  if (source === WITNESS_SOURCE) return 'WitnessUnreachable';
  const fatal = kind === 'fatal';
  if (source === 'db') return fatal ? 'DbSyncProblemFatal' : 'DbSyncProblemWarn';
  if (source.startsWith('files:')) return fatal ? 'FileSyncProblemFatal' : 'FileSyncProblemWarn';
  // Failed actions (a start command, the marker) have no code of their own in guide §9.
  return 'ConfigurationError';
}

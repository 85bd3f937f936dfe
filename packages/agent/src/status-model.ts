// The agent's current state with its reason, and the bounded history of transitions. Every
// transition is logged as one line with its reason and epoch.
import type { AgentStateName, Logger, Transition } from '@sparesync/common';
import type { LinkMonitor } from './link/link-monitor';

export interface StateWithReason {
  state: AgentStateName;
  reason: string;
}

export class StatusModel {
  private current: StateWithReason;
  private readonly history: Transition[] = [];

  constructor(
    initial: StateWithReason,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly epoch: () => number,
    private readonly maxHistory = 100,
  ) {
    this.current = initial;
    this.push('', initial);
  }

  get state(): StateWithReason {
    return this.current;
  }

  transitions(): Transition[] {
    return [...this.history];
  }

  /** Moves to `next` if it differs from the current state or reason. */
  set(next: StateWithReason): void {
    if (next.state === this.current.state && next.reason === this.current.reason) return;
    const from = this.current.state;
    this.current = next;
    if (from !== next.state) {
      this.log.info(`${from} -> ${next.state}: ${next.reason}`, { epoch: this.epoch() });
      this.push(from, next);
    }
  }

  private push(from: string, next: StateWithReason): void {
    this.history.push({ atMs: this.now(), from, to: next.state, reason: next.reason, epoch: this.epoch() });
    if (this.history.length > this.maxHistory) this.history.shift();
  }
}

/** The state the link alone implies (before failover logic): ConfigurationError, Working or Inactive. */
export function stateFromLink(
  monitor: Pick<LinkMonitor, 'configurationProblems' | 'link' | 'peer'>,
): StateWithReason {
  const problems = monitor.configurationProblems();
  if (problems.length) return { state: 'ConfigurationError', reason: problems.join('; ') };
  if (monitor.link.connected) return { state: 'Working', reason: 'connected to the peer' };
  if (monitor.peer.stopped)
    return { state: 'Inactive', reason: `the peer stopped: ${monitor.peer.stopped.reason}` };
  if (monitor.peer.hello)
    return { state: 'Inactive', reason: `the peer is unreachable: ${monitor.link.lastError}` };
  return {
    state: 'Inactive',
    reason: monitor.link.lastError
      ? `the peer has not been reached yet: ${monitor.link.lastError}`
      : 'connecting to the peer',
  };
}

// Control WatchStatus: the status once, then whenever something shown in it changes, and a
// keepalive when nothing did for a while. Changes are detected by comparing a digest of the
// status on every event the agent raises (state machine decisions, link observations), so
// figures that move all the time (round trip, the secondary's "down for N s") do not flood the
// stream, while a switch step, a state, a peer state, the link going up or down or the witness's
// holder and reachability always shows.
// Every event carries the summary the change is judged on; a watch with changes_only gets the
// full status in its first event only.
import type * as grpc from '@grpc/grpc-js';
import {
  agentStateCode,
  switchPhaseCode,
  type Status,
  type StatusEventChangesOnly,
  type StatusSummary,
} from '@sparesync/common';

export interface WatchSource {
  status(): Status;
  /** Calls `listener` after anything that may have changed the status; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export function statusSummary(s: Status): StatusSummary {
  const sw = s.local.lastSwitch;
  return {
    state: agentStateCode(s.local.state),
    reason: s.local.reason,
    epoch: s.local.epoch,
    peerState: agentStateCode(s.remote.state),
    peerReachable: s.remote.reachable,
    linkConnected: s.link.connected,
    switchPhase: switchPhaseCode(sw?.phase ?? ''),
    switchStep: sw?.currentStep ?? '',
    switchError: sw?.error ?? '',
  };
}

export function statusDigest(s: Status): string {
  const sw = s.local.lastSwitch;
  return JSON.stringify([
    s.local.state,
    s.local.reason,
    s.local.epoch,
    sw ? [sw.phase, sw.currentStep, sw.steps.length, sw.error] : null,
    s.remote.state,
    s.remote.reachable,
    s.remote.reason,
    s.link.connected,
    s.link.lastError,
    // The witness as shown, without the lease time left (it moves all the time).
    s.witness
      ? [s.witness.reachable, s.witness.holderRole, s.witness.holderEpoch, s.witness.mine, s.witness.epoch]
      : null,
    s.witness ? [s.witness.selfFenced, s.witness.reachable ? '' : s.witness.detail] : null,
  ]);
}

type WatchCall = grpc.ServerWritableStream<
  { keepaliveSeconds?: number; changesOnly?: boolean },
  StatusEventChangesOnly
>;

export class StatusWatchers {
  private readonly calls = new Set<() => void>();

  constructor(private readonly source: WatchSource) {}

  readonly handler = (call: WatchCall): void => {
    const keepaliveMs = Math.max(1, call.request.keepaliveSeconds || 10) * 1000;
    let digest = '';
    let timer: NodeJS.Timeout | undefined;
    const send = (cause: 'initial' | 'changed' | 'keepalive') => {
      let status: Status;
      try {
        status = this.source.status();
      } catch {
        return; // still starting: the next event or keepalive sends it
      }
      const next = statusDigest(status);
      if (cause === 'changed' && next === digest) return;
      digest = next;
      const full = cause === 'initial' || call.request.changesOnly !== true;
      call.write({ cause, status: full ? status : null, atMs: Date.now(), summary: statusSummary(status) });
      clearTimeout(timer);
      timer = setTimeout(() => send('keepalive'), keepaliveMs);
    };
    const unsubscribe = this.source.onChange(() => send('changed'));
    const end = () => {
      clearTimeout(timer);
      unsubscribe();
      this.calls.delete(close);
    };
    const close = () => {
      end();
      call.end();
    };
    this.calls.add(close);
    call.on('cancelled', end);
    call.on('close', end);
    call.on('error', end);
    send('initial');
  };

  /** Ends every stream (the agent is stopping), so the server can shut down at once. */
  closeAll(): void {
    for (const close of [...this.calls]) close();
  }
}

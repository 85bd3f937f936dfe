// Settings changed through the Control service reach both servers (guide §7.1): validated here
// first, then sent to the peer over the Link (PushSettings) when a change is not x-local, and
// written here only once the peer has accepted — so an invalid change on either side changes
// neither. With the link down only this server changes and the reply says so; the guide does not
// synchronise such changes later, and neither do we.
import type * as grpc from '@grpc/grpc-js';
import {
  SpareSyncError,
  type Logger,
  type SetSettingsReply,
  type SettingChange,
  type SettingOutcome,
} from '@sparesync/common';
import { callPeer } from '../link/peer-call';
import { dotted, parseChanges, sharedChanges, toWire } from './patch';
import type { SettingsStore } from './settings-store';

export interface SetSettingsRequest {
  changes: SettingChange[];
  thisServerOnly: boolean;
  dryRun: boolean;
}

export interface SettingsPush {
  changes: SettingChange[];
  fromRole: string;
  fromName: string;
  dryRun: boolean;
}

export interface SettingsSyncOptions {
  store: SettingsStore;
  role: string;
  name: string;
  peer: () => grpc.Client | undefined;
  log: Logger;
}

interface PeerOutcome {
  peer: string;
  peerSettings: SettingOutcome[];
  peerRestartRequired: boolean;
}

const list = (o: SettingOutcome[]) => o.map((s) => dotted(s.path)).join(', ');

export class SettingsSync {
  constructor(private readonly o: SettingsSyncOptions) {}

  private lane: Promise<unknown> = Promise.resolve();

  /** The Control service's SetSettings; one at a time, so two operators cannot lose each other's changes. */
  set(req: SetSettingsRequest): Promise<SetSettingsReply> {
    const next = this.lane.then(() => this.setNow(req));
    this.lane = next.catch(() => undefined);
    return next;
  }

  private async setNow(req: SetSettingsRequest): Promise<SetSettingsReply> {
    const changes = parseChanges(req.changes);
    let plan = this.o.store.plan(changes);
    const shared = req.thisServerOnly ? [] : sharedChanges(changes);
    const peer = await this.toPeer(shared, req);
    // Planned again on the file as it is now: the peer may have pushed a change meanwhile.
    plan = this.o.store.plan(changes);
    if (!req.dryRun) this.o.store.commit(plan);
    const restartRequired = plan.outcomes.some((s) => s.restartRequired);
    if (plan.outcomes.length) {
      this.o.log.info(
        `settings ${req.dryRun ? 'checked (dry run)' : 'changed'} by an operator: ${list(plan.outcomes)}`,
        {
          peer: peer.peer,
        },
      );
    }
    return {
      message: summary(plan.outcomes, restartRequired, peer, req.dryRun),
      file: this.o.store.file,
      settings: plan.outcomes,
      restartRequired,
      ...peer,
      dryRun: req.dryRun,
    };
  }

  /** The Link service's PushSettings: the peer's changes, applied here. */
  receive(push: SettingsPush): SetSettingsReply {
    const changes = sharedChanges(parseChanges(push.changes));
    const plan = this.o.store.plan(changes);
    if (!push.dryRun) this.o.store.commit(plan);
    const restartRequired = plan.outcomes.some((s) => s.restartRequired);
    if (plan.outcomes.length && !push.dryRun) {
      this.o.log.info(`settings changed by the ${push.fromRole} (${push.fromName}): ${list(plan.outcomes)}`);
    }
    return {
      message: plan.outcomes.length ? `changed ${list(plan.outcomes)}` : 'no setting changed',
      file: this.o.store.file,
      settings: plan.outcomes,
      restartRequired,
      peer: '',
      peerSettings: [],
      peerRestartRequired: false,
      dryRun: push.dryRun,
    };
  }

  private async toPeer(
    shared: ReturnType<typeof sharedChanges>,
    req: SetSettingsRequest,
  ): Promise<PeerOutcome> {
    const none = (peer: string): PeerOutcome => ({ peer, peerSettings: [], peerRestartRequired: false });
    if (req.thisServerOnly) return none('not sent: this_server_only');
    if (shared.length === 0) return none('not sent: only local settings changed');
    const push: SettingsPush = {
      changes: toWire(shared),
      fromRole: this.o.role,
      fromName: this.o.name,
      dryRun: req.dryRun,
    };
    const r = await callPeer<SetSettingsReply>(this.o.peer(), 'pushSettings', push);
    if (!r.ok && r.reached) {
      throw new SpareSyncError(
        'ConfigInvalid',
        `settings not changed on either server: the peer refused them: ${r.detail}`,
        {
          hint: 'The peer checks the changes against its own settings file; fix them there or change this server only.',
        },
      );
    }
    if (!r.ok)
      return none(`not reached (${r.detail}): only this server ${req.dryRun ? 'was checked' : 'changed'}`);
    const peerSettings = r.reply.settings;
    return {
      peer: req.dryRun
        ? 'dry run: the peer accepts the changes'
        : peerSettings.length
          ? 'updated'
          : 'unchanged',
      peerSettings,
      peerRestartRequired: r.reply.restartRequired,
    };
  }
}

function summary(outcomes: SettingOutcome[], restart: boolean, peer: PeerOutcome, dryRun: boolean): string {
  const what = outcomes.length
    ? `${dryRun ? 'would change' : 'changed'} ${list(outcomes)} on this server`
    : 'no setting of this server changed';
  const later = outcomes.filter((s) => s.restartRequired);
  const restartText = restart ? `; restart required for ${list(later)} (sparesync restart)` : '';
  const peerText = peer.peer.startsWith('not reached')
    ? `; the peer was ${peer.peer} — make the same change there`
    : `; peer: ${peer.peer}${peer.peerRestartRequired ? ' (restart required there too)' : ''}`;
  return `${what}${restartText}${peerText}`;
}

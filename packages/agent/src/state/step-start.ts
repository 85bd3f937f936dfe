// How each switch step starts (steps.ts runs the plan): the actions it asks of the runner, or a
// result decided from the facts alone (skipped when it already holds, done, failed).
import { holderOf, nextEpochFor, otherRole } from './epoch';
import type { Role } from '@sparesync/common';
import type { Action, DecisionContext, Facts, Step, SwitchProgress } from './types';

export type SwitchName = 'SwitchingToSecondary' | 'SwitchingToPrimary';

export const targetOf = (name: SwitchName): Role =>
  name === 'SwitchingToSecondary' ? 'secondary' : 'primary';

export type StepStart =
  | { kind: 'actions'; actions: Action[]; epoch?: number }
  | { kind: 'skipped' | 'done'; detail: string }
  /** retry: the facts may change on their own (attempts per attemptsAllowed); else it halts. */
  | { kind: 'failed'; error: string; retry?: boolean };

export function startStep(
  name: SwitchName,
  step: Step,
  facts: Facts,
  ctx: DecisionContext,
  by: SwitchProgress['requestedBy'],
): StepStart {
  const target = targetOf(name);
  const { settings } = ctx;
  switch (step) {
    case 'recheck-criteria':
      if (by !== 'criteria')
        return {
          kind: 'skipped',
          detail: by === 'operator' ? 'requested by the operator' : 'resuming a switch',
        };
      return settings.managedSystem.testPage.primaryUrl
        ? {
            kind: 'actions',
            actions: [{ type: 'CheckTestPage', target: 'primary' }, { type: 'CheckExternalResources' }],
          }
        : { kind: 'actions', actions: [{ type: 'CheckExternalResources' }] };
    case 'hand-over':
      return handOverStart(facts, by);
    case 'take-witness-key': {
      if (!settings.witness) return { kind: 'skipped', detail: 'no witness is configured' };
      if (holderOf(facts.epoch) === target)
        return { kind: 'skipped', detail: `epoch ${facts.epoch} already names the ${target}` };
      const epoch = nextEpochFor(target, Math.max(facts.epoch, facts.peer.epoch));
      // Without the link the old holder cannot hear the new epoch: only its expired lease frees the key.
      const onlyIfFree = !facts.peer.connected;
      const take: Action = {
        type: 'TakeWitnessKey',
        holder: target,
        epoch,
        fromEpoch: facts.epoch,
        onlyIfFree,
        step,
      };
      return { kind: 'actions', actions: [take], epoch };
    }
    case 'persist-epoch': {
      if (holderOf(facts.epoch) === target)
        return { kind: 'skipped', detail: `epoch ${facts.epoch} already names the ${target}` };
      const epoch = nextEpochFor(target, Math.max(facts.epoch, facts.peer.epoch));
      return { kind: 'actions', actions: [{ type: 'PersistEpoch', epoch, step }], epoch };
    }
    case 'stop-replication':
      return facts.replicating
        ? { kind: 'actions', actions: [{ type: 'StopReplication', step }] }
        : { kind: 'skipped', detail: 'replication is already stopped' };
    case 'start-managed-system':
      return { kind: 'actions', actions: [{ type: 'StartManagedSystem', step }] };
    case 'remove-offline-marker':
      return { kind: 'actions', actions: [{ type: 'RemoveOfflineMarker', step }] };
    case 'check-test-page':
      return { kind: 'actions', actions: [{ type: 'CheckTestPage', target, step }] };
    case 'update-dns':
      if (!settings.dns.enabled) return { kind: 'skipped', detail: 'dns.enabled is off' };
      return { kind: 'actions', actions: [{ type: 'UpdateDns', from: otherRole(target), to: target, step }] };
    case 'check-primary-ready': {
      const peer = facts.peer;
      if (peer.connected && peer.state === 'Switched') {
        return { kind: 'done', detail: 'the primary agent is connected and has stopped its managed system' };
      }
      const now = peer.connected ? `in state ${peer.state}` : 'not connected';
      // Connected and not turned off: it is still learning our epoch and stopping its managed
      // system (a cut link has just healed). Not connected, or turned off: nothing will change.
      const retry = peer.connected && peer.state !== 'TurnedOff';
      return {
        kind: 'failed',
        error: `the primary agent is ${now}; it must be connected and show Switched`,
        retry,
      };
    }
    case 'write-offline-marker':
      return { kind: 'actions', actions: [{ type: 'WriteOfflineMarker', step }] };
    case 'stop-managed-system':
      return { kind: 'actions', actions: [{ type: 'StopManagedSystem', step }] };
    case 'reverse-sync':
      return { kind: 'actions', actions: [{ type: 'ReverseSync', step }] };
  }
}

/**
 * A planned switch (the operator's, guide §10.1.2) loses no data: while the primary still holds
 * the epoch and is connected, it stops its managed system and drains replication to us before
 * the epoch moves. An automatic takeover never waits for the primary it is replacing.
 */
function handOverStart(facts: Facts, by: SwitchProgress['requestedBy']): StepStart {
  if (holderOf(facts.epoch) !== 'primary')
    return { kind: 'skipped', detail: `epoch ${facts.epoch} already names the secondary` };
  if (by === 'criteria')
    return { kind: 'skipped', detail: 'an automatic takeover does not wait for the primary' };
  if (!facts.peer.connected)
    return {
      kind: 'skipped',
      detail: 'the primary agent is not connected: changes it has not sent cannot be drained',
    };
  return { kind: 'actions', actions: [{ type: 'HandOver', step: 'hand-over' }] };
}

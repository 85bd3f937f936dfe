// A fence is a loop (DESIGN.md). A side that lost the managed system to a higher epoch stops it
// once when it learns the epoch (decisions.ts); this watch keeps it stopped afterwards, as
// Pacemaker's recurring monitor operation does: every managedSystem.fenceCheckSeconds it asks
// whether this server's managed system runs (its status command, else its own test page) and,
// when it does (a service manager, an operator or a reboot started it again), writes the marker,
// stops it again and tells the operators. Pure: the runner answers CheckManagedSystem with
// ManagedSystemChecked.
import { holderOf } from './epoch';
import type {
  Action,
  DecisionContext,
  DecisionSettings,
  FenceWatch,
  MachineState,
  Observation,
  Outcome,
} from './types';

/**
 * True while this side must keep its managed system stopped: a switch has happened (epoch > 0)
 * and the epoch names the other side, or the witness fenced it (witness.ts). Not while stopped, and not during a switch, whose steps own
 * the managed system.
 */
export function isFenced(state: MachineState, role: DecisionSettings['role']): boolean {
  if (
    state.name === 'Stopped' ||
    state.name === 'SwitchingToSecondary' ||
    state.name === 'SwitchingToPrimary'
  )
    return false;
  if (state.facts.witness.selfFenced) return true;
  return state.facts.epoch > 0 && holderOf(state.facts.epoch) !== role;
}

/** How this server can tell that its managed system runs: its status command, else the test page
 * of its own role; undefined when neither is configured (the fence then stops it only once). */
export function fenceCheckMethod(settings: DecisionSettings): 'statusCommand' | 'testPage' | undefined {
  const ms = settings.managedSystem;
  if (ms.statusCommand.trim()) return 'statusCommand';
  const url = settings.role === 'primary' ? ms.testPage.primaryUrl : ms.testPage.secondaryUrl;
  return url ? 'testPage' : undefined;
}

/** Adds the fence watch's checks and enforcement to a decision's outcome. */
export function watchFence(out: Outcome, obs: Observation, ctx: DecisionContext): Outcome {
  const { state } = out;
  const before = state.facts.fenceWatch;
  if (!isFenced(state, ctx.settings.role) || !fenceCheckMethod(ctx.settings)) {
    if (before.requestedAt === undefined && before.running === undefined) return out;
    // The fence ended (handed back, or a switch began): forget the schedule, keep the counts.
    const watch: FenceWatch = { ...before, requestedAt: undefined, checkedAt: undefined, running: undefined };
    const actions: Action[] = before.running
      ? [...out.actions, { type: 'CancelMessage', code: 'FencedSystemRunning' }]
      : out.actions;
    return { ...out, state: withWatch(state, watch), actions };
  }
  let watch = before;
  const actions: Action[] = [];
  let reason = out.reason;
  if (obs.type === 'ManagedSystemChecked') {
    watch = { ...watch, checkedAt: ctx.now, running: obs.running, detail: obs.detail };
    if (obs.running) {
      watch = { ...watch, foundRunning: watch.foundRunning + 1, lastFoundAt: ctx.now };
      const holder = holderOf(state.facts.epoch);
      const detail = `this server's managed system was found running (${obs.detail}) while the ${holder} holds it at epoch ${state.facts.epoch}; stopping it again`;
      actions.push(
        { type: 'WriteOfflineMarker' },
        { type: 'StopManagedSystem' },
        { type: 'SendMessage', code: 'FencedSystemRunning', detail },
      );
      reason = `fenced: ${detail}`;
    } else if (before.running) {
      actions.push({ type: 'CancelMessage', code: 'FencedSystemRunning' });
    }
  }
  const intervalMs = ctx.settings.managedSystem.fenceCheckSeconds * 1000;
  if (watch.requestedAt === undefined || ctx.now - watch.requestedAt >= intervalMs) {
    watch = { ...watch, requestedAt: ctx.now };
    actions.push({ type: 'CheckManagedSystem' });
  }
  return { ...out, state: withWatch(state, watch), actions: [...out.actions, ...actions], reason };
}

function withWatch(state: MachineState, fenceWatch: FenceWatch): MachineState {
  return { ...state, facts: { ...state.facts, fenceWatch } };
}

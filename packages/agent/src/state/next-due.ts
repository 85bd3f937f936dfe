// When the next Tick can matter (issue 16: an idle agent decides once per due moment, not every
// second). A Tick carries no news, only time, so it can change a decision only where a condition
// reads `ctx.now`: a probe or fence check falling due, a maintenance window's edge, the outage and
// recovery clocks of the switch criteria, a switch step's retry, the witness lease. This lists the
// first two exactly; whenever any of the others can be running it answers "every tick" (the
// runner's 1 s ticks, as before). Extra ticks are always harmless (types.ts: ticks may come early
// or more often), so every doubt resolves toward ticking.
import { hasTestPage } from './criteria';
import { fenceCheckMethod, isFenced } from './fence-watch';
import { activeMaintenanceWindow } from './maintenance';
import type { DecisionContext, MachineState, Probe } from './types';

const MINUTE = 60_000;

/**
 * The moment (ms since the Unix epoch) before which a Tick cannot change `state` nor ask for an
 * action, given the decision context of the last observation; `undefined` while it may on any tick.
 * Every observation can change this, so the runner asks again after each one.
 */
export function nextTickDue(state: MachineState, ctx: DecisionContext): number | undefined {
  const { settings, now } = ctx;
  if (state.name === 'Stopped') return Infinity; // a Tick is ignored until AgentStarted
  // A switch's retries and the witness lease run on time: tick every second.
  if (state.name === 'SwitchingToSecondary' || state.name === 'SwitchingToPrimary') return undefined;
  if (settings.witness) return undefined;
  const facts = state.facts;
  const sys = settings.system;
  let due = Infinity;
  // The DNS check runs in ConfigurationError and the steady states (machine.ts), not TurnedOff.
  if (settings.dns.enabled && state.name !== 'TurnedOff') {
    due = Math.min(due, dueAt(facts.dns.requestedAt, sys.availabilityCheckSeconds));
  }
  if (isFenced(state, settings.role) && fenceCheckMethod(settings)) {
    due = Math.min(due, dueAt(facts.fenceWatch.requestedAt, settings.managedSystem.fenceCheckSeconds));
  }
  const monitoring =
    settings.role === 'secondary' &&
    (state.name === 'Working' || state.name === 'WorkingWithErrors' || state.name === 'Inactive');
  if (!monitoring) return ahead(due, now);
  // The secondary watching the primary. Quiet only while nothing is in doubt: the link up, the
  // test page not failing, external resources not failing nor within their recovery period, and
  // outside any maintenance window (inside one every tick moves `maintenanceSeenAt`).
  const ext = facts.external;
  const recovering =
    ext.recoveredAt !== undefined && now - ext.recoveredAt < sys.externalResourcesRecoverySeconds * 1000;
  if (!facts.peer.connected || facts.testPage.ok === false || ext.ok === false || recovering)
    return undefined;
  if (settings.maintenanceWindows.length > 0) {
    if (activeMaintenanceWindow(settings.maintenanceWindows, now, ctx.local.utcOffsetMinutes))
      return undefined;
    // Windows start and end on whole minutes of local time (the UTC offset is whole minutes).
    due = Math.min(due, (Math.floor(now / MINUTE) + 1) * MINUTE);
  }
  if (hasTestPage(ctx)) due = Math.min(due, dueAt(facts.testPage.requestedAt, sys.availabilityCheckSeconds));
  return ahead(Math.min(due, dueAt(ext.requestedAt, sys.availabilityCheckSeconds)), now);
}

/** A due moment already past means the decision did not ask for what was due: tick as before. */
function ahead(due: number, now: number): number | undefined {
  return due > now ? due : undefined;
}

/** When a check asked at `requestedAt` is asked again (criteria.ts `isDue`); at once when never asked. */
function dueAt(requestedAt: Probe['requestedAt'], intervalSeconds: number): number {
  return requestedAt === undefined ? -Infinity : requestedAt + intervalSeconds * 1000;
}

// The automatic switching criteria of guide §10.1.1, evaluated on the secondary, and the schedule
// of the probes that feed them. Pure: facts and time in, a verdict with one sentence out.
//
// The guide's frame is "in case of the managed system's inaccessibility from the secondary": the
// primary's test page failing is the precondition (without a configured test page, the lost link
// stands in for it). A lost link alone is not enough when the test page still answers: the
// primary's agent may have crashed while its application serves users, and taking over then
// would run two copies that the fence cannot reach.
import { activeMaintenanceWindow, describeWindow } from './maintenance';
import { witnessVeto } from './witness';
import type { Action, DecisionContext, Facts, Probe } from './types';

export type Verdict = { go: true; reason: string; linkUp: boolean } | { go: false; reason: string };

/** Primary agent states in which it is "in working condition" (criterion 2). */
const workingStates: readonly string[] = ['Working', 'WorkingWithErrors', 'Inactive'];

export function evaluateSwitch(facts: Facts, ctx: DecisionContext): Verdict {
  const { now, settings } = ctx;
  const sys = settings.system;
  const peer = facts.peer;
  const no = (why: string): Verdict => ({ go: false, reason: `no switch: ${why}` });

  // 4. Maintenance windows, asked first: inside one the primary is not probed, so what we know
  // about its managed system is stale and would make a misleading reason.
  const window = activeMaintenanceWindow(settings.maintenanceWindows, now, ctx.local.utcOffsetMinutes);
  if (window)
    return no(`inside the maintenance window ${describeWindow(window)}, the primary is not monitored`);

  // Precondition: the primary's managed system is unavailable (since when: outageSince).
  if (hasTestPage(ctx)) {
    const page = facts.testPage;
    if (page.ok === undefined) return no("the primary's test page has not been checked yet");
    if (page.ok) {
      return no(
        peer.connected
          ? "the primary's managed system answers its test page"
          : "the link to the primary's agent is down, but its managed system still answers its test page",
      );
    }
  } else {
    if (peer.connected)
      return no(
        "the primary's agent is connected (no test page is configured, so the link is the only signal)",
      );
  }
  const downSince = outageSince(facts, ctx);

  // 1. The link to the primary's agent.
  if (peer.connected && !sys.switchWhenManagedSystemDownLinkUp) {
    return no(
      "the primary's managed system is unavailable but its agent is connected, and system.switchWhenManagedSystemDownLinkUp is off",
    );
  }
  // 2. The primary agent's own state.
  if (peer.saidGoodbye && !sys.switchIfRemoteStopped) {
    return no(
      "the primary's agent was stopped on purpose (it said Goodbye) and system.switchIfRemoteStopped is off",
    );
  }
  if (peer.identity === undefined || peer.state === 'Unknown') {
    return no("the primary's agent has not been reached since this agent started");
  }
  if (!workingStates.includes(peer.state)) {
    return no(`the primary's agent was last in state ${peer.state}, not in working condition`);
  }
  // 3. Switch automatically.
  if (!sys.switchAutomatically) return no('system.switchAutomatically is off');
  // 5. External resources reachable from here, for long enough.
  const ext = facts.external;
  if (ext.ok === undefined) return no('external resources have not been checked yet');
  if (!ext.ok) {
    return no(
      `external resources are unreachable from this server (${ext.detail}); it may be the isolated one`,
    );
  }
  const recoveryMs = sys.externalResourcesRecoverySeconds * 1000;
  if (ext.recoveredAt !== undefined && now - ext.recoveredAt < recoveryMs) {
    return no(
      `external resources came back ${secs(now - ext.recoveredAt)} s ago, within the recovery period of ${sys.externalResourcesRecoverySeconds} s`,
    );
  }
  // 6. Unavailable for longer than the allowable response time, not counting maintenance.
  if (downSince === undefined) return no("the primary's agent has not been reached since this agent started");
  const from = Math.max(downSince, facts.maintenanceSeenAt ?? downSince);
  const downMs = now - from;
  const allowed = sys.allowableResponseTimeSeconds;
  const what = peer.connected
    ? "the primary's managed system is unavailable while its agent is connected"
    : 'the primary is unreachable';
  if (downMs <= allowed * 1000) {
    return no(`${what} for ${secs(downMs)} s, not more than the allowable ${allowed} s`);
  }
  // 7. With a witness (issue 15): the old holder's key must be gone, or no switch.
  const veto = witnessVeto(facts, ctx);
  if (veto) return no(veto);
  return {
    go: true,
    linkUp: peer.connected,
    reason: `switching to the secondary: ${what} for ${secs(downMs)} s > allowable ${allowed} s, external resources reachable${ctx.settings.witness ? ', the witness key free' : ''}`,
  };
}

export function hasTestPage(ctx: DecisionContext): boolean {
  return Boolean(ctx.settings.managedSystem.testPage.primaryUrl);
}

/**
 * When the outage clock of criterion 6 started: the first failed test page answer, or the link's
 * loss when no test page is configured; undefined while the primary is not in doubt.
 */
export function outageSince(facts: Facts, ctx: DecisionContext): number | undefined {
  if (hasTestPage(ctx)) return facts.testPage.ok === false ? facts.testPage.changedAt : undefined;
  return facts.peer.connected ? undefined : facts.peer.lostAt;
}

/**
 * The Tick that lets the secondary decide the moment the allowable response time has passed,
 * instead of on the next regular tick: asked once, in the decision that starts the outage clock.
 */
export function allowableTimeTick(facts: Facts, ctx: DecisionContext): Action[] {
  if (outageSince(facts, ctx) !== ctx.now) return [];
  const afterMs = ctx.settings.system.allowableResponseTimeSeconds * 1000 + TICK_SLACK_MS;
  return [{ type: 'ScheduleTick', afterMs, reason: 'the allowable response time ends' }];
}

/** Past the allowable time (criterion 6 is strict), and past a timer firing a little early. */
const TICK_SLACK_MS = 5;

/**
 * How often the primary's test page is probed after the link was lost while the page still
 * answers, and for how long: the agent and its server usually die together, but the page can
 * fail a moment after the link (a shutdown, an app dying after its agent), and the outage clock
 * starts at the first failed answer, so that answer is sought at once rather than a heartbeat
 * later. One probe is in flight at a time (the runner), so a slow page is never piled on.
 */
export const SUSPECT_PROBE_MS = 250;
export const SUSPECT_WINDOW_MS = 10_000;

/**
 * Probes due now on an operational secondary, and the facts with their request times set. The
 * availability check frequency (§7.2.2) sets the pace; while the primary is in doubt (link down or
 * test page failing) the pace is the heartbeat interval, so a failure is timed closely, and
 * faster still just after the link was lost while the page answers (`SUSPECT_PROBE_MS`). The
 * primary is not probed inside a maintenance window.
 */
export function dueMonitorProbes(
  facts: Facts,
  ctx: DecisionContext,
  inMaintenance: boolean,
): { facts: Facts; actions: Action[] } {
  const { settings, now } = ctx;
  const regular = settings.system.availabilityCheckSeconds * 1000;
  const doubt = !facts.peer.connected || facts.testPage.ok === false;
  const interval = doubt ? Math.min(regular, settings.network.remoteCheckIntervalSeconds * 1000) : regular;
  const lostAt = facts.peer.connected ? undefined : facts.peer.lostAt;
  const suspect = lostAt !== undefined && now - lostAt < SUSPECT_WINDOW_MS && facts.testPage.ok !== false;
  const pageInterval = suspect ? Math.min(interval, SUSPECT_PROBE_MS) : interval;
  let next = facts;
  const actions: Action[] = [];
  if (hasTestPage(ctx) && !inMaintenance) {
    const page = facts.testPage;
    if (isDue(page, pageInterval, now)) {
      next = { ...next, testPage: { ...page, requestedAt: now } };
      actions.push({ type: 'CheckTestPage', target: 'primary' });
    } else if (suspect && page.checkedAt === now && page.requestedAt !== undefined) {
      // The answer just came; the regular ticks are too slow for the next one, and asking only
      // here (not on every decision) keeps a single chain of these ticks.
      const afterMs = page.requestedAt + pageInterval - now;
      actions.push({ type: 'ScheduleTick', afterMs, reason: 'probe the test page again' });
    }
  }
  if (isDue(facts.external, interval, now)) {
    next = { ...next, external: { ...next.external, requestedAt: now } };
    actions.push({ type: 'CheckExternalResources' });
  }
  return { facts: next, actions };
}

/** The DNS check (guide §8.1 item 5), on both servers, at the availability check frequency. */
export function dueDnsProbe(facts: Facts, ctx: DecisionContext): { facts: Facts; actions: Action[] } {
  const { settings, now } = ctx;
  if (!settings.dns.enabled || !isDue(facts.dns, settings.system.availabilityCheckSeconds * 1000, now)) {
    return { facts, actions: [] };
  }
  return { facts: { ...facts, dns: { ...facts.dns, requestedAt: now } }, actions: [{ type: 'CheckDns' }] };
}

function isDue(probe: Probe, intervalMs: number, now: number): boolean {
  return probe.requestedAt === undefined || now - probe.requestedAt >= intervalMs;
}

/** Seconds for a sentence: whole above 10 s, one decimal below. */
export function secs(ms: number): string {
  const s = ms / 1000;
  return s >= 10 ? String(Math.round(s)) : String(Math.round(s * 10) / 10);
}

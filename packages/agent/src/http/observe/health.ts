// Health answers for load balancers and monitors. `serving` is the one a load balancer follows
// (HAProxy `option httpchk GET /health/serving`): 200 only on the side that should receive
// traffic now, so it can front the pair beside, or instead of, the DNS switch.
import type { Status } from '@sparesync/common';

export interface Health {
  ok: boolean;
  why: string;
}

/** This side holds the epoch (its parity names the side that runs the managed system) and runs. */
export function holdsService(s: Status, holder: (epoch: number) => string): boolean {
  return holder(s.local.epoch) === s.local.role && s.local.state !== 'Stopped';
}

/** Serving: holds the epoch, runs, and its own application answers its test page. */
export function servingHealth(s: Status, holder: (epoch: number) => string, page: Health): Health {
  if (holder(s.local.epoch) !== s.local.role)
    return {
      ok: false,
      why: `the ${holder(s.local.epoch)} holds epoch ${s.local.epoch}; this ${s.local.role} is on standby`,
    };
  if (s.local.state === 'Stopped') return { ok: false, why: 'the agent is stopping' };
  if (!page.ok)
    return {
      ok: false,
      why: `this server holds the service but its application does not answer: ${page.why}`,
    };
  return {
    ok: true,
    why: `this ${s.local.role} serves (epoch ${s.local.epoch}, ${s.local.state}); ${page.why}`,
  };
}

/** Ready: linked to the peer and replicating (Working or WorkingWithErrors), or why not. */
export function readyHealth(s: Status): Health {
  if (!s.link.connected)
    return { ok: false, why: `the peer agent is not connected (${s.link.lastError || 'link down'})` };
  if (s.local.state !== 'Working' && s.local.state !== 'WorkingWithErrors')
    return { ok: false, why: `${s.local.state}: ${s.local.reason}` };
  return { ok: true, why: `${s.local.state}: ${s.local.reason}` };
}

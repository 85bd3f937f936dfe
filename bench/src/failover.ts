// `pnpm bench failover`: time from kill -9 of the primary server (agent and app) to (a) the
// secondary deciding to switch, (b) DNS answering with the secondary's address, (c) the app
// answering on the secondary. Median of 5 runs (BENCH_FAILOVER_RUNS), system:fast template with an
// allowable response time of 5 s (BENCH_FAILOVER_ALLOWABLE_S), heartbeat 1 s
// (BENCH_FAILOVER_HEARTBEAT_S), DNS on the embedded server of the secondary. Goal: (c) within 2 s
// of the allowable response time; (a) within 1 s beyond it and (c) within 0.5 s of (a) (issue 16).
// For scale: keepalived ≈ 3 s, Patroni ≈ 30 s, the reference
// product's schedulers 2–10 minutes.
import { performance } from 'node:perf_hooks';
import { queryAddress } from '@sparesync/agent';
import type { Status } from '@sparesync/common';
import { benchSettings, benchSystem, sleep, until } from './lib-system';
import { percentile, printTable } from './lib-table';

const RUNS = Number(process.env.BENCH_FAILOVER_RUNS ?? 5);
const ALLOWABLE_S = Number(process.env.BENCH_FAILOVER_ALLOWABLE_S ?? 5);
const HEARTBEAT_S = Number(process.env.BENCH_FAILOVER_HEARTBEAT_S ?? 1);
/** Long enough for the slowest answer: the allowable time, then the switch's steps. */
const DEADLINE_MS = (ALLOWABLE_S + 60) * 1000;

/** One failover; times in ms since the kill. */
async function once(): Promise<{ decided: number; dns: number; app: number }> {
  const s = await benchSystem({ name: 'failover', both: benchSettings(ALLOWABLE_S, HEARTBEAT_S) });
  const { sys } = s;
  s.app('primary', 'start');
  s.startAgent('primary');
  s.startAgent('secondary');
  try {
    await s.waitStatus(
      'secondary',
      'the pair Working',
      (st) => st.local.state === 'Working' && st.remote.state === 'Working',
    );
    await sleep(1500); // a few heartbeats and a test-page answer
    const t0 = performance.now();
    const wall0 = Date.now();
    s.agents.primary?.child.kill('SIGKILL');
    s.app('primary', 'stop');
    const dnsAt = until(
      'DNS at the secondary',
      async () => {
        const a = await queryAddress(sys.dns, sys.recordName, 'A', { timeoutMs: 200 });
        return a.addresses[0] === sys.addresses.secondary ? performance.now() - t0 : undefined;
      },
      DEADLINE_MS,
    );
    const appAt = until(
      'the app on the secondary',
      async () => ((await s.appAnswers('secondary')) ? performance.now() - t0 : undefined),
      DEADLINE_MS,
    );
    const [dns, app] = await Promise.all([dnsAt, appAt]);
    const st: Status = await s.status('secondary', 1000);
    const decidedAt = st.history.find((t) => t.to === 'SwitchingToSecondary')?.atMs;
    if (!decidedAt) throw new Error('no SwitchingToSecondary transition in the history');
    return { decided: decidedAt - wall0, dns, app };
  } finally {
    await s.close();
  }
}

async function main(): Promise<void> {
  const runs: { decided: number; dns: number; app: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await once();
    console.log(
      `run ${i + 1}: decided ${r.decided.toFixed(0)} ms, DNS ${r.dns.toFixed(0)} ms, app ${r.app.toFixed(0)} ms`,
    );
    runs.push(r);
  }
  const med = (k: 'decided' | 'dns' | 'app') =>
    percentile(
      runs.map((r) => r[k]).sort((a, b) => a - b),
      50,
    );
  const goalMs = (ALLOWABLE_S + 2) * 1000;
  printTable(
    ['from kill -9 of the primary to', 'median ms', 'runs'],
    [
      ['(a) the secondary decides to switch', med('decided'), RUNS],
      ['(b) DNS answers the secondary', med('dns'), RUNS],
      ['(c) the app answers on the secondary', med('app'), RUNS],
    ],
  );
  const late = med('decided') - ALLOWABLE_S * 1000;
  const steps = med('app') - med('decided');
  console.log(
    `allowable response time ${ALLOWABLE_S} s, heartbeat ${HEARTBEAT_S} s; goal (c) ≤ ${goalMs} ms: ${med('app') <= goalMs ? 'met' : 'NOT met'}`,
  );
  console.log(
    `decided ${late.toFixed(0)} ms beyond the allowable time (goal ≤ 1000 ms: ${late <= 1000 ? 'met' : 'NOT met'}); ` +
      `decision to the app answering ${steps.toFixed(0)} ms (goal < 500 ms: ${steps < 500 ? 'met' : 'NOT met'})`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

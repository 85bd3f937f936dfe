// Partitions of the link alone (and, with the witness on, of the link, the page and etcd), through a TCP proxy in front of each agent's link port, while
// both test pages stay reachable: reset or blackholed, both ways or one way. The secondary must
// not switch (the primary's application answers), both must never serve, and a file written
// during the partition arrives after it.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from '@sparesync/common';
import { tempFiles, type ScenarioResult } from '../harness/chaos';
import type { FailoverSuite } from '../harness/failover';
import { foldersPatch, makeFolderPair, waitForSameTree } from '../harness/folders';
import { LinkProxy, type ProxyMode } from '../harness/link-proxy';
import { waitFor, type Side } from '../harness/pair';
import { switchAsync, witnessSystem } from '../harness/witness';
import { between, scenario, sleep, waitLinkedAgain } from './context';
import { ServingWatch } from './serving';

/** Each pattern: the mode of the proxy in front of the primary's link port and of the one in
 * front of the secondary's. "toward the primary": nothing reaches the primary's agent. */
const patterns: [string, ProxyMode, ProxyMode][] = [
  ['reset, both ways', 'reset', 'reset'],
  ['blackhole, both ways', 'blackhole', 'blackhole'],
  ['blackhole toward the primary only', 'only-from-agent', 'only-to-agent'],
  ['blackhole toward the secondary only', 'only-to-agent', 'only-from-agent'],
];

/** CHAOS_PARTITION_MAX_S: the longest partition (10 s in the short form; `pnpm chaos`: 120 s).
 * CHAOS_PARTITIONS, a regular expression over the pattern names (of either list), runs only those
 * (a long form in parts). */
export const partitionMaxMs = () => Number(process.env.CHAOS_PARTITION_MAX_S ?? 10) * 1000;

export async function partitions(suite: FailoverSuite, perPattern: number): Promise<ScenarioResult[]> {
  const maxMs = partitionMaxMs();
  const f = makeFolderPair('www');
  const s = await suite.system({ both: foldersPatch([f], { scanIntervalSeconds: 2 }) });
  const port = (side: Side) => loadSettings(s.pair.config(side)).settings.listen.port;
  const toPrimary = await LinkProxy.start(port('primary'));
  const toSecondary = await LinkProxy.start(port('secondary'));
  s.pair.patchSettings('secondary', { peer: { port: toPrimary.port } });
  s.pair.patchSettings('primary', { peer: { port: toSecondary.port } });
  let switched = false;
  const watch = new ServingWatch(s, async () => {
    const st = await s.pair.status('secondary').catch(() => undefined);
    if (st && /Switch/.test(st.local.state)) switched = true;
  });
  const all: ScenarioResult[] = [];
  try {
    await s.pair.startBoth();
    const only = new RegExp(process.env.CHAOS_PARTITIONS ?? '');
    for (const [name, a, b] of patterns.filter(([name]) => only.test(name))) {
      const r = scenario(`partition: ${name}, 5-${Math.round(maxMs / 1000)} s`, perPattern);
      all.push(r);
      for (let t = 0; t < perPattern; t++) {
        watch.both = 0;
        switched = false;
        const rel = `p-${name.replace(/\W+/g, '-')}-${t}.txt`;
        toPrimary.set(a);
        toSecondary.set(b);
        await sleep(between(0, 500));
        writeFileSync(join(f.src, rel), `written during the partition ${name}`);
        const cutAt = Date.now();
        // The partition must be real: at least one agent sees its link go down.
        const seen = await waitFor(
          'an agent to see the link down',
          async () => {
            for (const side of ['primary', 'secondary'] as const) {
              const st = await s.pair.status(side).catch(() => undefined);
              if (st && !st.link.connected) return side;
            }
            return undefined;
          },
          30_000,
        ).catch(() => undefined);
        if (!seen) r.notes.push(`trial ${t}: no agent saw the link go down`);
        await sleep(Math.max(0, between(5000, Math.max(5001, maxMs)) - (Date.now() - cutAt)));
        toPrimary.set('open');
        toSecondary.set('open');
        try {
          await waitLinkedAgain(s.pair);
          await waitForSameTree(f, 90_000);
        } catch (e) {
          r.violations['trees differ after quiet']++;
          r.notes.push(`trial ${t}: ${String(e).slice(0, 300)}`);
        }
        if (switched)
          r.notes.push(`trial ${t}: the secondary started a switch while the primary's test page answered`);
        if (watch.both > 0) {
          r.violations['both serving (ms over allowance)'] += watch.both;
          r.notes.push(`trial ${t}: both answered for ${watch.both} ms`);
        }
        for (const side of ['primary', 'secondary'] as const) {
          if (s.pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
        }
      }
      r.violations['temp files left'] += tempFiles(f.dst).length;
    }
  } finally {
    await watch.stop();
    await toPrimary.close();
    await toSecondary.close();
    for (const d of [f.src, f.dst]) rmSync(d, { recursive: true, force: true });
  }
  return all;
}

/** Each pattern with the witness on: the link and the secondary's view of the primary's page cut
 * (so that, without a witness, the secondary would take over a primary that still serves), and
 * which agents lose etcd as well. */
const witnessPatterns: [string, ProxyMode, { primary: boolean; secondary: boolean }][] = [
  ['reset, both on etcd', 'reset', { primary: false, secondary: false }],
  ['blackhole, both on etcd', 'blackhole', { primary: false, secondary: false }],
  ['blackhole, the secondary off etcd', 'blackhole', { primary: false, secondary: true }],
  ['blackhole, the primary off etcd', 'blackhole', { primary: true, secondary: false }],
];

/**
 * The partition patterns with the witness on (issue 15): never both serving, in every trial. A
 * primary cut from its peer and etcd stops, and the secondary takes over; the trial then heals and
 * switches back, so the next starts from the primary serving. With `witness: false` the same cuts
 * of the link and page (no etcd patterns) show the guide's behaviour for comparison: the
 * secondary takes over a primary that still serves, so both-serving time is a measured figure
 * there (in `figures`), not a violation.
 */
export async function witnessPartitions(
  suite: FailoverSuite,
  perPattern: number,
  opts: { witness: boolean } = { witness: true },
): Promise<ScenarioResult[]> {
  const maxMs = partitionMaxMs();
  const w = await witnessSystem(suite, { witness: opts.witness });
  const watch = new ServingWatch(w);
  const all: ScenarioResult[] = [];
  const only = new RegExp(process.env.CHAOS_PARTITIONS ?? '');
  const patterns = witnessPatterns.filter(([n]) => only.test(n) && (opts.witness || /both on etcd/.test(n)));
  try {
    await w.pair.startBoth();
    for (const [pattern, mode, offEtcd] of patterns) {
      const name = opts.witness
        ? `witness on, link and page cut: ${pattern}`
        : `no witness (comparison), link and page cut: ${mode}`;
      const r = scenario(`${name}, 5-${Math.round(maxMs / 1000)} s`, perPattern);
      all.push(r);
      const bothMs: number[] = [];
      for (let t = 0; t < perPattern; t++) {
        watch.both = 0;
        w.cutPeers(mode);
        if (offEtcd.primary) w.toEtcd.primary.set(mode);
        if (offEtcd.secondary) w.toEtcd.secondary.set(mode);
        const cutMs = between(5000, Math.max(5001, maxMs));
        // The primary cut off from everything is replaced: wait for that before healing.
        if (offEtcd.primary) {
          await w.pair.waitForState('secondary', 'Switched', 60_000).catch((e: unknown) => {
            r.notes.push(`trial ${t}: the secondary did not take over: ${String(e).slice(0, 200)}`);
          });
        }
        await sleep(cutMs);
        w.cutPeers('open');
        w.toEtcd.primary.set('open');
        w.toEtcd.secondary.set('open');
        try {
          const st = await w.pair.status('secondary');
          if (st.local.epoch % 2 === 1) {
            await w.pair.waitForStatus('secondary', 'linked again', (x) => x.remote.reachable, 60_000);
            const back = await switchAsync(w, 'primary');
            if (back.code !== 0)
              r.notes.push(`trial ${t}: switch back exited ${back.code}: ${back.out.slice(-600)}`);
          } else if (offEtcd.primary) {
            r.notes.push(`trial ${t}: the secondary never took over from a primary cut off from everything`);
          }
          for (const side of ['secondary', 'primary'] as const) {
            await w.pair.waitForStatus(
              side,
              'serving from the primary, linked',
              (x) => x.local.epoch % 2 === 0 && x.remote.reachable && x.local.state === 'Working',
              90_000,
            );
          }
        } catch (e) {
          r.notes.push(`trial ${t}: did not recover: ${String(e).slice(0, 300)}`);
        }
        if (watch.both > 0 && opts.witness) {
          r.violations['both serving (ms over allowance)'] += watch.both;
          r.notes.push(`trial ${t}: both answered for ${watch.both} ms`);
        }
        bothMs.push(watch.both);
        r.figures.push(`trial ${t}: cut ${cutMs} ms, both serving ${watch.both} ms`);
        for (const side of ['primary', 'secondary'] as const) {
          if (w.pair.procs[side]!.child.exitCode !== null) r.violations['agent died']++;
        }
      }
      const served = bothMs.filter((ms) => ms > 0);
      r.figures.push(
        `both serving in ${served.length} of ${bothMs.length} trials, ${served.reduce((a, b) => a + b, 0)} ms in all`,
      );
    }
  } finally {
    await watch.stop();
    await w.close();
  }
  return all;
}

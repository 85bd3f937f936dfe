// The initial sync of many tiny files (BENCH_FILES_MANY, 100,000 by default) into an empty
// target, next to rsync to a daemon on the same tree: how long until every file is on the
// secondary, whether the link stayed up, and both agents' event-loop delay meanwhile (the issue
// 16 failure: the link dropped 5-10 s in and the sender died).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ControlClient, controlTargetFromSettings, loadSettings } from '@sparesync/common';
import { startAgentProcess, writeLocalPair } from '@sparesync/devkit';
import { writeTinyTree } from './lib-files-watched';
import { loopDelayDuring, loopProbeEnv } from './lib-loop-probe';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countFiles(dir: string): number {
  return Number(
    execFileSync('sh', ['-c', `find '${dir}' -type f -not -path '*/.deleted/*' | wc -l`]).toString(),
  );
}

export interface ManyResult {
  ms: number;
  /** Times the primary's link went down during the sync. */
  drops: number;
  /** The agents that exited before the end, by side. */
  died: string[];
  loop: { primary: { p99: number; max: number }; secondary: { p99: number; max: number } };
}

/** Creates `files` tiny files under `base`/src in directories of 100, syncs them to an empty target. */
export async function manyFilesInitialSync(base: string, files: number): Promise<ManyResult> {
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  writeTinyTree(src, files);
  mkdirSync(dst, { recursive: true });
  const pair = await writeLocalPair({
    dir: join(base, 'pair'),
    overrides: {
      both: {
        network: { sendDelaySeconds: 0, compression: false },
        folders: [{ name: 'many', primaryPath: src, secondaryPath: dst, scanIntervalSeconds: 0 }],
        log: { level: 'warn' },
      },
    },
  });
  const loopFile = (side: string) => join(base, `loop-${side}.txt`);
  const client = new ControlClient(controlTargetFromSettings(loadSettings(pair.primaryConfig)));
  const t0 = performance.now();
  const wall0 = Date.now();
  const procs = {
    primary: startAgentProcess(
      pair.primaryConfig,
      join(base, 'primary.log'),
      loopProbeEnv(loopFile('primary')),
    ),
    secondary: startAgentProcess(
      pair.secondaryConfig,
      join(base, 'secondary.log'),
      loopProbeEnv(loopFile('secondary')),
    ),
  };
  const died: string[] = [];
  for (const [side, p] of Object.entries(procs)) void p.exited.then(() => died.push(side));
  let drops = 0;
  let up = false;
  let linkUpAt = 0;
  try {
    for (let polls = 0; ; polls++) {
      const st = await client.getStatus(2000).catch(() => null);
      const connected = st?.link.connected ?? false;
      if (up && !connected) drops++;
      up = connected;
      linkUpAt ||= st?.link.connectedSinceMs ?? 0;
      if (died.length > 0) break;
      if (polls % 10 === 0 && countFiles(dst) >= files) break;
      if (performance.now() - t0 > 900_000) throw new Error('the initial sync of many files did not finish');
      await sleep(200);
    }
    const ms = performance.now() - t0;
    const wall1 = Date.now();
    for (const side of died) {
      const log = readFileSync(join(base, `${side}.log`), 'utf8');
      console.error(`the ${side} agent died; the end of its output:\n${log.slice(-3000)}`);
    }
    // From a second after the link is up: the agents' start (loading modules) is not sync work.
    const from = (linkUpAt || wall0) + 1000;
    return {
      ms,
      drops,
      died: [...died],
      loop: {
        primary: loopDelayDuring(loopFile('primary'), from, wall1),
        secondary: loopDelayDuring(loopFile('secondary'), from, wall1),
      },
    };
  } finally {
    client.close();
    for (const p of Object.values(procs)) p.child.kill('SIGTERM');
    await Promise.all(Object.values(procs).map((p) => p.exited));
  }
}

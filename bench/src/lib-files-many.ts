// The initial sync of many tiny files (BENCH_FILES_MANY, 100,000 by default) into an empty
// target, next to rsync to a daemon on the same tree: how long until every file is on the
// secondary, whether the link stayed up, and both agents' event-loop delay meanwhile (the issue
// 16 failure: the link dropped 5-10 s in and the sender died).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ControlClient, controlTargetFromSettings, loadSettings } from '@sparesync/common';
import { startAgentProcess, writeLocalPair } from '@sparesync/devkit';
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

/** Creates `files` tiny files under `base`/src in directories of 1,000, syncs them to an empty target. */
export async function manyFilesInitialSync(base: string, files: number): Promise<ManyResult> {
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  for (let i = 0; i < files; i++) {
    const dir = join(src, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n`);
  }
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
  try {
    for (let polls = 0; ; polls++) {
      const st = await client.getStatus(2000).catch(() => null);
      const connected = st?.link.connected ?? false;
      if (up && !connected) drops++;
      up = connected;
      if (died.length > 0) break;
      if (polls % 10 === 0 && countFiles(dst) >= files) break;
      if (performance.now() - t0 > 900_000) throw new Error('the initial sync of many files did not finish');
      await sleep(200);
    }
    const ms = performance.now() - t0;
    const wall1 = Date.now();
    return {
      ms,
      drops,
      died: [...died],
      loop: {
        primary: loopDelayDuring(loopFile('primary'), wall0, wall1),
        secondary: loopDelayDuring(loopFile('secondary'), wall0, wall1),
      },
    };
  } finally {
    client.close();
    for (const p of Object.values(procs)) p.child.kill('SIGTERM');
    await Promise.all(Object.values(procs).map((p) => p.exited));
  }
}

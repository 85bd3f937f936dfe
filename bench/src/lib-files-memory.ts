// Resident memory of a sending agent watching a large folder (issue 4: < 200 MB at 100,000 files).
// Both sides start with the same tree (cp -a keeps mtimes), so the start-up comparison sends
// nothing and what is measured is the steady state: manifest, index and watches.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ControlClient, controlTargetFromSettings, loadSettings } from '@sparesync/common';
import { startAgentProcess, writeLocalPair } from '@sparesync/devkit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** `files` tiny files (a dozen bytes each) under `src`, in directories of 100. */
export function writeTinyTree(src: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const dir = join(src, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n`);
  }
}

/** RSS (MB) of the primary agent once its first full comparison of `files` tiny files is done. */
export async function watchedFolderRss(base: string, files: number): Promise<{ mb: number; scanMs: number }> {
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  writeTinyTree(src, files);
  execFileSync('cp', ['-a', src, dst]);
  const pair = await writeLocalPair({
    dir: join(base, 'pair'),
    overrides: {
      both: {
        network: { remoteCheckIntervalSeconds: 0.25, sendDelaySeconds: 0, compression: false },
        folders: [{ name: 'mem', primaryPath: src, secondaryPath: dst, scanIntervalSeconds: 0 }],
        log: { level: 'warn' },
      },
    },
  });
  const client = new ControlClient(controlTargetFromSettings(loadSettings(pair.primaryConfig)));
  const procs = [startAgentProcess(pair.primaryConfig), startAgentProcess(pair.secondaryConfig)];
  try {
    const t0 = performance.now();
    for (;;) {
      const st = await client.getStatus(2000).catch(() => null);
      if ((st?.folders?.[0]?.lastScanMs ?? 0) > 0) break;
      if (performance.now() - t0 > 600_000) throw new Error('the first comparison did not finish');
      await sleep(100);
    }
    const scanMs = performance.now() - t0;
    await sleep(3000); // settle: index saved, garbage collected
    return { mb: rssMb(procs[0]!.child.pid!), scanMs };
  } finally {
    client.close();
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
  }
}

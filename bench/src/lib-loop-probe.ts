// Preloaded into an agent process by the bench (`node --require`, see loopProbeEnv): samples its
// event-loop delay with perf_hooks.monitorEventLoopDelay and appends one line per second to the
// file named by SPARESYNC_BENCH_LOOP_FILE: `epochMs p99Ms maxMs`. The agent's own code is not
// touched; `loopDelayDuring` reads a time window back. Worker threads load the preload too: only
// the main thread samples (a worker's loop is its own; the link's pings never wait for it).
// The sampling is off while a file `<that file>.paused` exists (`pauseLoopProbe`): its 10 ms
// timer costs ~0.35 CPU-s a minute, seven times the idle-CPU goal, so idle CPU is read with it off.
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

/** The environment that makes an agent process write its event-loop delay to `file`. */
export function loopProbeEnv(file: string): Record<string, string> {
  const self = join(__dirname, 'lib-loop-probe.js');
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${self}`.trim(),
    SPARESYNC_BENCH_LOOP_FILE: file,
  };
}

/** Turns the probe writing to `file` off (or on again) within a second. */
export function pauseLoopProbe(file: string, paused: boolean): void {
  if (paused) writeFileSync(`${file}.paused`, '');
  else rmSync(`${file}.paused`, { force: true });
}

/**
 * The event-loop delay of the probed process between `fromMs` and `toMs` (epoch ms): the worst
 * second's p99 and the largest delay seen, in ms (a second's histogram cannot be merged, so the
 * p99 is the worst of the seconds', an upper bound of the window's).
 */
export function loopDelayDuring(file: string, fromMs: number, toMs: number): { p99: number; max: number } {
  let p99 = 0;
  let max = 0;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { p99: NaN, max: NaN };
  }
  for (const line of text.split('\n')) {
    const [t, p, m] = line.split(' ').map(Number);
    if (!t || t < fromMs || t > toMs + 1000) continue;
    p99 = Math.max(p99, p!);
    max = Math.max(max, m!);
  }
  return { p99, max };
}

const out = process.env.SPARESYNC_BENCH_LOOP_FILE;
if (out && require.main !== module && isMainThread) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  let on = !existsSync(`${out}.paused`);
  if (on) h.enable();
  setInterval(() => {
    const paused = existsSync(`${out}.paused`);
    if (paused === on) {
      if (paused) h.disable();
      else h.enable();
      on = !paused;
    }
    if (on && h.count > 0) {
      const ms = (ns: number) => (ns / 1e6).toFixed(1);
      appendFileSync(out, `${Date.now()} ${ms(h.percentile(99))} ${ms(h.max)}\n`);
    }
    h.reset();
  }, 1000).unref();
}

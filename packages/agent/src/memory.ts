// A full garbage collection after a comparison of many entries (issue 16). The comparison leaves
// tens of MB of garbage (both manifests, the previous index, the packed parts), and an idle agent
// allocates too little for V8 to collect it: at 100,000 files the sender stayed ~40 MB above its
// live heap for as long as nothing changed. Collecting twice lets V8 return the freed pages. Each
// collection is one pause of the main thread (~26 ms at 100,000 entries, 150-230 ms at 1,000,000),
// so the two run 20 ms apart: the link's heartbeats are answered between them.
// The young generation a burst grew is shrunk once the agent idles (keepYoungGenerationSmall).
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Comparisons (and listings) of fewer entries leave too little garbage to be worth a collection. */
export const LARGE_COMPARISON = 10_000;

/** Between the two collections: each is a pause of its own, with the loop running between. */
const PAUSE_GAP_MS = 20;

/** How often an idle agent looks at its young generation. */
const YOUNG_CHECK_MS = 5_000;

/** Busier than this share of the last check's interval is not idle. */
const IDLE_UTILIZATION = 0.05;

/** After a collection that did not shrink it (still allocating), checks wait up to this long. */
const MAX_BACKOFF_MS = 320_000;

/** At rest the young generation is two 1 MB semi-spaces; beyond this, a burst grew it. */
const YOUNG_AT_REST = 4 * 1024 * 1024;

let collect: (() => void) | undefined;

function collector(): () => void {
  if (!collect) {
    // V8 exposes gc() to contexts created after the flag is set; node's own context stays as it is.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

/** Bytes V8 holds for the young generation now. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0;
}

/**
 * One full collection if the young generation is larger than at rest; returns whether it is at
 * rest afterwards. V8 grows the young generation up to its semi-space limit (16 MB each,
 * agentNodeOptions) for a burst and keeps it while the agent idles; it shrinks it, returning the
 * pages, at a full collection only while the allocation rate over the last 5 s was under 1 KB/ms.
 */
export function shrinkYoungGeneration(): boolean {
  if (youngGenerationBytes() <= YOUNG_AT_REST) return true;
  collector()();
  return youngGenerationBytes() <= YOUNG_AT_REST;
}

/**
 * Every YOUNG_CHECK_MS, while the event loop was idle over the last interval, shrinks a young
 * generation a burst (the start, a comparison, an initial sync, a reinitialisation) grew. A
 * collection that could not shrink it (the agent still allocating) doubles the wait before the
 * next one, so a steadily busy agent is not collected every 5 s. Returns the stop.
 */
export function keepYoungGenerationSmall(): () => void {
  let last = performance.eventLoopUtilization();
  let backoffMs = 0;
  let notBefore = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (busy > IDLE_UTILIZATION || Date.now() < notBefore) return;
    if (shrinkYoungGeneration()) backoffMs = 0;
    else backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(YOUNG_CHECK_MS, backoffMs * 2));
    notBefore = Date.now() + backoffMs;
  }, YOUNG_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Runs a full collection now and another 20 ms later, when `entries` is at
 * least LARGE_COMPARISON; resolves after the second.
 */
export async function releaseMemoryAfter(entries: number): Promise<void> {
  if (entries < LARGE_COMPARISON) return;
  const collect = collector();
  collect();
  // A timer, not an immediate: between the two, the loop's timers run too (heartbeats, and the
  // bench's delay probe, which counted both pauses as one stall: 172 ms at 100,000 files).
  await new Promise((resolve) => setTimeout(resolve, PAUSE_GAP_MS));
  // The second compacts the pages the first left sparse (it measures them): after one, ~15 MB of
  // the sender's old space at 100,000 files stayed committed until V8's own reducer ran seconds
  // later; after two, freed pages go back at once (a test of 300,000 entries: 117 -> 52 MB).
  collect();
}

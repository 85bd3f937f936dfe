// A full garbage collection after a comparison of many entries (issue 16). The comparison leaves
// tens of MB of garbage (both manifests, the previous index, the packed parts), and an idle agent
// allocates too little for V8 to collect it: at 100,000 files the sender stayed ~40 MB above its
// live heap for as long as nothing changed. Collecting twice lets V8 return the freed pages. Each
// collection is one pause of the main thread (~26 ms at 100,000 entries, 150-230 ms at 1,000,000),
// so the two run 20 ms apart: the link's heartbeats are answered between them.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Comparisons (and listings) of fewer entries leave too little garbage to be worth a collection. */
export const LARGE_COMPARISON = 10_000;

/** Between the two collections: each is a pause of its own, with the loop running between. */
const PAUSE_GAP_MS = 20;

let collect: (() => void) | undefined;

/**
 * Runs a full collection now and another 20 ms later, when `entries` is at
 * least LARGE_COMPARISON; resolves after the second.
 */
export async function releaseMemoryAfter(entries: number): Promise<void> {
  if (entries < LARGE_COMPARISON) return;
  if (!collect) {
    // V8 exposes gc() to contexts created after the flag is set; node's own context stays as it is.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  // A timer, not an immediate: between the two, the loop's timers run too (heartbeats, and the
  // bench's delay probe, which counted both pauses as one stall: 172 ms at 100,000 files).
  await new Promise((resolve) => setTimeout(resolve, PAUSE_GAP_MS));
  // The second compacts the pages the first left sparse (it measures them): after one, ~15 MB of
  // the sender's old space at 100,000 files stayed committed until V8's own reducer ran seconds
  // later; after two, freed pages go back at once (a test of 300,000 entries: 117 -> 52 MB).
  collect();
}

// Round-trip time and clock offset from heartbeat echoes, the NTP way (see Beat in the proto).
import type { Beat } from './frames';

export interface ClockSample {
  rttMs: number;
  /** Peer clock minus local clock. */
  offsetMs: number;
}

/**
 * Timestamps are whole milliseconds, so a true round trip of 0 can compute as a few ms below 0;
 * anything further below means a wall clock was set during the exchange.
 */
const ROUNDING_MS = 3;

/**
 * `arrivalMs` is the local clock when `beat` arrived. Undefined until the peer echoes one of ours,
 * and for an exchange during which either clock was set back or the peer's forward by more than
 * the exchange lasted: such a sample reads as a round trip below zero and an offset off by half the
 * step, and it must not be taken for the best one there is.
 */
export function sampleFromBeat(beat: Beat, arrivalMs: number): ClockSample | undefined {
  if (beat.echoSeq === 0 || beat.echoSentAtMs === 0) return undefined;
  const t0 = beat.echoSentAtMs;
  const t1 = beat.echoReceivedAtMs;
  const t2 = beat.sentAtMs;
  const t3 = arrivalMs;
  const held = t2 - t1;
  const rttMs = t3 - t0 - held;
  if (held < -ROUNDING_MS || rttMs < -ROUNDING_MS) return undefined;
  const offsetMs = (t1 - t0 + (t2 - t3)) / 2;
  return { rttMs: Math.max(0, rttMs), offsetMs };
}

/**
 * Two samples of unchanged clocks agree within half their round trips (the offset of each is known
 * to ±rtt/2); a disagreement beyond that and this margin means one clock was set between them.
 */
const STEP_MARGIN_MS = 500;

/**
 * Keeps the last few samples and reports the offset of the one with the smallest round trip,
 * which carries the least queueing error. A sample that cannot agree with the best one means a
 * clock was set: the older samples describe clocks that no longer exist and are dropped, so the
 * offset follows a step at once, both away and back, instead of holding a stale one for the
 * filter's length.
 */
export class ClockFilter {
  private samples: ClockSample[] = [];
  constructor(private readonly size = 8) {}

  add(sample: ClockSample): ClockSample {
    const before = this.best();
    if (
      before &&
      Math.abs(sample.offsetMs - before.offsetMs) > (sample.rttMs + before.rttMs) / 2 + STEP_MARGIN_MS
    )
      this.samples = [];
    this.samples.push(sample);
    if (this.samples.length > this.size) this.samples.shift();
    return { rttMs: sample.rttMs, offsetMs: this.best()!.offsetMs };
  }

  reset(): void {
    this.samples = [];
  }

  private best(): ClockSample | undefined {
    if (this.samples.length === 0) return undefined;
    return this.samples.reduce((a, b) => (b.rttMs < a.rttMs ? b : a));
  }
}

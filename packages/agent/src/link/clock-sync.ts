// Round-trip time and clock offset from heartbeat echoes, the NTP way (see Beat in the proto).
import type { Beat } from './frames';

export interface ClockSample {
  rttMs: number;
  /** Peer clock minus local clock. */
  offsetMs: number;
}

/** `arrivalMs` is the local clock when `beat` arrived. Undefined until the peer echoes one of ours. */
export function sampleFromBeat(beat: Beat, arrivalMs: number): ClockSample | undefined {
  if (beat.echoSeq === 0 || beat.echoSentAtMs === 0) return undefined;
  const t0 = beat.echoSentAtMs;
  const t1 = beat.echoReceivedAtMs;
  const t2 = beat.sentAtMs;
  const t3 = arrivalMs;
  const rttMs = Math.max(0, t3 - t0 - (t2 - t1));
  const offsetMs = (t1 - t0 + (t2 - t3)) / 2;
  return { rttMs, offsetMs };
}

/**
 * Keeps the last few samples and reports the offset of the one with the smallest round trip,
 * which carries the least queueing error.
 */
export class ClockFilter {
  private samples: ClockSample[] = [];
  constructor(private readonly size = 8) {}

  add(sample: ClockSample): ClockSample {
    this.samples.push(sample);
    if (this.samples.length > this.size) this.samples.shift();
    const best = this.samples.reduce((a, b) => (b.rttMs < a.rttMs ? b : a));
    return { rttMs: sample.rttMs, offsetMs: best.offsetMs };
  }

  reset(): void {
    this.samples = [];
  }
}

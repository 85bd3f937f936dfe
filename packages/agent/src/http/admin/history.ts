// The last hour of the link's round trip and the replication lag, sampled while the agent runs,
// so the Monitoring tab can draw it at once; the page then adds the points its status stream brings.
import type { Status } from '@sparesync/common';

export interface Sample {
  atMs: number;
  /** null while the link is down. */
  rttMs: number | null;
  /** null without database replication. */
  lagMs: number | null;
  filesPending: number;
}

export function sampleOf(s: Status, atMs: number): Sample {
  const db = s.database;
  return {
    atMs,
    rttMs: s.link.connected ? s.link.rttMs : null,
    lagMs: db && db.engine !== 'none' && db.phase !== 'disabled' ? db.lagMs : null,
    filesPending: (s.folders ?? []).reduce((n, f) => n + f.filesPending, 0),
  };
}

export class History {
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly status: () => Status,
    private readonly everyMs = 10_000,
    private readonly keepMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): void {
    let s: Status;
    try {
      s = this.status();
    } catch {
      return; // still starting
    }
    const now = this.now();
    this.samples.push(sampleOf(s, now));
    while (this.samples.length && this.samples[0]!.atMs < now - this.keepMs) this.samples.shift();
  }

  recent(): Sample[] {
    return [...this.samples];
  }
}

// Polls the managed app's test page on both sides every ~50 ms and tells, afterwards, when the
// managed system was unavailable (no side answering) and when each side first answered.
import type { BenchSystem, Side } from './lib-system';
import { sleep } from './lib-system';

export interface Sample {
  side: Side;
  /** Wall clock (ms) when the answer (or its failure) came. */
  atMs: number;
  ok: boolean;
}

export class AvailabilityPoller {
  readonly samples: Sample[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly s: BenchSystem,
    private readonly everyMs = 50,
  ) {
    this.loops = (['primary', 'secondary'] as const).map((side) => this.loop(side));
  }

  private async loop(side: Side): Promise<void> {
    while (this.running) {
      const t = Date.now();
      const ok = await this.s.appAnswers(side, 200);
      this.samples.push({ side, atMs: Date.now(), ok });
      await sleep(Math.max(0, this.everyMs - (Date.now() - t)));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** The first answer of `side` at or after `fromMs`. */
  firstAnswer(side: Side, fromMs: number): number | undefined {
    return this.samples.find((x) => x.side === side && x.ok && x.atMs >= fromMs)?.atMs;
  }

  /**
   * Time (ms) after `fromMs` during which no side answered: each gap runs from the last answer
   * before it (of either side) to the next answer, so it errs long by up to one poll interval.
   */
  unavailableAfter(fromMs: number): { totalMs: number; longestMs: number; gaps: number } {
    const sorted = [...this.samples].sort((a, b) => a.atMs - b.atMs);
    const up: Record<Side, boolean> = { primary: false, secondary: false };
    let lastUpAt: number | undefined;
    let downSince: number | undefined;
    let totalMs = 0;
    let longestMs = 0;
    let gaps = 0;
    for (const x of sorted) {
      up[x.side] = x.ok;
      const anyUp = up.primary || up.secondary;
      if (anyUp) {
        if (downSince !== undefined && x.atMs >= fromMs) {
          const gap = x.atMs - Math.max(downSince, fromMs);
          totalMs += gap;
          longestMs = Math.max(longestMs, gap);
          gaps++;
        }
        downSince = undefined;
        lastUpAt = x.atMs;
      } else if (downSince === undefined) {
        downSince = lastUpAt ?? x.atMs;
      }
    }
    return { totalMs, longestMs, gaps };
  }
}

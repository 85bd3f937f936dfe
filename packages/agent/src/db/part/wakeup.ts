// Wakes the sender's loop: a commit (poke) ends the pause between iterations at once, an operator
// request (kick) also makes the loop re-read the requests. A poke that arrives while an iteration
// runs is remembered, so it is never left to the fallback poll.
export class Wakeup {
  private dirty = false;
  private kicked = false;
  private seenAt: number | null = null;
  private waiter: (() => void) | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  poke(kick = false): void {
    if (!this.dirty) this.seenAt = this.now();
    this.dirty = true;
    if (kick) this.kicked = true;
    this.waiter?.();
  }

  /** Starts an iteration; returns when the first change since the last one was seen (null: none). */
  reset(): number | null {
    const at = this.seenAt;
    this.dirty = false;
    this.seenAt = null;
    return at;
  }

  consumeKick(): boolean {
    const k = this.kicked;
    this.kicked = false;
    return k;
  }

  /** Waits `ms`, unless poked since the last reset, poked meanwhile, or aborted. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (this.dirty || signal.aborted) return Promise.resolve();
    return this.wait(signal, ms, () => true);
  }

  /** Waits `ms` whatever the commits (a retry after a failure), unless kicked or aborted. */
  pause(ms: number, signal: AbortSignal): Promise<void> {
    if (this.kicked || signal.aborted) return Promise.resolve();
    return this.wait(signal, ms, () => this.kicked);
  }

  /** Waits for an operator request (kick) or the abort. */
  async untilKicked(signal: AbortSignal): Promise<void> {
    if (!this.kicked && !signal.aborted) await this.wait(signal, Infinity, () => this.kicked);
    this.kicked = false;
  }

  private wait(signal: AbortSignal, ms: number, done: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.waiter = null;
        resolve();
      };
      const timer = ms === Infinity ? undefined : setTimeout(finish, ms);
      signal.addEventListener('abort', finish);
      this.waiter = () => {
        if (done()) finish();
      };
    });
  }
}

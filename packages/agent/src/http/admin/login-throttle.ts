// Growing delay between failed logins from one client address: the first FREE failures cost
// nothing, then each further attempt must wait 1 s, 2 s, 4 s … (at most MAX_MS) after the last
// failure; a success forgets the address. An attempt that comes too soon is refused without
// checking the password, so guessing gets slower and slower while an operator who mistyped
// barely notices.
const FREE = 3;
const MAX_MS = 5 * 60_000;
const FORGET_MS = 60 * 60_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lastMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds the address must still wait before its next attempt (0: go ahead). */
  waitMs(address: string): number {
    const f = this.failures.get(address);
    if (!f || f.count < FREE) return 0;
    const delay = Math.min(1000 * 2 ** (f.count - FREE), MAX_MS);
    return Math.max(0, f.lastMs + delay - this.now());
  }

  failed(address: string): void {
    const now = this.now();
    for (const [a, f] of this.failures) if (now - f.lastMs > FORGET_MS) this.failures.delete(a);
    const f = this.failures.get(address) ?? { count: 0, lastMs: now };
    this.failures.set(address, { count: f.count + 1, lastMs: now });
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}

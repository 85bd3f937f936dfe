// The guide's delay and repeat rules (§9), without I/O or a clock: the caller passes `now`.
//
// A condition is raised by SendMessage and ends with CancelMessage (or, for the two pairs below,
// with its answering message). Its first message goes out once the condition has lasted its delay;
// if it ends sooner, nothing is sent. While it lasts it is repeated every repeat period; a code
// with no repeat period is sent once per raise. Conditions are told apart by code and source, so
// two folders' file problems are two conditions with the same code.
import { messageCodes, type MessageCode } from '@sparesync/common';

export interface Timing {
  delaySeconds: number;
  /** 0: sent once. */
  repeatSeconds: number;
}

/** The guide §9 table, with a setting's fields laid over it. */
export function timingOf(code: MessageCode, override?: Partial<Timing>): Timing {
  const d = messageCodes[code];
  return {
    delaySeconds: override?.delaySeconds ?? d.delaySeconds,
    repeatSeconds: override?.repeatSeconds ?? d.repeatSeconds,
  };
}

/**
 * Messages that announce the end of another's condition. The answer ends that condition; if the
 * condition had not been announced yet (its delay had not passed), the answer is dropped too: an
 * operator is not told the managed system is back when nobody told them it was gone.
 */
export const answers: Partial<Record<MessageCode, MessageCode>> = {
  MainAppVisible: 'MainAppInvisible',
  TurnedOn: 'TurnedOff',
};

/** A message to send now. */
export interface Due {
  code: MessageCode;
  source: string | undefined;
  detail: string;
  /** When the condition was raised (ms since the epoch). */
  since: number;
  /** 1 for the first message of this condition, 2 for the first repeat, ... */
  count: number;
  /** Send only through these transports (a retry of a message that others delivered). */
  only: string[] | undefined;
  /** Retries so far of a message sent once. */
  attempt: number;
}

interface Condition {
  code: MessageCode;
  source: string | undefined;
  detail: string;
  since: number;
  nextAt: number;
  /** Messages handed out so far. */
  count: number;
  only: string[] | undefined;
  attempt: number;
}

export interface RetryPolicy {
  /** A message that is sent once and failed is tried again after this long... */
  afterMs: number;
  /** ...at most this many more times. Repeated messages are retried at their next repeat. */
  times: number;
}

export const defaultRetry: RetryPolicy = { afterMs: 300_000, times: 3 };

const keyOf = (code: MessageCode, source: string | undefined) => `${code}\0${source ?? ''}`;

export class Throttle {
  private readonly conditions = new Map<string, Condition>();

  constructor(
    private readonly timing: (code: MessageCode) => Timing,
    private readonly retry: RetryPolicy = defaultRetry,
  ) {}

  /** A condition began (or, already known, has a new detail: its schedule is kept). */
  raise(code: MessageCode, detail: string, source: string | undefined, now: number): void {
    const ended = answers[code];
    if (ended) {
      const before = this.conditions.get(keyOf(ended, undefined));
      this.conditions.delete(keyOf(ended, undefined));
      if (before && before.count === 0) return;
    }
    const key = keyOf(code, source);
    const known = this.conditions.get(key);
    if (known) {
      known.detail = detail;
      return;
    }
    const nextAt = now + this.timing(code).delaySeconds * 1000;
    this.conditions.set(key, {
      code,
      source,
      detail,
      since: now,
      nextAt,
      count: 0,
      only: undefined,
      attempt: 0,
    });
  }

  /** The condition ended: nothing more is sent for it. */
  cancel(code: MessageCode, source: string | undefined): void {
    this.conditions.delete(keyOf(code, source));
  }

  /** The messages due at `now`, in the order their conditions were raised; each is scheduled on. */
  take(now: number): Due[] {
    const due: Due[] = [];
    for (const [key, c] of this.conditions) {
      if (c.nextAt > now) continue;
      c.count += 1;
      due.push({
        code: c.code,
        source: c.source,
        detail: c.detail,
        since: c.since,
        count: c.count,
        only: c.only,
        attempt: c.attempt,
      });
      const repeat = this.timing(c.code).repeatSeconds;
      if (repeat > 0) {
        c.nextAt = now + repeat * 1000;
        c.only = undefined;
      } else {
        this.conditions.delete(key);
      }
    }
    return due;
  }

  /**
   * Some transports failed to deliver `due`. A repeated message is simply sent again at its next
   * repeat; one sent once is retried through the failed transports only, a few times.
   */
  failed(due: Due, transports: string[], now: number): void {
    if (transports.length === 0 || this.timing(due.code).repeatSeconds > 0) return;
    if (due.attempt >= this.retry.times) return;
    const key = keyOf(due.code, due.source);
    if (this.conditions.has(key)) return;
    this.conditions.set(key, {
      ...due,
      nextAt: now + this.retry.afterMs,
      only: transports,
      attempt: due.attempt + 1,
    });
  }

  /** When the next message is due, or undefined when nothing is waiting. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const c of this.conditions.values()) if (next === undefined || c.nextAt < next) next = c.nextAt;
    return next;
  }

  /** Conditions waiting for their delay or between repeats, for logs and tests. */
  pending(): Array<{ code: MessageCode; source: string | undefined; nextAt: number; count: number }> {
    return [...this.conditions.values()].map((c) => ({
      code: c.code,
      source: c.source,
      nextAt: c.nextAt,
      count: c.count,
    }));
  }
}

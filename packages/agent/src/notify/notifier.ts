// The notifier: the runner's SendMessage and CancelMessage go through the throttle (guide §9
// delays and repeats), and due messages go to every configured transport. Sending never blocks the
// runner and never throws into it: a failed transport is logged with its reason and the message is
// tried again (at its next repeat; a message sent once, a few times). Settings are read at every
// use, so a change made through settings sync takes effect at once.
import type { Logger, MessageCode, Settings } from '@sparesync/common';
import type { Message, Server } from './message';
import { defaultRetry, Throttle, timingOf, type Due, type RetryPolicy } from './throttle';
import { passwordFileProblem } from './smtp';
import { transportsOf, type Transport, type TransportContext } from './transport';

type NotificationSettings = Settings['notifications'];

export interface NotifierOptions {
  /** The notifications settings in force (read at every use). */
  settings(): NotificationSettings;
  resolvePath(p: string): string;
  server: Server;
  log: Logger;
  now(): number;
  /** Instead of the configured transports (tests). */
  transports?: (n: NotificationSettings, ctx: TransportContext) => Transport[];
  retry?: RetryPolicy;
  /** Told each message's deliveries, for /metrics. */
  onDelivered?(m: Message, deliveries: Delivery[]): void;
}

export interface Delivery {
  transport: string;
  target: string;
  ok: boolean;
  /** The other end's answer, or why it failed (never a password). */
  detail: string;
}

export class Notifier {
  private readonly throttle: Throttle;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly warned = new Set<string>();
  private stopped = false;

  constructor(private readonly o: NotifierOptions) {
    this.throttle = new Throttle((code) => timingOf(code, o.settings().timings[code]), o.retry);
    if (!o.transports) {
      const problem = passwordFileProblem({ settings: o.settings().smtp, ...this.context() });
      if (problem) o.log.warn(problem);
    }
  }

  /** SendMessage: a condition began (or has a new detail). */
  raise(code: MessageCode, detail: string, source?: string): void {
    if (this.stopped) return;
    this.o.log.debug(`condition ${code}${source ? ` (${source})` : ''}: ${detail}`);
    this.throttle.raise(code, detail, source, this.o.now());
    this.pump();
  }

  /** CancelMessage: the condition ended; a message still waiting for its delay is not sent. */
  cancel(code: MessageCode, source?: string): void {
    if (this.stopped) return;
    this.throttle.cancel(code, source);
    this.schedule();
  }

  /**
   * Sends at once, without delay, and waits for it (at most `waitMs`): for a failure at start,
   * after which the process ends (LinkServerNotStarted). Never throws.
   */
  async announce(code: MessageCode, detail: string, waitMs = 10_000): Promise<void> {
    const now = this.o.now();
    const due: Due = { code, source: undefined, detail, since: now, count: 1, only: undefined, attempt: 0 };
    this.send(due, now, 0);
    const all = Promise.all([...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }

  /** The configured transports; each says what it answered or why it failed. Never throws. */
  async deliver(m: Message, only?: string[]): Promise<Delivery[]> {
    const all = this.transports().filter((t) => !only || only.includes(t.name));
    const deliveries = await Promise.all(
      all.map((t) =>
        Promise.resolve()
          .then(() => t.send(m))
          .then(
            (detail) => ({ transport: t.name, target: t.target, ok: true, detail }),
            (e: unknown) => ({
              transport: t.name,
              target: t.target,
              ok: false,
              detail: e instanceof Error ? e.message : String(e),
            }),
          ),
      ),
    );
    this.o.onDelivered?.(m, deliveries);
    return deliveries;
  }

  transports(): Transport[] {
    return (this.o.transports ?? transportsOf)(this.o.settings(), this.context());
  }

  private context(): TransportContext {
    return {
      resolvePath: this.o.resolvePath,
      warnLoose: (file, mode) => {
        if (this.warned.has(file)) return;
        this.warned.add(file);
        this.o.log.warn(
          `the file named by notifications.smtp.passwordFile (${file}, mode ${mode.toString(8)}) can be read by other users; run chmod 600 on it`,
        );
      },
    };
  }

  /** Conditions waiting for their delay or their next repeat. */
  pending(): ReturnType<Throttle['pending']> {
    return this.throttle.pending();
  }

  /** Stops scheduling and waits (up to `waitMs`) for sends under way. */
  async stop(waitMs = 2000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const all = Promise.all([...this.inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, waitMs).unref())]);
  }

  private pump(): void {
    const now = this.o.now();
    for (const due of this.throttle.take(now)) this.send(due, now);
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.throttle.nextAt();
    if (next === undefined || this.stopped) return;
    const wait = Math.min(Math.max(0, next - this.o.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => this.pump(), wait);
    this.timer.unref();
  }

  private send(due: Due, now: number, repeat?: number): void {
    const n = this.o.settings();
    const repeatSeconds = repeat ?? timingOf(due.code, n.timings[due.code]).repeatSeconds;
    const line = `message ${due.code}: ${due.detail}`;
    const meta = { code: due.code, count: due.count, ...(due.source ? { source: due.source } : {}) };
    if (!n.enabled) {
      this.o.log.warn(`${line} (not sent: notifications.enabled is off)`, meta);
      return;
    }
    const m: Message = {
      server: this.o.server,
      code: due.code,
      detail: due.detail,
      since: due.since,
      at: now,
      count: due.count,
      repeatSeconds,
    };
    const p = this.deliver(m, due.only)
      .then((results) => {
        if (results.length === 0) {
          this.o.log.warn(`${line} (not sent: no transport is configured in notifications)`, meta);
          return;
        }
        const sent = results.filter((r) => r.ok).map((r) => r.transport);
        const failed = results.filter((r) => !r.ok);
        if (sent.length) this.o.log.warn(`${line} (sent by ${sent.join(', ')})`, meta);
        if (this.stopped) return;
        const retry = failed.length ? this.retryText(due, repeatSeconds) : '';
        for (const r of failed)
          this.o.log.error(`message ${due.code} not sent by ${r.target}: ${r.detail}; ${retry}`, meta);
        this.throttle.failed(
          due,
          failed.map((r) => r.transport),
          this.o.now(),
        );
        this.schedule();
      })
      .catch((e: unknown) => {
        this.o.log.error(`internal error while sending message ${due.code}`, { error: String(e) });
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private retryText(due: Due, repeatSeconds: number): string {
    if (repeatSeconds > 0)
      return `it is tried again at its next repeat in ${repeatSeconds} s if the condition lasts`;
    const policy = this.o.retry ?? defaultRetry;
    if (due.attempt >= policy.times) return `given up after ${due.attempt + 1} attempts`;
    return `tried again in ${policy.afterMs / 1000} s`;
  }
}

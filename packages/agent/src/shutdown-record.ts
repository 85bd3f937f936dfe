// The last shutdown of this agent (guide §7.3.1 "Mark checked"): a clean stop records its time
// and reason; a run that ended without stopping (kill -9, a crash, lost power) is found at the
// next start, dated by the last "alive" mark the run wrote (every 30 s). The operator reviews it
// and marks it checked; `sparesync status` shows it until then.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, type Logger, type ShutdownRecord } from '@sparesync/common';
import { FailedPrecondition } from './link/grpc-status';
import { writeJsonDurably } from './persisted-state';

export const ALIVE_EVERY_MS = 30_000;

interface FileContent {
  /** Present while a run is under way: when it started and when it last wrote its alive mark. */
  running?: { startedAtMs: number; aliveAtMs: number };
  last?: ShutdownRecord;
}

export class ShutdownLog {
  private readonly path: string;
  private content: FileContent = {};
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dir, 'shutdown.json');
  }

  /** Reads the record of the run before this one and marks this run as under way. */
  start(): void {
    this.content = this.read();
    const prev = this.content.running;
    if (prev) {
      this.content.last = {
        atMs: prev.aliveAtMs,
        clean: false,
        reason: `the agent ended without stopping (killed, crashed or the server lost power); it was last seen alive at this time, at most ${ALIVE_EVERY_MS / 1000} s before the end`,
        checked: false,
        checkedAtMs: 0,
      };
      this.log.warn(
        `the previous run ended without stopping, after ${new Date(prev.aliveAtMs).toISOString()}; review it, then run sparesync mark-checked`,
      );
    }
    const at = this.now();
    this.content.running = { startedAtMs: at, aliveAtMs: at };
    this.save();
    this.timer = setInterval(() => this.alive(), ALIVE_EVERY_MS);
    this.timer.unref();
  }

  get last(): ShutdownRecord | undefined {
    return this.content.last;
  }

  /** A clean stop: recorded with its reason. */
  stopped(reason: string): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.content = {
      last: { atMs: this.now(), clean: true, reason, checked: false, checkedAtMs: 0 },
    };
    this.save();
  }

  /** The operator has reviewed the last shutdown. */
  markChecked(): ShutdownRecord {
    const last = this.content.last;
    if (!last) throw new FailedPrecondition('no shutdown of this agent is recorded yet: nothing to mark');
    this.content.last = { ...last, checked: true, checkedAtMs: this.now() };
    this.save();
    return this.content.last;
  }

  private alive(): void {
    if (!this.content.running) return;
    this.content.running.aliveAtMs = this.now();
    this.save();
  }

  private save(): void {
    try {
      writeJsonDurably(this.path, this.content);
    } catch (e) {
      this.log.error(`cannot write ${this.path}: ${errorMessage(e)}`);
    }
  }

  private read(): FileContent {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return {};
    }
    try {
      return JSON.parse(text) as FileContent;
    } catch (e) {
      this.log.warn(`${this.path} is corrupt (${errorMessage(e)}); the last shutdown is unknown`);
      return {};
    }
  }
}

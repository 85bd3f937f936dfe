// Runs the agent's replication parts: starts and stops them, routes the Link and Control RPCs they
// serve, merges their figures into Status and tells them which way data flows.
import type * as grpc from '@grpc/grpc-js';
import type { Status } from '@sparesync/common';
import type { AgentPart, Direction, LinkHandler, PartContext } from './parts';
import { createParts } from './parts-registry';

export class PartHost {
  private current: Direction = 'idle';
  private started = false;

  constructor(readonly parts: AgentPart[] = createParts()) {}

  /** Link handlers by method name; methods no part serves are absent. */
  linkHandlers(): Record<string, LinkHandler> {
    return Object.assign({}, ...this.parts.map((p) => p.link ?? {})) as Record<string, LinkHandler>;
  }

  controlHandlers(): grpc.UntypedServiceImplementation {
    return Object.assign({}, ...this.parts.map((p) => p.control ?? {})) as grpc.UntypedServiceImplementation;
  }

  async start(ctx: PartContext): Promise<void> {
    for (const p of this.parts) {
      await p.start(ctx.log.child ? { ...ctx, log: ctx.log.child({ component: p.name }) } : ctx);
    }
    this.started = true;
    for (const p of this.parts) p.direction(this.current);
  }

  get direction(): Direction {
    return this.current;
  }

  setDirection(d: Direction): void {
    if (d === this.current) return;
    this.current = d;
    if (this.started) for (const p of this.parts) p.direction(d);
  }

  status(): Partial<Status> {
    return Object.assign({}, ...this.parts.map((p) => p.status())) as Partial<Status>;
  }

  async stop(): Promise<void> {
    this.setDirection('idle');
    await Promise.allSettled(this.parts.map((p) => p.stop()));
  }
}

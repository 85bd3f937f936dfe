// Runs the agent's replication parts: starts and stops them, routes the Link and Control RPCs they
// serve, merges their figures into Status and tells them which way data flows.
import { status as grpcStatus, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Status } from '@sparesync/common';
import type { AgentPart, Direction, LinkHandler, PartContext } from './parts';
import { createParts } from './parts-registry';

export class PartHost {
  private current: Direction = 'idle';
  private started = false;

  constructor(readonly parts: AgentPart[] = createParts()) {}

  /** Link handlers by method name; methods no part serves are absent. The server listens before
   * the parts have started (the link must come up first), so calls that early are refused with
   * UNAVAILABLE and the peer retries. */
  linkHandlers(): Record<string, LinkHandler> {
    const all = Object.assign({}, ...this.parts.map((p) => p.link ?? {})) as Record<string, LinkHandler>;
    const guarded = Object.entries(all).map(([name, handler]): [string, LinkHandler] => [
      name,
      (call) => {
        if (this.started) return handler(call);
        call.emit('error', {
          code: grpcStatus.UNAVAILABLE,
          details: 'the agent is still starting; try again',
        });
      },
    ]);
    return Object.fromEntries(guarded);
  }

  controlHandlers(): UntypedServiceImplementation {
    return Object.assign({}, ...this.parts.map((p) => p.control ?? {})) as UntypedServiceImplementation;
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

  /** Resolves when every part is in sync with the peer (see AgentPart.synced). */
  async synced(timeoutMs: number): Promise<void> {
    await Promise.all(this.parts.map((p) => p.synced?.(timeoutMs)));
  }

  status(): Partial<Status> {
    return Object.assign({}, ...this.parts.map((p) => p.status())) as Partial<Status>;
  }

  /** Stops every part; `stopping` names the parts not yet stopped (a stop that hangs says which). */
  async stop(stopping: (names: string) => void = () => {}): Promise<void> {
    this.setDirection('idle');
    const left = new Set(this.parts.map((p) => p.name));
    stopping([...left].join(', '));
    await Promise.allSettled(
      this.parts.map((p) =>
        p.stop().finally(() => {
          left.delete(p.name);
          stopping([...left].join(', '));
        }),
      ),
    );
  }
}

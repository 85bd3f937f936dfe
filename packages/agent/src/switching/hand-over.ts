// A planned switch to the secondary (guide §10.1.2) loses no data. The secondary's step
// `hand-over` asks the primary over the Link (PrepareHandOver); the primary writes its offline
// marker, stops its managed system and waits until its replication parts hold nothing the
// secondary lacks. Only then does the secondary persist the odd epoch, which fences the primary.
// If the epoch has not moved within the lease (the switch halted or was cancelled), the primary
// starts its managed system again: a hand-over never leaves both down. Once the epoch moves, the
// lease has done its work and ends: whatever happens next (a switch back) is the epoch's business.
import type * as grpc from '@grpc/grpc-js';
import { errorMessage, type Logger, type Role } from '@sparesync/common';
import { FailedPrecondition, unary } from '../link/grpc-status';
import { callPeer } from '../link/peer-call';
import type { ManagedPort } from '../managed';
import { holderOf } from '../state';

export const HAND_OVER_LEASE_MS = 60_000;

export interface HandOverOptions {
  role: Role;
  name: string;
  epoch(): number;
  /** Why this side may not hand over now (state/decisions.ts handOverRefusal), or undefined. */
  refusal(): string | undefined;
  managed: ManagedPort;
  /** Resolves once replication holds nothing the peer lacks (PartHost.synced). */
  synced(timeoutMs: number): Promise<void>;
  /** system.reverseSyncTimeoutSeconds, in ms. */
  drainTimeoutMs: number;
  /** managedSystem.commandTimeoutSeconds, in ms: the stop command may take this long. */
  commandTimeoutMs: number;
  peer(): grpc.Client | undefined;
  log: Logger;
  leaseMs?: number;
  now?: () => number;
}

interface PrepareRequest {
  fromName?: string;
}
interface PrepareReply {
  detail: string;
}

export class HandOver {
  private lease: NodeJS.Timeout | undefined;
  /** The epoch the lease was taken at: the lease serves again only while it is unchanged. */
  private leaseEpoch = -1;

  constructor(private readonly o: HandOverOptions) {}

  /** The Link RPC the primary serves. */
  linkHandlers(): Record<string, grpc.handleUnaryCall<never, unknown>> {
    const prepare = unary((r: PrepareRequest) => this.prepare(r.fromName ?? ''));
    return { prepareHandOver: prepare as unknown as grpc.handleUnaryCall<never, unknown> };
  }

  /** The secondary's step: resolves to the primary's detail line, rejects with its reason. */
  async request(): Promise<string> {
    const o = this.o;
    const timeout = o.drainTimeoutMs + 2 * o.commandTimeoutMs + 5000;
    const r = await callPeer<PrepareReply>(o.peer(), 'prepareHandOver', { fromName: o.name }, timeout);
    if (r.ok) return r.reply.detail;
    throw new Error(
      r.reached
        ? `the primary refused the hand-over: ${r.detail}`
        : `the primary agent was not reached for the hand-over: ${r.detail}`,
    );
  }

  /** The primary's side: stop serving, drain, and keep a lease on getting the service back. */
  async prepare(from: string): Promise<PrepareReply> {
    const o = this.o;
    if (o.role !== 'primary' || holderOf(o.epoch()) !== 'primary') {
      throw new FailedPrecondition(
        `the ${o.role} at epoch ${o.epoch()} does not run the managed system, so it has nothing to hand over`,
      );
    }
    const refused = o.refusal();
    if (refused) throw new FailedPrecondition(refused);
    const now = o.now ?? Date.now;
    const started = now();
    o.log.info(`hand-over to the secondary ${from}: stopping the managed system and draining replication`);
    this.clearLease();
    try {
      await o.managed.writeOfflineMarker();
      await o.managed.stop();
    } catch (e) {
      await this.serveAgain(`the managed system could not be stopped (${errorMessage(e)})`);
      throw new FailedPrecondition(
        `the primary could not stop its managed system for the hand-over: ${errorMessage(e)}; it serves again`,
      );
    }
    try {
      await o.synced(o.drainTimeoutMs);
    } catch (e) {
      await this.serveAgain(`replication did not drain (${errorMessage(e)})`);
      throw new FailedPrecondition(
        `the primary could not drain replication within system.reverseSyncTimeoutSeconds: ${errorMessage(e)}; it serves again`,
      );
    }
    const leaseMs = o.leaseMs ?? HAND_OVER_LEASE_MS;
    const epoch = o.epoch();
    this.leaseEpoch = epoch;
    this.lease = setTimeout(() => {
      this.lease = undefined;
      // An epoch that moved (to the secondary, and maybe back since) ended the lease's purpose.
      if (o.epoch() === epoch) {
        void this.serveAgain(`the secondary did not take over within ${leaseMs / 1000} s of the hand-over`);
      }
    }, leaseMs);
    this.lease.unref();
    const secs = ((now() - started) / 1000).toFixed(1);
    const detail = `the primary stopped its managed system and drained replication in ${secs} s`;
    o.log.info(detail);
    return { detail };
  }

  /** Called whenever this side's state or epoch may have changed: a moved epoch ends the lease. */
  epochChanged(): void {
    if (!this.lease || this.o.epoch() === this.leaseEpoch) return;
    this.clearLease();
    this.o.log.info(
      `hand-over complete: the secondary took over at epoch ${this.o.epoch()}; the hand-over lease ends`,
    );
  }

  stop(): void {
    this.clearLease();
  }

  private clearLease(): void {
    if (this.lease) clearTimeout(this.lease);
    this.lease = undefined;
  }

  private async serveAgain(why: string): Promise<void> {
    const o = this.o;
    o.log.warn(`${why}: starting the managed system on the primary again`);
    try {
      await o.managed.start();
      await o.managed.removeOfflineMarker();
    } catch (e) {
      o.log.error(`could not start the managed system again after the hand-over: ${errorMessage(e)}`);
    }
  }
}

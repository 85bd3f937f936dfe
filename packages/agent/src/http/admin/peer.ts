// The other server as the page sees it: a Control client to the peer agent (the one the CLI uses,
// with this agent's certificate, pinned to peer.fingerprint), so both servers show side by side in
// full and an action that only the other server runs (a switch is run by the secondary) reaches
// it through its own Control service. The peer's WatchStatus stream is followed only while a page
// is open, and reopened after a pause when it ends.
import {
  ControlClient,
  errorMessage,
  isSpareSyncError,
  peerControlTargetFromSettings,
  type LoadedSettings,
  type Status,
} from '@sparesync/common';
import type { ControlError } from './control-call';

export interface PeerView {
  /** The peer's last status, or why there is none. */
  status: Status | null;
  error: string;
  atMs: number;
}

const httpOfCode: Record<string, number> = {
  PermissionDenied: 403,
  ConfigInvalid: 400,
  InvalidArgument: 409,
  AgentUnreachable: 503,
};

export class Peer {
  private readonly client: ControlClient;
  private readonly listeners = new Set<(v: PeerView) => void>();
  private watch: { stop(): void } | undefined;
  private retry: NodeJS.Timeout | undefined;
  view: PeerView = { status: null, error: 'not asked yet', atMs: 0 };

  constructor(
    loaded: LoadedSettings,
    private readonly retryMs = 2000,
  ) {
    this.client = new ControlClient(peerControlTargetFromSettings(loaded));
  }

  /** Runs a unary Control method on the peer; rejects with a ControlError. */
  async call<T>(method: string, request: object, timeoutMs = 30_000): Promise<T> {
    try {
      return await this.client.call<T>(method, request, timeoutMs);
    } catch (e) {
      const httpStatus = (isSpareSyncError(e) && httpOfCode[e.code]) || 502;
      throw { httpStatus, message: `the other server: ${errorMessage(e)}` } satisfies ControlError;
    }
  }

  /** Calls `listener` with each new view of the peer while subscribed; returns the unsubscribe. */
  subscribe(listener: (v: PeerView) => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.follow();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.unfollow();
    };
  }

  close(): void {
    this.listeners.clear();
    this.unfollow();
    this.client.close();
  }

  private follow(): void {
    this.watch = this.client.watchStatus(
      10,
      (e) => this.publish({ status: e.status, error: '', atMs: Date.now() }),
      (err) => {
        this.watch = undefined;
        this.publish({
          status: null,
          error: err ? err.message : 'the status stream ended',
          atMs: Date.now(),
        });
        if (this.listeners.size) this.retry = setTimeout(() => this.follow(), this.retryMs);
      },
    );
  }

  private unfollow(): void {
    clearTimeout(this.retry);
    this.watch?.stop();
    this.watch = undefined;
  }

  private publish(v: PeerView): void {
    this.view = v;
    for (const l of this.listeners) l(v);
  }
}

// The contract between the agent's composition root and its replication parts (files, database).
// A part serves Link streams from the peer, opens its own streams to the peer when it sends, and
// reports problems and figures. The runner tells it which way data flows; the part never decides
// that itself, so the epoch fence lives in one place.
import type * as grpc from '@grpc/grpc-js';
import type { LoadedSettings, Logger, Settings, Status } from '@sparesync/common';
import type { Direction } from './state';

/** Which way data flows; decided by the pure core (state/direction.ts). */
export type { Direction };

/** Problems a part reports; the state machine turns them into WorkingWithErrors/TurnedOff. */
export type PartProblem =
  /** failedFiles: some files failed to reach the receiver and are retried (a warning of its own). */
  | { type: 'FileSyncProblem'; fatal: boolean; folder: string; detail: string; failedFiles?: boolean }
  /** reinitRequired: replication needs a reinitialisation the settings do not allow by itself. */
  | { type: 'DbSyncProblem'; fatal: boolean; connection: boolean; detail: string; reinitRequired?: boolean }
  | { type: 'ProblemCleared'; source: string };

export interface PartContext {
  loaded: LoadedSettings;
  settings: Settings;
  log: Logger;
  /** This server's persisted epoch now. Stamp every outgoing frame with it; refuse incoming frames
   * whose epoch is lower (answer with an error naming both epochs). */
  epoch(): number;
  /** A Link client on the verified connection to the peer, or undefined while the link is down.
   * Do not close it; it is closed and replaced when the link reconnects (streams then end with an
   * error: wait for the next direction('send') call). */
  peer(): grpc.Client | undefined;
  report(problem: PartProblem): void;
  now(): number;
}

/** A server-side handler of a Link stream RPC (already checked to come from the pinned peer). */
export type LinkHandler = (call: grpc.ServerDuplexStream<unknown, unknown>) => void;

export interface AgentPart {
  readonly name: string;
  /** Link RPCs this part serves, by proto method name in lowerCamelCase (e.g. files, rows). */
  readonly link?: Record<string, LinkHandler>;
  /** Control RPCs this part serves, by proto method name in lowerCamelCase. Callers are already
   * authenticated by the pair CA; check the operator role with ctx where the method changes anything. */
  readonly control?: grpc.UntypedServiceImplementation;
  start(ctx: PartContext): Promise<void>;
  /** Called on every change of direction (and once after start). Must return quickly. */
  direction(d: Direction): void;
  /**
   * Resolves once, with direction 'send', everything this side holds has reached the peer and
   * been acknowledged (a full comparison with nothing left to send; the change log drained).
   * Rejects with a reason naming what is still pending after `timeoutMs`. Used by the switch back
   * (reverse sync) and a planned switch. Parts without state to sync resolve at once.
   */
  synced?(timeoutMs: number): Promise<void>;
  /** Figures merged into Status (e.g. { folders: [...] } or { database: {...} }). */
  status(): Partial<Status>;
  stop(): Promise<void>;
}

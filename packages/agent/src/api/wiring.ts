// Builds the Control service with its authorisation and the operator Link RPCs from the agent's
// parts, so the composition root only hands them over.
import type * as grpc from '@grpc/grpc-js';
import {
  RESTART_EXIT_CODE,
  type LoadedSettings,
  type Logger,
  type Role,
  type Status,
} from '@sparesync/common';
import type { MachineState, Observation } from '../state';
import { SettingsStore } from '../settings-sync/settings-store';
import type { ShutdownLog } from '../shutdown-record';
import { SettingsSync } from '../settings-sync/settings-sync';
import { authorizeControl } from './authorize';
import { controlService, type ControlService } from './control-service';
import { Operator } from './operator';

export interface ControlWiring {
  loaded: LoadedSettings;
  log: Logger;
  name: string;
  machine: { feed(o: Observation): void; readonly state: MachineState; readonly decision: string };
  status(): Status;
  onChange(listener: () => void): () => void;
  peer(): grpc.Client | undefined;
  /** Fingerprints of this agent's and the peer's certificates (both may operate). */
  agentFingerprints: string[];
  /** Control methods served by other parts (database); authorised like the rest. */
  more: grpc.UntypedServiceImplementation;
  restart(): void;
  shutdowns: Pick<ShutdownLog, 'markChecked'>;
}

export interface WiredControl extends ControlService {
  /**
   * The same handlers without the certificate check, for in-process clients that authorise their
   * own users against `readOnlyMethods` (the admin page): one implementation of every operation.
   */
  inProcess: grpc.UntypedServiceImplementation;
}

export function wireControl(w: ControlWiring): WiredControl {
  const role = w.loaded.settings.role as Role;
  const log = w.log.child({ component: 'control' });
  // A live change is news to the machine, which may wait for its next due tick (state/next-due.ts).
  const store = new SettingsStore(w.loaded, () => w.machine.feed({ type: 'Tick' }));
  const operator = new Operator({
    machine: w.machine,
    role,
    name: w.name,
    peer: w.peer,
    log,
    restart: w.restart,
  });
  const settings = new SettingsSync({ store, role, name: w.name, peer: w.peer, log });
  const service = controlService({
    status: w.status,
    onChange: w.onChange,
    operator,
    settings,
    store,
    loaded: w.loaded,
    log,
    shutdowns: w.shutdowns,
  });
  const all = { ...service.handlers, ...w.more };
  return {
    ...service,
    inProcess: all,
    handlers: authorizeControl(all, { agentFingerprints: w.agentFingerprints, log }),
  };
}

/** The default after Restart: stop as on SIGTERM, then exit so the service manager restarts us. */
export function restartProcess(agent: { stop(reason: string): Promise<void> }): void {
  agent
    .stop('restart requested by an operator')
    .catch(() => undefined)
    .finally(() => process.exit(RESTART_EXIT_CODE));
}

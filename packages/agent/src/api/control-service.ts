// The Control service implementation (CLI, admin page, integrators) and the Link RPCs that carry
// operator requests to the peer. Authorisation is not here: authorize.ts wraps the whole service.
import type * as grpc from '@grpc/grpc-js';
import type { LoadedSettings, Logger, MarkShutdownCheckedReply, Status } from '@sparesync/common';
import type { ShutdownLog } from '../shutdown-record';
import type { SettingsStore } from '../settings-sync/settings-store';
import type { SetSettingsRequest, SettingsPush, SettingsSync } from '../settings-sync/settings-sync';
import { sendTestMessage, testDns } from './diagnostics';
import { identityOf } from './identity';
import { unary } from '../link/grpc-status';
import type { Operator } from './operator';
import { StatusWatchers, type WatchSource } from './watch-status';

export interface ControlBackend extends WatchSource {
  status(): Status;
  operator: Operator;
  settings: SettingsSync;
  store: SettingsStore;
  loaded: LoadedSettings;
  log: Logger;
  shutdowns: Pick<ShutdownLog, 'markChecked'>;
}

export interface ControlService {
  handlers: grpc.UntypedServiceImplementation;
  /** Link RPCs (already restricted to the pinned peer by the server). */
  link: Record<string, grpc.handleUnaryCall<never, unknown>>;
  /** Ends WatchStatus streams when the agent stops. */
  close(): void;
}

export function controlService(b: ControlBackend): ControlService {
  const watchers = new StatusWatchers(b);
  const handlers = {
    getStatus: unary(() => b.status()),
    getIdentity: unary(() => identityOf(b.loaded, b.status())),
    watchStatus: watchers.handler,
    turnOff: unary((r: { thisServerOnly?: boolean }) => b.operator.turn(false, r.thisServerOnly === true)),
    turnOn: unary((r: { thisServerOnly?: boolean }) => b.operator.turn(true, r.thisServerOnly === true)),
    requestSwitch: unary((r: { to?: string }) => b.operator.requestSwitch(r.to ?? '')),
    restart: unary(() => b.operator.restart()),
    getSettings: unary((r: { path?: string }) => b.store.get(r.path ?? '')),
    setSettings: unary((r: SetSettingsRequest) => b.settings.set(r)),
    sendTestMessage: unary((r: { text?: string }) => sendTestMessage(b.loaded, b.log, r.text ?? '')),
    testDnsRecord: unary(() => testDns(b.loaded)),
    markShutdownChecked: unary((): MarkShutdownCheckedReply => {
      const r = b.shutdowns.markChecked();
      const what = r.clean
        ? `stop of ${new Date(r.atMs).toISOString()}`
        : `unclean end after ${new Date(r.atMs).toISOString()}`;
      b.log.info(`the last shutdown (${what}) was marked checked by an operator`);
      return { message: `marked checked: the ${what} (${r.reason})`, lastShutdown: r };
    }),
  };
  const link = {
    pushSettings: unary((r: SettingsPush) => b.settings.receive(r)),
    peerTurn: unary((r: { on?: boolean; fromName?: string }) =>
      b.operator.turnHere(r.on === true, `the peer agent ${r.fromName ?? ''}`.trim()),
    ),
  };
  return {
    handlers: handlers as unknown as grpc.UntypedServiceImplementation,
    link: link as unknown as ControlService['link'],
    close: () => watchers.closeAll(),
  };
}

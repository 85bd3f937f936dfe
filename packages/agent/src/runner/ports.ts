// The managed system and the probes as the runner's effects see them (managed/, monitor/).
import type { LoadedSettings, Logger } from '@sparesync/common';
import { ManagedSystem } from '../managed';
import { checkExternalResources, checkTestPage } from '../monitor';
import type { ManagedPort, MonitorPort } from './effects';

export function managedPort(loaded: LoadedSettings, log: Logger): ManagedPort {
  const m = new ManagedSystem(loaded.settings, loaded.resolvePath, log);
  return {
    start: () => m.start(),
    stop: () => m.stop(),
    writeOfflineMarker: () => m.writeOfflineMarker(),
    removeOfflineMarker: () => m.removeOfflineMarker(),
    isRunning: () => m.isRunning(),
  };
}

export function monitorPort(loaded: LoadedSettings): MonitorPort {
  return {
    checkTestPage: (target) => checkTestPage(loaded.settings, target, loaded.resolvePath),
    checkExternalResources: () => checkExternalResources(loaded.settings),
  };
}

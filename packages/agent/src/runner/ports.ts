// The managed system and the probes as the runner's effects see them (managed/, monitor/).
import type { LoadedSettings, Logger } from '@sparesync/common';
import { ManagedSystem, type ManagedPort } from '../managed';
import { checkExternalResources, checkTestPage } from '../monitor';
import type { MonitorPort } from './effects';

export function managedPort(loaded: LoadedSettings, log: Logger): ManagedPort {
  return new ManagedSystem(loaded.settings, loaded.resolvePath, log);
}

export function monitorPort(loaded: LoadedSettings): MonitorPort {
  return {
    checkTestPage: (target) => checkTestPage(loaded.settings, target, loaded.resolvePath),
    checkExternalResources: () => checkExternalResources(loaded.settings),
  };
}

export { ManagedSystem, type ManagedPort, type ManagedSettings } from './managed-system';
export { offlineMarkerHtml } from './offline-marker';
export { runCommand, requireSuccess, type CommandExit, type CommandRun } from './run-command';

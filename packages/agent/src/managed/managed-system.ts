// Control of the managed system on this server: the start, stop and status commands from
// settings, and the offline marker. The state-machine runner calls these for StartManagedSystem,
// StopManagedSystem, WriteOfflineMarker and RemoveOfflineMarker; failures throw SpareSyncError.
import { join } from 'node:path';
import type { Logger, Settings } from '@sparesync/common';
import { removeMarker, writeMarker } from './offline-marker';
import { requireSuccess, runCommand, type CommandExit } from './run-command';

export type ManagedSettings = Pick<Settings, 'managedSystem'>;

type CommandKey = 'startCommand' | 'stopCommand' | 'statusCommand';

/** What the runner and a planned switch use of the managed system (a test passes a fake). */
export type ManagedPort = Pick<
  ManagedSystem,
  'start' | 'stop' | 'writeOfflineMarker' | 'removeOfflineMarker' | 'isRunning'
>;

export class ManagedSystem {
  private readonly log: Logger;

  constructor(
    private readonly settings: ManagedSettings,
    private readonly resolvePath: (p: string) => string,
    log: Logger,
  ) {
    this.log = log.child({ component: 'managed' });
  }

  /** Runs managedSystem.startCommand; without one there is nothing to do. */
  async start(): Promise<void> {
    await this.runChecked('startCommand');
  }

  /** Runs managedSystem.stopCommand; without one there is nothing to do. */
  async stop(): Promise<void> {
    await this.runChecked('stopCommand');
  }

  /** Exit 0 of managedSystem.statusCommand: running; any other exit: not; undefined without a
   * command. Throws when the command cannot be run or times out. */
  async isRunning(): Promise<boolean | undefined> {
    const exit = await this.run('statusCommand');
    if (!exit) return undefined;
    if (exit.code === null) requireSuccess('managedSystem.statusCommand', exit);
    return exit.code === 0;
  }

  /** The marker's full path, or undefined when managedSystem.offlineMarker.folder is empty. */
  get offlineMarkerPath(): string | undefined {
    const { folder, name } = this.settings.managedSystem.offlineMarker;
    return folder ? join(this.resolvePath(folder), name) : undefined;
  }

  async writeOfflineMarker(): Promise<void> {
    const { folder, name } = this.settings.managedSystem.offlineMarker;
    if (!folder) return;
    await writeMarker(this.resolvePath(folder), name);
    this.log.info('offline marker written', { file: this.offlineMarkerPath });
  }

  async removeOfflineMarker(): Promise<void> {
    const { folder, name } = this.settings.managedSystem.offlineMarker;
    if (!folder) return;
    await removeMarker(this.resolvePath(folder), name);
    this.log.info('offline marker removed', { file: this.offlineMarkerPath });
  }

  private async runChecked(key: CommandKey): Promise<void> {
    const exit = await this.run(key);
    if (exit) requireSuccess(`managedSystem.${key}`, exit);
  }

  private async run(key: CommandKey): Promise<CommandExit | undefined> {
    const ms = this.settings.managedSystem;
    const command = ms[key].trim();
    if (!command) return undefined;
    const setting = `managedSystem.${key}`;
    this.log.info(`running ${setting}`, { setting });
    return runCommand({
      setting,
      command,
      timeoutMs: ms.commandTimeoutSeconds * 1000,
      timeoutSetting: 'managedSystem.commandTimeoutSeconds',
      log: this.log,
    });
  }
}

// `sparesync install-service`: writes the systemd unit of the agent for the settings file given
// (service/unit.ts says what it holds and why), prints it and the commands to enable it.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { errorMessage, loadSettings, SpareSyncError, writeFileDurablySync } from '@sparesync/common';
import { configOption } from '../options';
import { serviceUnit } from '../service/unit';

export const DEFAULT_UNIT_DIR = '/etc/systemd/system';
export const UNIT_NAME = 'sparesync-agent.service';

/** The installed agent's main script, beside this CLI. */
function agentMain(): string {
  return join(dirname(require.resolve('@sparesync/agent/package.json')), 'dist', 'main.js');
}

export function registerInstallServiceCommand(program: Command): void {
  configOption(program.command('install-service'), 'settings file of this server')
    .description(
      `Write the systemd unit ${UNIT_NAME} that runs the agent with this settings file: restarted on failure and after \`sparesync restart\` (exit 75), stopped with SIGTERM so the peer sees it Stopped, the managed application left running when the agent stops, logs in the journal, sandboxed to the folders the settings name. Run it again after changing folders or paths.`,
    )
    .option(
      '--user <name>',
      'run the agent as this user (default: root); it must own the data folder and keys',
    )
    .option('--unit-dir <dir>', 'where to write the unit', DEFAULT_UNIT_DIR)
    .option('--dry-run', 'print the unit and write nothing')
    .option(
      '--no-sandbox',
      'leave out ProtectSystem/ProtectHome/ReadWritePaths (when the start and stop commands must write elsewhere)',
    )
    .addHelpText(
      'after',
      '\nAfter it: systemctl daemon-reload && systemctl enable --now sparesync-agent\n' +
        'Exit codes: 0 written (or printed), 2 invalid settings, 1 the unit could not be written, 64 bad usage.',
    )
    .action((o: { config: string; user?: string; unitDir: string; dryRun?: boolean; sandbox: boolean }) => {
      const configFile = resolve(o.config);
      const loaded = loadSettings(configFile);
      const unit = serviceUnit({
        node: process.execPath,
        agentMain: agentMain(),
        configFile,
        loaded,
        user: o.user,
        sandbox: o.sandbox,
      });
      if (o.dryRun) {
        process.stdout.write(unit);
        return;
      }
      // The sandbox makes the file system read-only but for ReadWritePaths: the agent's own
      // folders must exist before it starts (it creates them itself when run without systemd).
      const s = loaded.settings;
      mkdirSync(loaded.resolvePath(s.dataDir), { recursive: true, mode: 0o700 });
      if (s.log.file) mkdirSync(dirname(loaded.resolvePath(s.log.file)), { recursive: true, mode: 0o700 });
      const file = join(o.unitDir, UNIT_NAME);
      const replaced = existsSync(file);
      try {
        writeFileDurablySync(file, unit, { mode: 0o644 });
      } catch (e) {
        throw new SpareSyncError('Internal', `cannot write ${file}: ${errorMessage(e)}`, {
          hint: existsSync(o.unitDir)
            ? 'Run it as root (or with --unit-dir pointing at a folder you may write).'
            : `The folder ${o.unitDir} does not exist: is systemd installed here? (--unit-dir names another folder)`,
        });
      }
      process.stdout.write(
        `${replaced ? 'Replaced' : 'Wrote'} ${file}:\n\n${unit}\nNext:\n  systemctl daemon-reload\n  systemctl enable --now sparesync-agent\n  journalctl -u sparesync-agent -f    # its log\n`,
      );
    });
}

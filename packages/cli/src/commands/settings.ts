// `sparesync settings get|set`: read and change the settings through the agent (guide §7.1), so a
// change is validated as `sparesync config validate` does, written atomically, sent to the peer
// unless the setting is local, and applied at once where it can be.
import type { Command } from 'commander';
import {
  SpareSyncError,
  type GetSettingsReply,
  type SetSettingsReply,
  type SettingChange,
  type SettingOutcome,
} from '@sparesync/common';
import { ExitCode } from '../exit-codes';
import { controlOptions, print, withControl, type ControlOpts } from './control';

/** PATH=VALUE; VALUE is JSON when it parses as JSON, otherwise text. */
export function parseAssignment(arg: string): SettingChange {
  const eq = arg.indexOf('=');
  if (eq <= 0) {
    throw new SpareSyncError(
      'InvalidArgument',
      `"${arg}": expected PATH=VALUE, e.g. system.switchAutomatically=false`,
    );
  }
  const path = arg.slice(0, eq);
  const raw = arg.slice(eq + 1);
  let valueJson: string;
  try {
    JSON.parse(raw);
    valueJson = raw;
  } catch {
    valueJson = JSON.stringify(raw);
  }
  return { path, valueJson, remove: false };
}

const flags = (s: SettingOutcome) =>
  [s.local && 'local', s.critical && 'critical', s.restartRequired && 'restart required']
    .filter(Boolean)
    .join(', ');

function setText(r: SetSettingsReply): string {
  const lines = r.settings.map(
    (s) => `  ${s.path}: ${s.oldJson} -> ${s.newJson}${flags(s) ? ` (${flags(s)})` : ''}`,
  );
  return [r.message, ...lines].join('\n');
}

export function registerSettingsCommands(program: Command): void {
  const settings = program
    .command('settings')
    .description(
      "Read or change the agent's settings; changes reach both servers unless a setting is local (guide §7.1).",
    );

  controlOptions(
    settings
      .command('get')
      .description('Print the settings the agent runs with (defaults filled in), or one setting or group.')
      .argument(
        '[path]',
        'a setting as system.allowableResponseTimeSeconds or /system/allowableResponseTimeSeconds',
      ),
    [
      'sparesync settings get -c /etc/sparesync/sparesync.json',
      'sparesync settings get system.switchAutomatically -c /etc/sparesync/sparesync.json',
    ],
  ).action(async (path: string | undefined, opts: ControlOpts) => {
    const r = await withControl(opts, 'settings get', (c) =>
      c.call<GetSettingsReply>('getSettings', { path: path ?? '' }, opts.timeout),
    );
    const value: unknown = JSON.parse(r.valueJson);
    print(opts, { ...r, value }, JSON.stringify(value, null, 2));
  });

  controlOptions(
    settings
      .command('set')
      .description(
        'Change settings: each PATH=VALUE sets one setting (VALUE as JSON, or as text when it is not JSON). The result is validated ' +
          'as `sparesync config validate` does; nothing is written on either server when it is not valid. Changes of settings not ' +
          'marked local are sent to the peer and written there first; the reply says which changes need `sparesync restart`. ' +
          'With the link down only this server changes (exit 5).',
      )
      .argument('[assignments...]', 'PATH=VALUE, e.g. system.allowableResponseTimeSeconds=300'),
    [
      'sparesync settings set system.allowableResponseTimeSeconds=300 -c /etc/sparesync/sparesync.json',
      'sparesync settings set \'maintenanceWindows=[{"days":["sun"],"start":"02:00","end":"04:00"}]\' -c sparesync.json',
      'sparesync settings set name=web1 --this-server-only -c sparesync.json',
    ],
  )
    .option(
      '--this-server-only',
      'change this server only (the guide\'s "Save only in the primary/secondary")',
    )
    .option('--dry-run', 'validate on both servers and print what would change; write nothing')
    .option('--remove <path...>', 'remove settings from the file (they fall back to their defaults)')
    .action(
      async (
        assignments: string[],
        opts: ControlOpts & { thisServerOnly?: boolean; dryRun?: boolean; remove?: string[] },
      ) => {
        const changes = [
          ...assignments.map(parseAssignment),
          ...(opts.remove ?? []).map((path) => ({ path, valueJson: '', remove: true })),
        ];
        const r = await withControl(opts, 'settings set', (c) =>
          c.call<SetSettingsReply>(
            'setSettings',
            { changes, thisServerOnly: opts.thisServerOnly === true, dryRun: opts.dryRun === true },
            opts.timeout,
          ),
        );
        print(opts, r, setText(r));
        if (r.peer.startsWith('not reached')) process.exitCode = ExitCode.PeerNotReached;
      },
    );
}

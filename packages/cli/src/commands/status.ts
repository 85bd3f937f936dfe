import type { Command } from 'commander';
import { ControlClient, controlTargetFromSettings, loadSettings } from '@sparesync/common';
import { formatStatus } from '../format-status';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      "Show this agent's state, its peer's state as this agent sees it, and the link between them.",
    )
    .requiredOption('-c, --config <file>', 'settings file of the local agent (sparesync.json)')
    .option('--json', 'print the full status as JSON (for scripts)')
    .option('--timeout <ms>', 'how long to wait for the agent', '5000')
    .addHelpText(
      'after',
      '\nThe CLI reaches the local agent through its Control service (mutual TLS), using control.cert/control.key\n' +
        'from the settings, or the agent certificate when those are not set.\n' +
        'Exit codes: 0 the agent answered, 1 it could not be reached, 2 the settings or certificates are invalid.',
    )
    .action(async (opts: { config: string; json?: boolean; timeout: string }) => {
      const client = new ControlClient(controlTargetFromSettings(loadSettings(opts.config)));
      try {
        const status = await client.getStatus(Number(opts.timeout));
        process.stdout.write((opts.json ? JSON.stringify(status, null, 2) : formatStatus(status)) + '\n');
      } finally {
        client.close();
      }
    });
}

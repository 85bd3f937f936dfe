// `sparesync status`: this agent, its peer as this agent sees it, the link, folders and database.
import type { Command } from 'commander';
import { formatStatus } from '../format-status';
import { controlOptions, print, withControl, type ControlOpts } from './control';

export function registerStatusCommand(program: Command): void {
  controlOptions(
    program
      .command('status')
      .description(
        "Show this agent's state, its peer's state as this agent sees it, and the link between them.",
      ),
    ['sparesync status', 'sparesync status -c /etc/sparesync/sparesync.json --json --timeout 2'],
    5,
  ).action(async (opts: ControlOpts) => {
    const status = await withControl(opts, 'status', (c) => c.getStatus(opts.timeout));
    print(opts, status, formatStatus(status));
  });
}

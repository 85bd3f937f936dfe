// `sparesync watch`: prints the agent's state changes as they come (Control WatchStatus).
import type { Command } from 'commander';
import { SpareSyncError, type StatusEvent } from '@sparesync/common';
import { switchProgressLine } from '../switch-progress';
import { controlOptions, withControl, type ControlOpts } from './control';

interface WatchOpts extends ControlOpts {
  keepalive: string;
  until?: string;
  for?: string;
}

/** One line per event: time, this server's state and reason, the peer, the link; the switch line. */
export function eventLine(e: StatusEvent): string {
  const { local, remote, link } = e.status;
  const time = new Date(e.atMs).toISOString().slice(11, 19);
  const line = `${time} ${local.role} ${local.state}: ${local.reason} | peer ${remote.state}${remote.reachable ? '' : ' (unreachable)'} | link ${link.connected ? 'up' : 'down'}`;
  return local.lastSwitch && e.cause !== 'keepalive'
    ? `${line}\n         ${switchProgressLine(local.lastSwitch)}`
    : line;
}

export function registerWatchCommand(program: Command): void {
  controlOptions(
    program
      .command('watch')
      .description(
        "Print this agent's state, its peer's and the link's as they change (and the steps of a switch), until interrupted. --json prints one JSON StatusEvent per line.",
      ),
    [
      'sparesync watch -c /etc/sparesync/sparesync.json',
      'sparesync watch -c /etc/sparesync/sparesync.json --until Switched --for 600   # wait for a state in a script',
    ],
  )
    .option('--keepalive <s>', 'seconds between keepalive events while nothing changes', '10')
    .option(
      '--until <state>',
      'exit 0 as soon as this agent is in this state (e.g. Working, TurnedOff, Switched)',
    )
    .option('--for <s>', 'stop after this many seconds (with --until: exit 1 if the state was not reached)')
    .action(async (opts: WatchOpts) => {
      await withControl(opts, 'watch', (c) => {
        return new Promise<void>((resolve, reject) => {
          let timer: NodeJS.Timeout | undefined;
          const finish = (err?: Error) => {
            clearTimeout(timer);
            watch.stop();
            if (err) reject(err);
            else resolve();
          };
          const watch = c.watchStatus(
            Number(opts.keepalive),
            (e) => {
              if (e.cause === 'keepalive' && !opts.json) return;
              process.stdout.write((opts.json ? JSON.stringify(e) : eventLine(e)) + '\n');
              if (opts.until && e.status.local.state === opts.until) finish();
            },
            (err) => finish(err),
          );
          if (opts.for) {
            timer = setTimeout(
              () =>
                finish(
                  opts.until
                    ? new SpareSyncError(
                        'AgentUnreachable',
                        `the agent did not reach state ${opts.until} within ${opts.for} s`,
                        {
                          hint: 'See sparesync status for the reason it gives.',
                        },
                      )
                    : undefined,
                ),
              Number(opts.for) * 1000,
            );
          }
          process.once('SIGINT', () => finish());
        });
      });
    });
}

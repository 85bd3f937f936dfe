// `sparesync watch`: prints the agent's state changes as they come (Control WatchStatus). When the
// stream breaks (the agent restarts) it says so and reconnects until the agent answers again.
import { Option, type Command } from 'commander';
import {
  agentStates,
  ControlClient,
  controlTargetFromSettings,
  loadSettings,
  SpareSyncError,
  type StatusEvent,
} from '@sparesync/common';
import { secondsOption, secondsText } from '../options';
import { switchProgressLine } from '../switch-progress';
import { controlOptions, type ControlOpts } from './control';

interface WatchOpts extends ControlOpts {
  /** All three in milliseconds (given in seconds). */
  keepalive: number;
  until?: string;
  for?: number;
}

/** Pause before connecting again after the stream broke. */
const RECONNECT_MS = 1000;

/** One line per event: time, this server's state and reason, the peer, the link; the switch line. */
export function eventLine(e: StatusEvent): string {
  const { local, remote, link } = e.status;
  const time = new Date(e.atMs).toISOString().slice(11, 19);
  const line = `${time} ${local.role} ${local.state}: ${local.reason} | peer ${remote.state}${remote.reachable ? '' : ' (unreachable)'} | link ${link.connected ? 'up' : 'down'}`;
  return local.lastSwitch && e.cause !== 'keepalive'
    ? `${line}\n         ${switchProgressLine(local.lastSwitch)}`
    : line;
}

/** Watches until --until is reached, --for passes or SIGINT; a broken stream is opened again. */
function watchLoop(client: ControlClient, opts: WatchOpts): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let watch: { stop(): void } | undefined;
    let retry: NodeJS.Timeout | undefined;
    let broken = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(retry);
      watch?.stop();
      if (err) reject(err);
      else resolve();
    };
    const open = () => {
      watch = client.watchStatus(
        Math.max(1, Math.round(opts.keepalive / 1000)),
        (e) => {
          if (broken && !opts.json)
            process.stderr.write(`sparesync: the agent at ${client.address} answers again\n`);
          broken = false;
          if (e.cause === 'keepalive' && !opts.json) return;
          process.stdout.write((opts.json ? JSON.stringify(e) : eventLine(e)) + '\n');
          if (opts.until && e.status.local.state === opts.until) finish();
        },
        (err) => {
          if (done) return;
          // A refused client or bad settings stay so: only a lost agent is worth waiting for.
          if (err?.disposition === 'config') return finish(err);
          if (!broken)
            process.stderr.write(`sparesync: ${err?.message ?? 'the status stream ended'}; reconnecting\n`);
          broken = true;
          retry = setTimeout(open, RECONNECT_MS);
        },
      );
    };
    const timer =
      opts.for === undefined
        ? undefined
        : setTimeout(
            () =>
              finish(
                opts.until
                  ? new SpareSyncError(
                      'AgentUnreachable',
                      `the agent did not reach state ${opts.until} within ${secondsText(opts.for!)}`,
                      { hint: 'See sparesync status for the reason it gives.' },
                    )
                  : undefined,
              ),
            opts.for,
          );
    process.once('SIGINT', () => finish());
    open();
  });
}

export function registerWatchCommand(program: Command): void {
  controlOptions(
    program
      .command('watch')
      .description(
        "Print this agent's state, its peer's and the link's as they change (and the steps of a switch), until interrupted. When the agent restarts, watch says so on stderr and reconnects. --json prints one JSON StatusEvent per line.",
      ),
    [
      'sparesync watch -c /etc/sparesync/sparesync.json',
      'sparesync watch --until Switched --for 600   # wait for a state in a script: exit 1 if not reached',
    ],
  )
    .addOption(secondsOption('--keepalive <s>', 'seconds between keepalive events while nothing changes', 10))
    .addOption(
      new Option('--until <state>', 'exit 0 as soon as this agent is in this state').choices([
        ...agentStates,
      ]),
    )
    .addOption(
      secondsOption(
        '--for <s>',
        'stop after this many seconds (with --until: exit 1 if the state was not reached)',
      ),
    )
    .action(async (opts: WatchOpts) => {
      const client = new ControlClient(controlTargetFromSettings(loadSettings(opts.config)));
      try {
        await watchLoop(client, opts);
      } finally {
        client.close();
      }
    });
}

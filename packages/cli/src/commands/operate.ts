// `sparesync off|on|switch|restart`: the operator commands of guide §7.3.2. The agent's state
// machine decides; these print its decision and exit with a code scripts can rely on.
import { Option, type Command } from 'commander';
import { SpareSyncError, type ControlClient, type OperatorReply, type SwitchLog } from '@sparesync/common';
import { ExitCode } from '../exit-codes';
import { confirm, secondsOption, secondsText, yesOption } from '../options';
import { switchFinished, switchProgressLine } from '../switch-progress';
import { controlOptions, print, withControl, withSwitchRunner, type ControlOpts } from './control';

interface TurnOpts extends ControlOpts {
  thisServerOnly?: boolean;
}

function replyText(r: OperatorReply): string {
  const lines = [r.message];
  for (const s of r.servers) {
    lines.push(
      `  ${s.role.padEnd(9)} ${s.reached ? `${s.state.padEnd(18)} ${s.detail}` : `not reached: ${s.detail}`}`,
    );
  }
  return lines.join('\n');
}

function exitFor(r: OperatorReply): number {
  if (r.accepted) return ExitCode.Ok;
  const peer = r.servers[1];
  if (r.servers[0]?.done && peer && !peer.reached) return ExitCode.PeerNotReached;
  return ExitCode.Refused;
}

function turn(on: boolean) {
  return async (opts: TurnOpts) => {
    const method = on ? 'turnOn' : 'turnOff';
    const r = await withControl(opts, `turn ${on ? 'on' : 'off'}`, (c) =>
      c.call<OperatorReply>(method, { thisServerOnly: opts.thisServerOnly === true }, opts.timeout),
    );
    print(opts, r, replyText(r));
    process.exitCode = exitFor(r);
  };
}

/** The switch this command asked for: started since, or still under way. */
const relevant = (sw: SwitchLog, startedAfter: number) =>
  sw.startedAtMs >= startedAfter || !switchFinished(sw);

/** Follows the switch through WatchStatus, printing a progress line per step, until it ends. */
function follow(c: ControlClient, opts: ControlOpts & { waitSeconds: number }, startedAfter: number) {
  return new Promise<SwitchLog>((resolve, reject) => {
    let last = '';
    const timer = setTimeout(() => {
      watch.stop();
      reject(
        new Error(
          `the switch did not finish within ${secondsText(opts.waitSeconds)}; it goes on: see sparesync watch`,
        ),
      );
    }, opts.waitSeconds);
    const watch = c.watchStatus(
      5,
      (e) => {
        const sw = e.status.local.lastSwitch;
        if (!sw || !relevant(sw, startedAfter)) return;
        const line = switchProgressLine(sw);
        if (line !== last && !opts.json) process.stderr.write(line + '\n');
        last = line;
        if (switchFinished(sw)) {
          clearTimeout(timer);
          watch.stop();
          resolve(sw);
        }
      },
      (err) => {
        clearTimeout(timer);
        reject(err ?? new Error('the status stream ended'));
      },
    );
  });
}

/** Undo (guide §10.1.4) is the switch in the other direction: back to where the last one started. */
async function undoTarget(c: ControlClient, timeoutMs: number): Promise<'primary' | 'secondary'> {
  const sw = (await c.getStatus(timeoutMs)).local.lastSwitch;
  if (!sw || sw.phase === 'completed' || sw.phase === 'abandoned') {
    throw new SpareSyncError(
      'InvalidArgument',
      'there is no switch under way or stopped to undo; use --to primary or --to secondary',
    );
  }
  return sw.kind === 'SwitchingToPrimary' ? 'secondary' : 'primary';
}

export function registerOperatorCommands(program: Command): void {
  const turnHelp = (on: boolean) =>
    on
      ? 'Turn SpareSync on again (guide §7.3.2): replication and switching resume. Acts on both servers unless --this-server-only.'
      : 'Turn SpareSync off (guide §8 TurnedOff): no replication and no switching until turned on; survives restarts. Acts on both servers unless --this-server-only.';
  for (const on of [false, true]) {
    const name = on ? 'on' : 'off';
    controlOptions(program.command(name).description(turnHelp(on)), [
      `sparesync ${name} -c /etc/sparesync/sparesync.json`,
      `sparesync ${name} -c /etc/sparesync/sparesync.json --this-server-only --json`,
    ])
      .option('--this-server-only', 'act on this server only, not on its peer')
      .action(turn(on));
  }

  yesOption(
    controlOptions(
      program
        .command('switch')
        .description(
          "Ask the secondary's agent to switch the managed system to the primary or the secondary (guide §10), then follow the switch step by step until it completes, halts or is abandoned. The secondary runs switches: run on the primary, the command asks the secondary's agent at peer.host:peer.port. A planned switch to the secondary first has the primary stop its managed system and drain replication (step hand-over), so no write is lost.",
        ),
      [
        'sparesync switch --to secondary -c /etc/sparesync/sparesync.json',
        'sparesync switch --to primary --yes --no-wait --json   # in a script: --yes, no question',
      ],
    ),
  )
    .addOption(
      new Option(
        '--to <role>',
        'the server that is to run the managed system; undo: reverse the switch under way or stopped (guide §10.1.4), i.e. switch back to where it started',
      )
        .choices(['primary', 'secondary', 'undo'])
        .makeOptionMandatory(),
    )
    .option('--no-wait', 'only ask; do not follow the switch')
    .addOption(secondsOption('--wait-seconds <s>', 'how long to follow the switch (seconds)', 600))
    .action(async (opts: ControlOpts & { to: string; wait: boolean; waitSeconds: number; yes?: boolean }) => {
      await withSwitchRunner(opts, `switch to the ${opts.to}`, async (c) => {
        const startedAfter = Date.now() - 1000;
        const to = opts.to === 'undo' ? await undoTarget(c, opts.timeout) : opts.to;
        await confirm(
          opts,
          `Switch the managed system to the ${to}${opts.to === 'undo' ? ' (undo)' : ''}? It stops where it runs now and starts there`,
        );
        if (opts.to === 'undo' && !opts.json) process.stdout.write(`undo: switching back to the ${to}\n`);
        const r = await c.call<OperatorReply>('requestSwitch', { to }, opts.timeout);
        if (!r.accepted || !opts.wait) {
          print(opts, r, r.message);
          process.exitCode = exitFor(r);
          return;
        }
        if (!opts.json) process.stdout.write(r.message + '\n');
        const st = await c.getStatus(opts.timeout);
        const now = st.local.lastSwitch;
        const sw =
          !now || !relevant(now, startedAfter)
            ? undefined
            : switchFinished(now)
              ? now
              : await follow(c, opts, startedAfter);
        if (opts.json) print(opts, { ...r, lastSwitch: sw ?? null }, '');
        else if (sw) process.stdout.write(`${switchProgressLine(sw)}\n`);
        process.exitCode = !sw || sw.phase === 'completed' ? ExitCode.Ok : ExitCode.Failure;
      });
    });

  controlOptions(
    program
      .command('restart')
      .description(
        'Restart the local agent (needed after restart-required settings change): it stops as on SIGTERM and exits with code 75, which its service manager takes as "start me again" (systemd: Restart=on-failure or RestartForceExitStatus=75).',
      ),
    ['sparesync restart -c /etc/sparesync/sparesync.json'],
  ).action(async (opts: ControlOpts) => {
    const r = await withControl(opts, 'restart', (c) => c.call<OperatorReply>('restart', {}, opts.timeout));
    print(opts, r, r.message);
  });
}

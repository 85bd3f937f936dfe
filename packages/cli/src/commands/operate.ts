// `sparesync off|on|switch|restart`: the operator commands of guide §7.3.2. The agent's state
// machine decides; these print its decision and exit with a code scripts can rely on.
import { Option, type Command } from 'commander';
import type { ControlClient, OperatorReply, SwitchLog } from '@sparesync/common';
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

/** Follows switch attempt `id` through WatchStatus, printing a line per step, until it ends. */
function follow(c: ControlClient, opts: ControlOpts & { waitSeconds: number }, id: string) {
  return new Promise<SwitchLog>((resolve, reject) => {
    let last = '';
    const timer = setTimeout(() => {
      watch.stop();
      reject(
        new Error(
          `switch ${id} did not finish within ${secondsText(opts.waitSeconds)}; it goes on: see sparesync watch`,
        ),
      );
    }, opts.waitSeconds);
    const watch = c.watchStatus(
      5,
      (e) => {
        const sw = e.status.local.lastSwitch;
        if (!sw) return;
        // Another attempt replaced ours (an undo, a retry, the machine's own switch): ours ended.
        if (sw.id !== id) {
          clearTimeout(timer);
          watch.stop();
          reject(new Error(`switch ${id} was replaced by switch ${sw.id}: ${switchProgressLine(sw)}`));
          return;
        }
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
      const what = opts.to === 'undo' ? 'undo of the switch' : `switch to the ${opts.to}`;
      await withSwitchRunner(opts, what, async (c) => {
        await confirm(
          opts,
          opts.to === 'undo'
            ? 'Undo the switch under way or halted? The managed system goes back to the side the switch started from'
            : `Switch the managed system to the ${opts.to}? It stops where it runs now and starts there`,
        );
        const r = await c.call<OperatorReply>('requestSwitch', { to: opts.to }, opts.timeout);
        if (!r.accepted || !opts.wait || !r.switchId) {
          print(opts, r, r.message);
          process.exitCode = exitFor(r);
          return;
        }
        if (!opts.json) process.stdout.write(`${r.message}\nfollowing switch ${r.switchId}\n`);
        const sw = await follow(c, opts, r.switchId);
        if (opts.json) print(opts, { ...r, lastSwitch: sw }, '');
        else process.stdout.write(`${switchProgressLine(sw)}\n`);
        process.exitCode = sw.phase === 'completed' ? ExitCode.Ok : ExitCode.Failure;
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

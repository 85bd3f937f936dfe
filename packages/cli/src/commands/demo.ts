import type { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ControlClient, controlTargetFromSettings, loadSettings, type Status } from '@sparesync/common';
import { startAgentProcess, type AgentProcess } from '../agent-process';
import { writeLocalPair } from '../local-pair';

interface DemoOptions {
  dir: string;
  setupOnly?: boolean;
  force?: boolean;
}

function line(role: string, st: Status | Error): string {
  if (st instanceof Error) return `${role}: (not answering: ${st.message})`;
  return `${role}: ${st.local.state} (${st.local.reason})`;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Set up a complete local pair (certificates, primary.json, secondary.json on loopback) and run it.',
    )
    .option('--dir <dir>', 'folder for the demo pair', 'sparesync-demo')
    .option(
      '--setup-only',
      'write the files and stop; start the agents yourself with sparesync-agent --config',
    )
    .option('--force', 'replace an existing demo pair in the folder')
    .addHelpText(
      'after',
      '\nAn existing pair in the folder is reused unless --force is given.\n' +
        'While it runs, the states of both agents are printed every second; Ctrl-C stops both agents.\n' +
        'Try, in another terminal: `kill -9 <primary pid>` and watch the secondary see it; or\n' +
        '`sparesync status --config <dir>/secondary.json --json`.',
    )
    .action(async (opts: DemoOptions) => {
      const dir = resolve(opts.dir);
      const primaryConfig = join(dir, 'primary.json');
      const secondaryConfig = join(dir, 'secondary.json');
      if (opts.force || !existsSync(primaryConfig) || !existsSync(secondaryConfig)) {
        await writeLocalPair({ dir, force: opts.force });
        process.stdout.write(`wrote a local pair to ${dir}: primary.json, secondary.json, certs/\n`);
      } else {
        process.stdout.write(`using the pair already in ${dir} (--force makes a new one)\n`);
      }
      if (opts.setupOnly) {
        process.stdout.write(
          `start the agents with:\n  sparesync-agent --config ${primaryConfig}\n  sparesync-agent --config ${secondaryConfig}\n`,
        );
        return;
      }
      await runPair(dir, primaryConfig, secondaryConfig);
    });
}

async function runPair(dir: string, primaryConfig: string, secondaryConfig: string): Promise<void> {
  mkdirSync(join(dir, 'primary'), { recursive: true });
  mkdirSync(join(dir, 'secondary'), { recursive: true });
  const sides: [string, string, AgentProcess][] = [
    ['primary', primaryConfig, startAgentProcess(primaryConfig, join(dir, 'primary', 'console.log'))],
    ['secondary', secondaryConfig, startAgentProcess(secondaryConfig, join(dir, 'secondary', 'console.log'))],
  ];
  const clients = sides.map(
    ([, config]) => new ControlClient(controlTargetFromSettings(loadSettings(config))),
  );
  process.stdout.write(
    sides
      .map(([role, , p]) => `${role} agent pid ${p.child.pid}, log ${join(dir, role, 'logs', 'agent.log')}`)
      .join('\n') + '\nCtrl-C stops both agents.\n',
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    for (const [, , p] of sides) p.child.kill('SIGTERM');
    await Promise.all(sides.map(([, , p]) => p.exited));
    clients.forEach((c) => c.close());
    process.stdout.write('both agents stopped\n');
  };
  const tick = async () => {
    const states = await Promise.all(clients.map((c) => c.getStatus(900).catch((e: Error) => e)));
    const link = states[0] instanceof Error ? '' : states[0]?.link;
    const linkText = link ? (link.connected ? `link up, rtt ${link.rttMs.toFixed(1)} ms` : 'link down') : '';
    const parts = states.map((st, i) => line(sides[i]?.[0] ?? '', st as Status | Error));
    process.stdout.write(`${new Date().toLocaleTimeString()}  ${parts.join('  |  ')}  |  ${linkText}\n`);
  };
  const timer = setInterval(() => void tick(), 1000);
  await new Promise<void>((resolveRun) => {
    process.once('SIGINT', () => void stop().then(resolveRun));
    process.once('SIGTERM', () => void stop().then(resolveRun));
  });
}

// Runs the demo pair: starts the primary's app (in real life a service of its own), both agents,
// prints a status line every second, and stops everything on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { queryAddress } from '@sparesync/agent';
import {
  adminUrl,
  adminUsersPath,
  ControlClient,
  controlTargetFromSettings,
  readAdminUsers,
  loadSettings,
  type LoadedSettings,
  type Status,
} from '@sparesync/common';
import { cliMainPath, startAgentProcess, type AgentProcess } from './agent-process';

type Side = 'primary' | 'secondary';

interface Running {
  side: Side;
  loaded: LoadedSettings;
  proc: AgentProcess;
  client: ControlClient;
}

/** Runs a managed-system command from the settings (the demo's app) and says what happened. */
function runCommand(loaded: LoadedSettings, which: 'startCommand' | 'stopCommand'): void {
  const cmd = loaded.settings.managedSystem[which];
  if (!cmd) return;
  const r = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', timeout: 20_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  process.stdout.write(
    `${loaded.settings.role} app ${which === 'startCommand' ? 'start' : 'stop'}: ${out || `exit ${r.status}`}\n`,
  );
}

function describe(side: Side, st: Status | Error): string {
  if (st instanceof Error) return `${side}: not answering`;
  const sw = st.local.lastSwitch;
  const step =
    sw && sw.phase !== 'completed' && sw.phase !== 'abandoned' ? ` [${sw.currentStep} ${sw.phase}]` : '';
  return `${side}: ${st.local.state}${step} (epoch ${st.local.epoch})`;
}

async function dnsAnswer(loaded: LoadedSettings): Promise<string> {
  const { dns } = loaded.settings;
  if (!dns.enabled) return '';
  try {
    const { addresses } = await queryAddress(dns.server, dns.recordName, 'A', { timeoutMs: 800 });
    const who = (a: string) =>
      a === dns.primaryAddress ? `${a} (primary)` : a === dns.secondaryAddress ? `${a} (secondary)` : a;
    return `${dns.recordName} → ${addresses.map(who).join(', ') || 'no address'}`;
  } catch (e) {
    return `${dns.recordName} → (DNS not answering: ${(e as Error).message})`;
  }
}

export async function runDemo(dir: string, primaryConfig: string, secondaryConfig: string): Promise<void> {
  const start = (side: Side, config: string): Running => {
    const loaded = loadSettings(config);
    return {
      side,
      loaded,
      proc: startAgentProcess(config, join(dir, side, 'console.log')),
      client: new ControlClient(controlTargetFromSettings(loaded)),
    };
  };
  runCommand(loadSettings(primaryConfig), 'startCommand');
  const sides = [start('primary', primaryConfig), start('secondary', secondaryConfig)];
  const [primary, secondary] = sides as [Running, Running];
  for (const r of sides) {
    process.stdout.write(
      `${r.side} agent pid ${r.proc.child.pid}, log ${join(dir, r.side, 'logs', 'agent.log')}\n`,
    );
  }
  for (const r of sides) {
    const s = r.loaded.settings;
    if (!s.admin.enabled) continue;
    const noUsers = readAdminUsers(adminUsersPath(r.loaded)).length === 0;
    process.stdout.write(
      `${r.side} admin page: ${adminUrl(s)}` +
        (noUsers
          ? ` (no password yet: run \`node ${cliMainPath()} admin set-password -c ${r.side === 'primary' ? primaryConfig : secondaryConfig}\`; the browser will warn about the pair's own certificate)\n`
          : '\n'),
    );
  }
  const interactive = process.stdin.isTTY === true;
  process.stdout.write(
    interactive
      ? 'Press k to kill the primary server (agent and app), q or Ctrl-C to stop everything.\n'
      : `To fail the primary: kill -9 ${primary.proc.child.pid} and run its managedSystem.stopCommand from ${primaryConfig}. Ctrl-C stops everything.\n`,
  );

  let stopping = false;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    if (interactive) process.stdin.setRawMode(false);
    process.stdin.pause();
    for (const r of sides) r.proc.child.kill('SIGTERM');
    await Promise.all(sides.map((r) => r.proc.exited));
    sides.forEach((r) => r.client.close());
    for (const r of sides) runCommand(r.loaded, 'stopCommand');
    process.stdout.write('both agents and apps stopped\n');
    done();
  };
  const killPrimary = () => {
    process.stdout.write('killing the primary server: kill -9 of its agent, and its app stopped\n');
    primary.proc.child.kill('SIGKILL');
    runCommand(primary.loaded, 'stopCommand');
  };
  const tick = async () => {
    const states = await Promise.all(sides.map((r) => r.client.getStatus(900).catch((e: Error) => e)));
    const view = states[1] instanceof Error ? states[0] : states[1];
    const link =
      view instanceof Error || !view
        ? 'link ?'
        : view.link.connected
          ? `link up ${view.link.rttMs.toFixed(1)} ms`
          : 'link down';
    const text = sides.map((r, i) => describe(r.side, states[i] as Status | Error)).join(' | ');
    const dns = await dnsAnswer(secondary.loaded);
    process.stdout.write(`${new Date().toLocaleTimeString()}  ${text} | ${link} | ${dns}\n`);
  };
  const timer = setInterval(() => void tick(), 1000);
  if (interactive) {
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', (b: Buffer) => {
      const key = b.toString();
      if (key === 'k') killPrimary();
      if (key === 'q' || key === '\u0003') void stop();
    });
  }
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await finished;
}

// The CLI never hangs: against a frozen agent (SIGSTOP) it prints the deadline error and exits,
// and `off` with the peer frozen finishes on this server alone.
import { spawnSync } from 'node:child_process';
import { cliMain, Pair } from './harness/pair';

/** The CLI as a process, killed by the harness if it outlives `limitMs` (then signal is set). */
function cli(args: string[], limitMs = 60_000) {
  const r = spawnSync(process.execPath, [cliMain, ...args], { encoding: 'utf8', timeout: limitMs });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI against frozen agents', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await Pair.create();
    await pair.startBoth();
  });
  afterAll(() => pair.stop());

  it('exits with the deadline error when the local agent is frozen', async () => {
    await pair.signal('primary', 'SIGSTOP');
    try {
      const r = cli(['status', '--config', pair.config('primary'), '--timeout', '2']);
      expect(r.signal).toBeNull(); // it ended by itself, not by the harness's kill
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/deadline|timed out|did not answer/i);
    } finally {
      await pair.signal('primary', 'SIGCONT');
    }
    await pair.waitForState('primary', 'Working', 60_000);
  });

  it('`off` with the peer frozen turns this server off and exits', async () => {
    await pair.waitForState('secondary', 'Working', 60_000);
    await pair.signal('secondary', 'SIGSTOP');
    try {
      const r = cli(['off', '--config', pair.config('primary')]);
      expect(r.signal).toBeNull();
      expect(r.code).not.toBe(0);
      expect((await pair.status('primary')).local.state).toBe('TurnedOff');
    } finally {
      await pair.signal('secondary', 'SIGCONT');
    }
  });
});

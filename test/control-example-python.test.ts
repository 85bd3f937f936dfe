// The Python integrator example in examples/python, run as a process against two real agents with
// Debian's python3-grpcio and python3-grpc-tools: its code is generated from proto/sparesync.proto
// here, as an integrator would, and it dials the agent by a name its certificate carries.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { exampleClientArgs, Pair, repoRoot, tempDir } from './harness/pair';

jest.setTimeout(60_000);

/** Debian's interpreter: a pyenv one earlier on PATH lacks the Debian packages. */
const python = '/usr/bin/python3';

let pair: Pair | undefined;
afterEach(async () => pair?.stop());

it('the Python example reads identity, status and a change-only watch with a read-only certificate, and is refused a turn-off', async () => {
  const gen = tempDir('python-example');
  const protoc = spawnSync(
    python,
    [
      '-m',
      'grpc_tools.protoc',
      '-I',
      join(repoRoot, 'proto'),
      `--python_out=${gen}`,
      `--grpc_python_out=${gen}`,
      'sparesync.proto',
    ],
    { encoding: 'utf8' },
  );
  expect(protoc.stderr).toBe('');
  expect(protoc.status).toBe(0);

  pair = await Pair.create();
  await pair.startBoth();
  const clientArgs = await exampleClientArgs(pair);
  const run = (...extra: string[]) =>
    spawnSync(python, [join(repoRoot, 'examples', 'python', 'control_client.py'), ...clientArgs, ...extra], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, PYTHONPATH: gen },
    });
  const ok = run();
  expect(ok.stderr).toBe('');
  expect(ok.stdout).toMatch(
    /^identity: primary demo-primary version \S+\nstatus: primary Working \(connected to the peer, no problems\); peer Working; link up\nevent: initial Working AGENT_STATE_WORKING\n$/,
  );
  expect(ok.status).toBe(0);

  const refused = run('--turn-off');
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/PERMISSION_DENIED: TurnOff needs an operator certificate/);
  expect((await pair.status('primary')).local.state).toBe('Working');
});

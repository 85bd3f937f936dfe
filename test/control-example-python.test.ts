// The Python integrator example in examples/python, run as a process against two real agents with
// Debian's python3-grpcio and python3-grpc-tools: its code is generated from proto/sparesync.proto
// here, as an integrator would, and it dials the agent by a name its certificate carries.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueClientCertificate } from '@sparesync/common';
import { Pair, repoRoot, tempDir } from './harness/pair';

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
  const certs = join(pair.files.dir, 'certs');
  const c = await issueClientCertificate({ dir: certs, name: 'integrator', role: 'readonly', keyBits: 2048 });
  const settings = JSON.parse(readFileSync(pair.config('primary'), 'utf8')) as { listen: { port: number } };
  const run = (...extra: string[]) =>
    spawnSync(
      python,
      [
        join(repoRoot, 'examples', 'python', 'control_client.py'),
        ...['--address', `127.0.0.1:${settings.listen.port}`, '--ca', join(certs, 'ca.crt')],
        ...['--cert', c.cert, '--key', c.key],
        ...['--fingerprint', new X509Certificate(readFileSync(join(certs, 'primary.crt'))).fingerprint256],
        ...extra,
      ],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PYTHONPATH: gen } },
    );
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

// The integrator example in examples/node, run as a process against two real agents: it is
// written from proto/sparesync.proto alone with @grpc/grpc-js and @grpc/proto-loader (resolved
// from the common package's dependencies, as an integrator's `npm install` would provide them).
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueClientCertificate } from '@sparesync/common';
import { Pair, repoRoot } from './harness/pair';

jest.setTimeout(30_000);

let pair: Pair | undefined;
afterEach(async () => pair?.stop());

it('the Node example reads status and watches with a read-only certificate, and is refused a turn-off', async () => {
  pair = await Pair.create();
  await pair.startBoth();
  const certs = join(pair.files.dir, 'certs');
  const c = await issueClientCertificate({ dir: certs, name: 'integrator', role: 'readonly', keyBits: 2048 });
  const settings = JSON.parse(readFileSync(pair.config('primary'), 'utf8')) as { listen: { port: number } };
  const run = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        join(repoRoot, 'examples', 'node', 'control-client.js'),
        ...['--address', `127.0.0.1:${settings.listen.port}`, '--ca', join(certs, 'ca.crt')],
        ...['--cert', c.cert, '--key', c.key],
        ...['--fingerprint', new X509Certificate(readFileSync(join(certs, 'primary.crt'))).fingerprint256],
        ...extra,
      ],
      {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, NODE_PATH: join(repoRoot, 'packages', 'common', 'node_modules') },
      },
    );
  const ok = run();
  expect(ok.stderr).toBe('');
  expect(ok.stdout).toMatch(
    /^status: primary Working \(connected to the peer, no problems\); peer Working; link up\nevent: initial Working\n$/,
  );
  expect(ok.status).toBe(0);

  const refused = run('--turn-off');
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/PERMISSION_DENIED: TurnOff needs an operator certificate/);
  expect((await pair.status('primary')).local.state).toBe('Working');
});

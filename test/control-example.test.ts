// The integrator example in examples/node, run as a process against two real agents: it is
// written from proto/sparesync.proto alone with @grpc/grpc-js and @grpc/proto-loader (resolved
// from the common package's dependencies, as an integrator's `npm install` would provide them).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { exampleClientArgs, Pair, repoRoot } from './harness/pair';

jest.setTimeout(30_000);

let pair: Pair | undefined;
afterEach(async () => pair?.stop());

it('the Node example reads status and watches with a read-only certificate, and is refused a turn-off', async () => {
  pair = await Pair.create();
  await pair.startBoth();
  const clientArgs = await exampleClientArgs(pair);
  const run = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [join(repoRoot, 'examples', 'node', 'control-client.js'), ...clientArgs, ...extra],
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

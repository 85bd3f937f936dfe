// /metrics and /health/* as Prometheus and a load balancer see them, from two real agents through
// a failover and a switch back (BIND9, the sample app on each side): `serving` answers 200 on
// exactly one side before and after each, and the metrics follow (serving, epoch, switches).
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { loadSettings } from '@sparesync/common';
import { failoverSuite, type Setup } from './harness/failover';
import { waitFor, type Side } from './harness/pair';

jest.setTimeout(180_000);
const suite = failoverSuite('observe.test');

/** GET over HTTPS with the pair's CA (the admin server uses the agent's own certificate). */
function get(s: Setup, side: Side, path: string): Promise<{ status: number; body: string }> {
  const loaded = loadSettings(s.pair.config(side));
  const ca = readFileSync(loaded.resolvePath(loaded.settings.tls.ca));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.pair.files.adminPorts[side],
        path,
        ca,
        servername: 'localhost',
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const metric = (text: string, line: string) => {
  const m = new RegExp(`^${line.replace(/[{}"=.]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};

/** Waits until /health/serving answers 200 on `side` and 503 on the other. */
async function servingOn(s: Setup, side: Side): Promise<void> {
  const other: Side = side === 'primary' ? 'secondary' : 'primary';
  await waitFor(
    `/health/serving 200 on the ${side} only`,
    async () => {
      const [a, b] = await Promise.all([get(s, side, '/health/serving'), get(s, other, '/health/serving')]);
      return a.status === 200 && b.status === 503 ? true : undefined;
    },
    60_000,
  );
}

test('serving, ready and the metrics follow a failover and a switch back', async () => {
  const s = await suite.system();
  await s.pair.startBoth();
  expect((await get(s, 'primary', '/health/live')).status).toBe(200);
  await servingOn(s, 'primary');
  const standby = await get(s, 'secondary', '/health/serving');
  expect(JSON.parse(standby.body)).toMatchObject({ ok: false, why: expect.stringMatching(/standby/) });
  await waitFor(
    'the secondary ready',
    async () => ((await get(s, 'secondary', '/health/ready')).status === 200 ? true : undefined),
    30_000,
  );
  let text = (await get(s, 'secondary', '/metrics')).body;
  expect(metric(text, 'sparesync_serving')).toBe(0);
  expect(metric(text, 'sparesync_epoch')).toBe(0);
  expect(metric(text, 'sparesync_state{state="Working"}')).toBe(1);
  expect(metric(text, 'sparesync_peer_connected')).toBe(1);

  // The primary server dies: the secondary takes over.
  await s.pair.signal('primary', 'SIGKILL');
  s.app('primary', 'stop');
  await s.pair.waitForState('secondary', 'Switched', 60_000);
  await waitFor(
    'the secondary serving',
    async () => ((await get(s, 'secondary', '/health/serving')).status === 200 ? true : undefined),
    30_000,
  );
  expect((await get(s, 'secondary', '/health/ready')).status).toBe(503); // the peer is gone
  text = (await get(s, 'secondary', '/metrics')).body;
  expect(metric(text, 'sparesync_serving')).toBe(1);
  expect(metric(text, 'sparesync_epoch')).toBe(1);
  expect(metric(text, 'sparesync_peer_connected')).toBe(0);
  expect(metric(text, 'sparesync_switches_total{kind="SwitchingToSecondary",result="completed"}')).toBe(1);
  expect(metric(text, 'sparesync_dns_updates_total{result="changed"}')).toBe(1); // BIND9's record moved

  // The primary comes back fenced; the operator switches back.
  s.pair.start('primary');
  await s.pair.waitForStatus('primary', 'fenced', (x) => x.local.state === 'Switched', 60_000);
  await servingOn(s, 'secondary');
  const back = s.switchTo('primary');
  expect(back.code).toBe(0);
  await servingOn(s, 'primary');
  text = (await get(s, 'secondary', '/metrics')).body;
  expect(metric(text, 'sparesync_epoch')).toBe(2);
  expect(metric(text, 'sparesync_switches_total{kind="SwitchingToPrimary",result="completed"}')).toBe(1);
});

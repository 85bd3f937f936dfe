// The witness's credentials end to end (issue 15) against a private etcd: a user with a password
// file, a wrong password (named in status, no switch, the password in no log), a user whose role
// does not cover the pair's keys, and TLS with client certificates (etcd serves https only and
// refuses a client without its certificate).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EtcdWitness, type WitnessReport } from '../packages/agent/src/witness';
import type { Side } from './harness/pair';
import {
  holdsWithoutSwitch,
  LEASE_TTL_S,
  linesLogger,
  witnessSuite,
  type WitnessSetup,
} from './harness/witness';

jest.setTimeout(120_000);

const { system } = witnessSuite('witness-auth.test');

/** Everything the agents wrote: their log files and their console output. */
function allLogs(w: WitnessSetup): string {
  const file = (side: Side) => {
    try {
      return readFileSync(join(w.pair.files.dir, side, 'logs', 'agent.log'), 'utf8');
    } catch {
      return '';
    }
  };
  return (['primary', 'secondary'] as const).map((s) => file(s) + w.pair.consoleOutput(s)).join('\n');
}

type EtcdSettings = ConstructorParameters<typeof EtcdWitness>[0]['settings']['etcd'];

/** One check by a witness client of its own (not an agent's): its last report and its log lines. */
async function checkOnce(
  etcd: Partial<EtcdSettings> & Pick<EtcdSettings, 'endpoints'>,
  keyPrefix: string,
  role: Side,
  epoch: number,
): Promise<{ report: WitnessReport | undefined; log: string }> {
  const reports: WitnessReport[] = [];
  const lines: string[] = [];
  const witness = new EtcdWitness({
    settings: {
      etcd: { ca: '', cert: '', key: '', user: '', passwordFile: '', ...etcd },
      keyPrefix,
      leaseTtlSeconds: 2,
    },
    role,
    resolvePath: (x) => x,
    epoch: () => epoch,
    report: (r) => reports.push(r),
    log: linesLogger(lines),
  });
  await witness.check();
  witness.stop();
  return { report: reports.at(-1), log: lines.join('\n') };
}

test('a user and password file: the primary takes the key; a wrong password is named, and never switches', async () => {
  const w = await system();
  const user = 'sparesync-pair';
  const password = `right-${randomBytes(9).toString('base64url')}`;
  const wrong = `wrong-${randomBytes(9).toString('base64url')}`;
  const root = w.etcd.enableAuth({ user, password, prefix: w.prefix });
  const passwordFile = (side: Side, text: string) => {
    const f = join(w.pair.files.dir, `${side}-etcd-password`);
    writeFileSync(f, `${text}\n`, { mode: 0o600 });
    w.pair.patchSettings(side, { witness: { etcd: { user, passwordFile: f } } });
    return f;
  };
  passwordFile('primary', password);
  const wrongFile = passwordFile('secondary', wrong);
  w.pair.start('primary');
  w.pair.start('secondary');

  const p = await w.pair.waitForStatus('primary', 'the key held', (s) => !!s.witness?.mine, 30_000);
  expect(p.witness).toMatchObject({ reachable: true, holderRole: 'primary', holderEpoch: 0 });
  const holder = w.etcd.etcdctl(['get', `${w.prefix}/holder`, '--print-value-only'], `root:${root}`);
  expect(JSON.parse(holder)).toMatchObject({ role: 'primary', epoch: 0 });
  // Without credentials etcd answers nobody.
  expect(() => w.etcd.etcdctl(['get', `${w.prefix}/holder`])).toThrow(/user name is empty|permission denied/);

  const refused = new RegExp(
    `etcd refused user "${user}" with the password in witness\\.etcd\\.passwordFile \\(${wrongFile}\\)`,
  );
  const s = await w.pair.waitForStatus('secondary', 'the refusal', (x) =>
    refused.test(x.witness?.detail ?? ''),
  );
  expect(s.witness?.reachable).toBe(false);

  // The primary gone: every other criterion holds, the witness refuses the secondary, so no switch.
  await w.pair.signal('primary', 'SIGKILL');
  w.app('primary', 'stop');
  await w.pair.waitForStatus(
    'secondary',
    'the witness to refuse the switch',
    (x) => /witness \(etcd\) cannot be reached \(etcd refused user/.test(x.local.decision),
    30_000,
  );
  await holdsWithoutSwitch(w, 2 * LEASE_TTL_S * 1000);
  const logs = allLogs(w);
  expect(logs).toMatch(refused);
  expect(logs).not.toContain(password);
  expect(logs).not.toContain(wrong);

  // A user etcd knows, whose role does not cover the pair's prefix: named with the setting to fix.
  const outsider = 'sparesync-outsider';
  const outsiderPassword = `outsider-${randomBytes(9).toString('base64url')}`;
  w.etcd.etcdctl(['user', 'add', outsider, `--new-user-password=${outsiderPassword}`], `root:${root}`);
  const outsiderFile = join(w.pair.files.dir, 'outsider-etcd-password');
  writeFileSync(outsiderFile, `${outsiderPassword}\n`, { mode: 0o600 });
  const denied = await checkOnce(
    { endpoints: w.etcd.endpoints, user: outsider, passwordFile: outsiderFile },
    w.prefix,
    'secondary',
    1,
  );
  expect(denied.report).toMatchObject({ reachable: false });
  expect(denied.report?.detail).toMatch(
    new RegExp(
      `etcd user "${outsider}" may not read and write the keys under ${w.prefix}/ .*grant its role readwrite on witness\\.keyPrefix`,
    ),
  );
  expect(denied.log).not.toContain(outsiderPassword);
});

test('TLS with client certificates: the pair holds the key over https, and fails over through it', async () => {
  const w = await system({ tls: true });
  expect(w.etcd.endpoints.every((u) => u.startsWith('https://'))).toBe(true);
  await w.pair.startBoth();
  const p = await w.pair.waitForStatus('primary', 'the key held', (s) => !!s.witness?.mine, 30_000);
  expect(p.witness).toMatchObject({ reachable: true, holderRole: 'primary', holderEpoch: 0 });
  await w.pair.waitForStatus('secondary', 'the holder seen', (s) => s.witness?.holderRole === 'primary');

  // The same etcd refuses a client that trusts it but shows no certificate of its own.
  const bare = await checkOnce(
    { endpoints: w.etcd.endpoints, ca: w.etcd.tls!.ca },
    `${w.prefix}-bare`,
    'primary',
    0,
  );
  expect(bare.report).toMatchObject({ reachable: false });

  await w.pair.signal('primary', 'SIGKILL');
  w.app('primary', 'stop');
  const st = await w.pair.waitForState('secondary', 'Switched', 40_000);
  const step = st.local.lastSwitch?.steps.find((x) => x.step === 'take-witness-key');
  expect(step?.detail).toMatch(/took the witness key for the secondary at epoch 1 while it was free/);
  const holder = w.etcd.etcdctl(['get', `${w.prefix}/holder`, '--print-value-only']);
  expect(JSON.parse(holder)).toMatchObject({ role: 'secondary', epoch: 1 });
});

// The witness on etcd (issue 15) end to end: two agent processes, the sample app on each side, a
// private etcd, and proxies that cut each agent from etcd, the link, and the secondary's view of
// the primary's page separately. At most one side serves, whatever is cut.
import { existsSync } from 'node:fs';
import { waitHealthy } from '@sparesync/devkit';
import { EtcdWitness } from '../packages/agent/src/witness';
import { runCli, waitFor } from './harness/pair';
import {
  holdsWithoutSwitch,
  LEASE_TTL_S,
  linesLogger,
  switchAsync,
  witnessSuite,
  type witnessSystem,
  type WitnessSetup,
} from './harness/witness';

jest.setTimeout(120_000);

const witnesses = witnessSuite('witness.test');

async function system(opts: Parameters<typeof witnessSystem>[1] = {}): Promise<WitnessSetup> {
  const w = await witnesses.system(opts);
  await w.pair.startBoth();
  // The primary holds the key at epoch 0 before anything else happens.
  await waitFor('the primary to hold the witness key', async () => {
    const k = await w.keys();
    return k.holder && JSON.parse(k.holder.value).role === 'primary' ? k : undefined;
  });
  return w;
}

const holderOf = (k: { holder?: { value: string } }) =>
  k.holder ? (JSON.parse(k.holder.value) as { role: string; epoch: number }) : undefined;

describe('failover with a witness', () => {
  test('the primary gone: the secondary takes the key with the new epoch in one transaction, then serves', async () => {
    const w = await system();
    // The status shows the witness: reachable, who holds the key, the lease time left.
    const ps = await w.pair.waitForStatus('primary', 'the witness in status', (x) => !!x.witness?.mine);
    expect(ps.witness).toMatchObject({ reachable: true, holderRole: 'primary', holderEpoch: 0, epoch: 0 });
    expect(ps.witness!.leaseLeftMs).toBeGreaterThan(0);
    expect(ps.witness!.leaseLeftMs).toBeLessThanOrEqual(LEASE_TTL_S * 1000);
    const cli = runCli(['status', '--config', w.pair.config('primary')]);
    expect(cli.stdout).toMatch(/witness\s+reachable, key held by the primary at epoch 0/);
    await w.pair.signal('primary', 'SIGKILL');
    w.app('primary', 'stop');
    const st = await w.pair.waitForState('secondary', 'Switched', 40_000);
    expect(st.local.epoch).toBe(1);
    expect(await w.appAnswers('secondary')).toBe(true);
    const k = await w.keys();
    expect(holderOf(k)).toMatchObject({ role: 'secondary', epoch: 1 });
    expect(k.epoch?.value).toBe('1');
    // One transaction: both keys carry the same revision.
    expect(k.holder?.modRevision).toBe(k.epoch?.modRevision);
    const log = st.local.lastSwitch?.steps.find((x) => x.step === 'take-witness-key');
    expect(log).toMatchObject({ outcome: 'done' });
    expect(log?.detail).toMatch(/took the witness key for the secondary at epoch 1 while it was free/);
  });

  test('the link and the page cut while both reach etcd: no switch, the key stays with the primary', async () => {
    const w = await system();
    w.cutPeers('reset');
    // Every other criterion holds: the secondary says the key is what stops it.
    await w.pair.waitForStatus(
      'secondary',
      'the witness to refuse the switch',
      (x) => /witness key is held by the primary/.test(x.local.decision),
      30_000,
    );
    // Three leases long: a key that was not renewed would have been free by then.
    await holdsWithoutSwitch(w, 3 * LEASE_TTL_S * 1000);
    expect(await w.appAnswers('primary')).toBe(true);
    expect(holderOf(await w.keys())).toMatchObject({ role: 'primary', epoch: 0 });
    w.cutPeers('open');
    await w.pair.waitForStatus('secondary', 'linked again', (x) => x.remote.reachable);
  });

  test('the primary cut from its peer and etcd stops its app before its lease expires; then the secondary switches', async () => {
    const w = await system();
    w.cutPeers('blackhole');
    w.toEtcd.primary.set('blackhole');
    const cutAt = Date.now();
    let stoppedAt: number | undefined;
    let keyGoneAt: number | undefined;
    let secondaryAt: number | undefined;
    await waitFor(
      'the primary to stop, the key to go and the secondary to serve',
      async () => {
        const [p, k, s] = await Promise.all([w.appAnswers('primary'), w.keys(), w.appAnswers('secondary')]);
        const now = Date.now();
        if (!p) stoppedAt ??= now;
        if (!k.holder || holderOf(k)?.role === 'secondary') keyGoneAt ??= now;
        if (s) secondaryAt ??= now;
        return secondaryAt !== undefined ? true : undefined;
      },
      60_000,
    );
    expect(stoppedAt).toBeDefined();
    // Stopped before its lease could expire (the key vanishes when it does) and within the TTL.
    expect(stoppedAt!).toBeLessThanOrEqual(keyGoneAt!);
    expect(stoppedAt! - cutAt).toBeLessThan(LEASE_TTL_S * 1000);
    expect(stoppedAt!).toBeLessThan(secondaryAt!);
    expect(existsSync(w.sys.markerFile('primary'))).toBe(true);
    await w.pair.waitForState('secondary', 'Switched', 30_000);
    expect(holderOf(await w.keys())).toMatchObject({ role: 'secondary', epoch: 1 });
    expect(w.pair.consoleOutput('primary')).toMatch(/message WitnessFenced/);
  });

  test('the witness down: the primary keeps serving, the secondary never switches and says so', async () => {
    const w = await system();
    await w.etcd.stop();
    // The primary, still linked, only warns.
    await w.pair.waitForStatus('primary', 'a witness warning', (x) =>
      /witness \(etcd\) cannot be reached/.test(x.local.reason),
    );
    expect(await w.appAnswers('primary')).toBe(true);
    await w.pair.signal('primary', 'SIGKILL');
    w.app('primary', 'stop');
    await w.pair.waitForStatus(
      'secondary',
      'the witness to refuse the switch',
      (x) => /witness \(etcd\) cannot be reached .*without its key there is no switch/.test(x.local.decision),
      30_000,
    );
    await holdsWithoutSwitch(w, 2 * LEASE_TTL_S * 1000);
    expect(w.pair.consoleOutput('secondary')).toMatch(/message WitnessUnreachable/);
  });

  test('a planned switch and the switch back move the key with the epoch; the primary adopts it', async () => {
    const w = await system();
    const to = await switchAsync(w, 'secondary');
    expect(to.code === 0 ? '' : to.out).toBe('');
    await w.pair.waitForState('secondary', 'Switched', 40_000);
    expect(holderOf(await w.keys())).toMatchObject({ role: 'secondary', epoch: 1 });
    await w.pair.waitForStatus('primary', 'fenced', (x) => x.local.state === 'Switched');
    const back = await switchAsync(w, 'primary');
    expect(back.code === 0 ? '' : back.out).toBe('');
    await w.pair.waitForState('primary', 'Working', 40_000);
    const k = await waitFor('the primary to adopt the key under its own lease', async () => {
      const k = await w.keys();
      return holderOf(k)?.role === 'primary' && k.holder!.modRevision > k.epoch!.modRevision ? k : undefined;
    });
    expect(holderOf(k)).toMatchObject({ role: 'primary', epoch: 2 });
    expect(k.epoch?.value).toBe('2');
    // Its own lease: the key outlives the secondary's agent.
    await w.pair.signal('secondary', 'SIGKILL');
    await new Promise((r) => setTimeout(r, 2 * LEASE_TTL_S * 1000));
    expect(holderOf(await w.keys())).toMatchObject({ role: 'primary', epoch: 2 });
  });
});

describe('a three-member etcd', () => {
  test('losing one member keeps the witness working: the key is renewed, and failover still takes it', async () => {
    const w = await system({ members: 3 });
    // The member every agent names first goes away; the others still make a quorum.
    await w.etcd.members[0]!.stop();
    await waitHealthy(w.etcd.members.slice(1));
    const before = (await w.keys()).holder!;
    expect(before).toBeDefined();
    // Renewed through the other members: after two leases the primary still holds the same key.
    await new Promise((r) => setTimeout(r, 2 * LEASE_TTL_S * 1000));
    const p = await w.pair.status('primary');
    expect(p.witness).toMatchObject({ reachable: true, mine: true, holderRole: 'primary' });
    expect(p.local.state).toBe('Working');
    expect((await w.keys()).holder?.modRevision).toBe(before.modRevision);
    await w.pair.signal('primary', 'SIGKILL');
    w.app('primary', 'stop');
    await w.pair.waitForState('secondary', 'Switched', 40_000);
    expect(holderOf(await w.keys())).toMatchObject({ role: 'secondary', epoch: 1 });
  });
});

describe('the witness client against etcd', () => {
  test('a stale holder cannot write the key back', async () => {
    const w = await witnesses.system();
    const lines: string[] = [];
    const settings = {
      etcd: { endpoints: w.etcd.endpoints, ca: '', cert: '', key: '', user: '', passwordFile: '' },
      keyPrefix: `${w.prefix}-client`,
      leaseTtlSeconds: 2,
    };
    const client = (role: 'primary' | 'secondary', epoch: number) => {
      const reports: unknown[] = [];
      const c = new EtcdWitness({
        settings,
        role,
        resolvePath: (p) => p,
        epoch: () => epoch,
        report: (r) => reports.push(r),
        log: linesLogger(lines),
      });
      return { c, reports };
    };
    const prefix = settings.keyPrefix;
    const read = async (k: string) => {
      const r = await fetch(`${w.etcd.endpoints[0]}/v3/kv/range`, {
        method: 'POST',
        body: JSON.stringify({ key: Buffer.from(`${prefix}/${k}`).toString('base64') }),
      });
      const kv = ((await r.json()) as { kvs?: { value: string }[] }).kvs?.[0];
      return kv ? Buffer.from(kv.value, 'base64').toString() : undefined;
    };
    const old = client('primary', 0);
    await old.c.check();
    expect(JSON.parse((await read('holder'))!)).toMatchObject({ role: 'primary', epoch: 0 });
    // The secondary cannot take a key whose lease lives.
    const sec = client('secondary', 0);
    await expect(
      sec.c.take({ holder: 'secondary', epoch: 1, fromEpoch: 0, onlyIfFree: true }),
    ).rejects.toThrow(/not free/);
    old.c.stop();
    await waitFor('the old lease to expire', async () => ((await read('holder')) ? undefined : true), 10_000);
    await sec.c.take({ holder: 'secondary', epoch: 1, fromEpoch: 0, onlyIfFree: true });
    sec.c.stop();
    await waitFor(
      "the new holder's lease to expire",
      async () => ((await read('holder')) ? undefined : true),
      10_000,
    );
    // The key is free, but the epoch has moved on: a primary still at epoch 0 neither claims it
    // nor moves it from its old epoch.
    const stale = client('primary', 0);
    await stale.c.check();
    expect(stale.reports.at(-1)).toMatchObject({ reachable: true, mine: false, epoch: 1 });
    expect(await read('holder')).toBeUndefined();
    await expect(
      stale.c.take({ holder: 'primary', epoch: 2, fromEpoch: 0, onlyIfFree: true }),
    ).rejects.toThrow(/records epoch 1/);
    stale.c.stop();
    expect(await read('epoch')).toBe('1');
  });
});

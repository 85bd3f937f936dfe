// The witness client's credentials files, without an etcd: one that cannot be read makes every
// round report the witness unreachable, naming the setting and the file (the agent starts).
import { join } from 'node:path';
import { silentLogger } from '@sparesync/common';
import { tempFolder } from '@sparesync/devkit/testing';
import { EtcdWitness, type WitnessReport } from './etcd-witness';

test('an unreadable password file is reported each round, naming witness.etcd.passwordFile', async () => {
  const { dir, cleanup } = await tempFolder('witness-creds');
  const reports: WitnessReport[] = [];
  const w = new EtcdWitness({
    settings: {
      etcd: {
        endpoints: ['http://127.0.0.1:1'],
        ca: '',
        cert: '',
        key: '',
        user: 'pair',
        passwordFile: 'missing.pw',
      },
      keyPrefix: '/sparesync/test',
      leaseTtlSeconds: 3,
    },
    role: 'primary',
    resolvePath: (p) => join(dir, p),
    epoch: () => 0,
    report: (r) => reports.push(r),
    log: silentLogger(),
  });
  await w.check();
  w.stop();
  expect(reports).toEqual([
    {
      reachable: false,
      mine: false,
      detail: `cannot read witness.etcd.passwordFile ${join(dir, 'missing.pw')} (ENOENT)`,
    },
  ]);
  await expect(w.take({ holder: 'secondary', epoch: 1, fromEpoch: 0, onlyIfFree: true })).rejects.toThrow(
    /the witness key could not be taken: cannot read witness.etcd.passwordFile/,
  );
  await cleanup();
});

// The witness section: optional, its defaults, and the timing check against heartbeats and the
// allowable response time.
import { validateSettings } from '../validate';

const base = {
  role: 'primary',
  peer: { host: 'h', fingerprint: 'f'.repeat(64) },
  tls: { ca: 'ca', cert: 'c', key: 'k' },
  pairKeyFile: 'p',
};
const witness = { etcd: { endpoints: ['http://127.0.0.1:2379'] }, keyPrefix: '/sparesync/shop' };

describe('witness settings', () => {
  it('is absent unless configured', () => {
    const r = validateSettings(base);
    expect(r.ok && r.settings.witness).toBeUndefined();
  });

  it('fills in the lease TTL and the credentials', () => {
    const r = validateSettings({ ...base, witness });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.witness).toMatchObject({
      leaseTtlSeconds: 5,
      etcd: { endpoints: ['http://127.0.0.1:2379'], ca: '', user: '', passwordFile: '' },
    });
  });

  it('wants endpoints and a key prefix', () => {
    const r = validateSettings({ ...base, witness: { etcd: { endpoints: [] } } });
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/witness/keyPrefix', '/witness/etcd/endpoints']),
    );
  });

  it('rejects a lease that outlives the allowable response time, naming the settings', () => {
    // 5 s × 3 misses = 15 s; 15 + 10 < 30 passes, 15 + 15 does not.
    const timing = {
      network: { remoteCheckIntervalSeconds: 5 },
      system: { allowableResponseTimeSeconds: 30 },
    };
    expect(validateSettings({ ...base, ...timing, witness: { ...witness, leaseTtlSeconds: 10 } }).ok).toBe(
      true,
    );
    const r = validateSettings({ ...base, ...timing, witness: { ...witness, leaseTtlSeconds: 15 } });
    expect(r.ok ? [] : r.problems).toEqual([
      {
        path: '/witness/leaseTtlSeconds',
        value: 15,
        message:
          'expected network.remoteCheckIntervalSeconds × link.heartbeatMisses + witness.leaseTtlSeconds (15 + 15 s) to be less than system.allowableResponseTimeSeconds (30 s), so that a server cut off from its peer and the witness stops its managed system before the other may start serving',
      },
    ]);
  });
});

describe('witness credentials', () => {
  const problems = (etcd: object) => {
    const r = validateSettings({ ...base, witness: { ...witness, etcd: { ...witness.etcd, ...etcd } } });
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it.each([
    [{ user: 'pair' }, /^\/witness\/etcd\/passwordFile: .*password of etcd user "pair"/],
    [{ passwordFile: 'etcd.pw' }, /^\/witness\/etcd\/user: expected the etcd user/],
    [
      { ca: 'ca.pem', cert: 'c.pem' },
      /^\/witness\/etcd\/key: expected witness.etcd.cert and witness.etcd.key together/,
    ],
    [{ cert: 'c.pem', key: 'c.key' }, /^\/witness\/etcd\/ca: expected the CA certificate/],
    [{ key: 'c.key' }, /^\/witness\/etcd\/cert: expected witness.etcd.cert and witness.etcd.key together/],
  ])('refuses %j alone', (etcd, message) => {
    expect(problems(etcd)).toEqual([expect.stringMatching(message)]);
  });

  it('accepts a user with its password file, and a client certificate with its key', () => {
    expect(problems({ user: 'pair', passwordFile: 'etcd.pw' })).toEqual([]);
    expect(problems({ ca: 'ca.pem', cert: 'c.pem', key: 'c.key' })).toEqual([]);
  });
});

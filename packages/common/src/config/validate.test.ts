// Cross-field checks (what JSON Schema cannot say) and the one-line problem format shared by the
// CLI and the agent.
import { formatProblem, validateSettings } from './validate';

const base = {
  role: 'primary',
  peer: { host: 'h', fingerprint: 'f'.repeat(64) },
  tls: { ca: 'ca', cert: 'c', key: 'k' },
  pairKeyFile: 'p',
};

describe('heartbeat budget: remoteCheckIntervalSeconds × heartbeatMisses < allowableResponseTimeSeconds', () => {
  it('accepts a budget below the allowable response time', () => {
    // 5 s × 3 = 15 s < 120 s (the defaults), and 39 s × 3 = 117 s < 120 s.
    expect(validateSettings(base).ok).toBe(true);
    expect(validateSettings({ ...base, network: { remoteCheckIntervalSeconds: 39 } }).ok).toBe(true);
  });

  it('rejects a budget equal to the allowable response time, naming both sides', () => {
    const r = validateSettings({
      ...base,
      network: { remoteCheckIntervalSeconds: 10 },
      link: { heartbeatMisses: 6 },
      system: { allowableResponseTimeSeconds: 60 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ path: '/network/remoteCheckIntervalSeconds', value: 10 });
    expect(r.problems[0]!.message).toBe(
      'expected network.remoteCheckIntervalSeconds × link.heartbeatMisses (10 × 6 = 60 s) to be less than ' +
        'system.allowableResponseTimeSeconds (60 s), so that a lost peer is noticed within the allowable response time',
    );
  });

  it('rejects a budget above it and prints fractions without float noise', () => {
    // 0.35 × 3 is 1.0499999999999998 in floating point.
    const r = validateSettings({
      ...base,
      network: { remoteCheckIntervalSeconds: 0.35 },
      system: { allowableResponseTimeSeconds: 1 },
    });
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('(0.35 × 3 = 1.05 s)'),
    ]);
  });
});

describe('other cross-field checks', () => {
  it('wants reconnectMaxMs at least reconnectInitialMs', () => {
    const ok = validateSettings({ ...base, link: { reconnectInitialMs: 500, reconnectMaxMs: 500 } });
    expect(ok.ok).toBe(true);
    const bad = validateSettings({ ...base, link: { reconnectInitialMs: 800, reconnectMaxMs: 500 } });
    expect(bad.ok ? [] : bad.problems).toEqual([
      {
        path: '/link/reconnectMaxMs',
        value: 500,
        message: 'expected at least link.reconnectInitialMs (800)',
      },
    ]);
  });

  it('allows logical capture only for PostgreSQL', () => {
    const db = (engine: string, capture: string) => ({
      ...base,
      database: { engine, capture, file: 'x.db' },
    });
    expect(validateSettings(db('postgres', 'logical')).ok).toBe(true);
    expect(validateSettings(db('sqlite', 'auto')).ok).toBe(true);
    const bad = validateSettings(db('sqlite', 'logical'));
    expect(bad.ok ? [] : bad.problems).toEqual([
      {
        path: '/database/capture',
        value: 'logical',
        message: 'expected auto or triggers: logical capture is for PostgreSQL (database.engine is sqlite)',
      },
    ]);
  });

  it('wants folder names unique', () => {
    const folder = (name: string) => ({ name, primaryPath: '/a', secondaryPath: '/b' });
    const r = validateSettings({ ...base, folders: [folder('web'), folder('db'), folder('web')] });
    expect(r.ok ? [] : r.problems).toEqual([
      { path: '/folders/2/name', value: 'web', message: 'expected a unique folder name' },
    ]);
  });

  it('runs only after the schema passed (no cross-field noise on top of schema problems)', () => {
    const r = validateSettings({ ...base, network: { remoteCheckIntervalSeconds: 100 }, role: 'x' });
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['/role']);
  });
});

describe('formatProblem', () => {
  it('prints file, path, value and expectation on one line', () => {
    const p = { path: '/network/compression', value: 'yes', message: 'expected a boolean' };
    expect(formatProblem(p, 'a.json')).toBe('a.json: /network/compression = "yes": expected a boolean');
    expect(formatProblem(p)).toBe('/network/compression = "yes": expected a boolean');
  });

  it('marks a missing value, and leaves out path and value for a whole-file problem', () => {
    expect(
      formatProblem({ path: '/role', value: undefined, message: 'required setting is missing' }, 'a.json'),
    ).toBe('a.json: /role = (missing): required setting is missing');
    expect(formatProblem({ path: '/', value: undefined, message: 'expected valid JSON (x)' }, 'a.json')).toBe(
      'a.json: expected valid JSON (x)',
    );
    expect(formatProblem({ path: '/', value: [], message: 'expected a JSON object' }, 'a.json')).toBe(
      'a.json: / = []: expected a JSON object',
    );
  });
});

// The schema as an operator meets it: a minimal file is enough, defaults are filled in, and every
// kind of mistake is reported at its JSON path with what was expected.
import { formatProblem, validateSettings, type SettingsProblem } from './validate';

const fingerprint = 'ab:'.repeat(31) + 'ab';
const minimal = () => ({
  role: 'secondary',
  peer: { host: 'web1.example.com', fingerprint },
  tls: { ca: 'certs/ca.crt', cert: 'certs/web2.crt', key: 'certs/web2.key' },
  pairKeyFile: 'certs/pair.key',
});

function problemsOf(doc: unknown): SettingsProblem[] {
  const r = validateSettings(doc);
  if (r.ok) throw new Error('expected problems, the document was valid');
  return r.problems;
}

/** Problems as "path: message" lines, for compact expectations. */
const lines = (doc: unknown) => problemsOf(doc).map((p) => `${p.path}: ${p.message}`);

describe('a minimal settings file', () => {
  it('is valid and gets every default filled in', () => {
    const r = validateSettings(minimal());
    if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p)).join('\n'));
    const s = r.settings;
    expect(s.peer.port).toBe(7701);
    expect(s.listen).toEqual({ host: '0.0.0.0', port: 7701 });
    expect(s.dataDir).toBe('data');
    expect(s.log).toEqual({ level: 'info', file: 'logs/agent.log' });
    expect(s.network).toMatchObject({
      blockSizeBytes: 65536,
      compression: true,
      remoteCheckIntervalSeconds: 5,
    });
    expect(s.system).toMatchObject({ switchAutomatically: true, allowableResponseTimeSeconds: 120 });
    expect(s.link.heartbeatMisses).toBe(3);
    expect(s.maintenanceWindows).toEqual([]);
    expect(s.folders).toEqual([]);
  });

  it('accepts a fingerprint without colons and a well-formed maintenance window', () => {
    const doc = {
      ...minimal(),
      peer: { host: 'h', fingerprint: 'AB'.repeat(32) },
      maintenanceWindows: [{ days: ['sat', 'sun'], start: '00:00', end: '23:59' }],
    };
    expect(validateSettings(doc).ok).toBe(true);
  });

  it('is not changed by validation (defaults go into a copy)', () => {
    const doc = minimal();
    validateSettings(doc);
    expect(doc).toEqual(minimal());
  });
});

describe('mistakes are reported at their JSON path', () => {
  it('lists every missing required setting', () => {
    expect(lines({ peer: { host: 'h' } })).toEqual(
      expect.arrayContaining([
        '/role: required setting is missing',
        '/tls: required setting is missing',
        '/pairKeyFile: required setting is missing',
        '/peer/fingerprint: required setting is missing',
      ]),
    );
    expect(problemsOf({})[0]!.value).toBeUndefined();
  });

  it('rejects a misspelt setting and suggests the intended one', () => {
    expect(lines({ ...minimal(), netwrok: { compression: false } })).toEqual([
      '/netwrok: unknown setting (did you mean "network"?)',
    ]);
    expect(lines({ ...minimal(), network: { Compression: false } })).toEqual([
      '/network/Compression: unknown setting (did you mean "compression"?)',
    ]);
  });

  it('lists the known names when no setting is close', () => {
    const [line] = lines({ ...minimal(), listen: { address: 'x' } });
    expect(line).toBe('/listen/address: unknown setting (check its spelling; settings here: host, port)');
  });

  it.each([
    [{ network: { compression: 'yes' } }, '/network/compression', 'yes', 'expected a boolean'],
    [
      { network: { maxConnections: 2.5 } },
      '/network/maxConnections',
      2.5,
      'expected an integer from 1 to 64',
    ],
    [
      { network: { sendDelaySeconds: '3' } },
      '/network/sendDelaySeconds',
      '3',
      'expected a number, at least 0',
    ],
    [{ listen: 7701 }, '/listen', 7701, 'expected an object'],
    [
      { externalResources: 'a:1' },
      '/externalResources',
      'a:1',
      'expected an array of string, items not empty',
    ],
    [
      { log: { level: 'verbose' } },
      '/log/level',
      'verbose',
      'expected one of "error", "warn", "info", "debug"',
    ],
  ])('wrong type or value %j', (patch, path, value, message) => {
    expect(problemsOf({ ...minimal(), ...patch })).toEqual([{ path, value, message }]);
  });

  it.each([
    [
      { network: { blockSizeBytes: 512 } },
      '/network/blockSizeBytes',
      'expected an integer from 1024 to 16777216',
    ],
    [
      { network: { blockSizeBytes: 2 ** 25 } },
      '/network/blockSizeBytes',
      'expected an integer from 1024 to 16777216',
    ],
    [{ listen: { port: 0 } }, '/listen/port', 'expected an integer from 1 to 65535'],
    [
      { system: { allowableResponseTimeSeconds: 0 } },
      '/system/allowableResponseTimeSeconds',
      'expected a number, at least 1',
    ],
    [{ link: { heartbeatMisses: 1 } }, '/link/heartbeatMisses', 'expected an integer from 2 to 100'],
    [{ dataDir: '' }, '/dataDir', 'expected a non-empty string'],
  ])('out of range %j', (patch, path, message) => {
    expect(lines({ ...minimal(), ...patch })).toEqual([`${path}: ${message}`]);
  });

  it.each(['ab:cd', 'zz'.repeat(32), 'ab:'.repeat(32) + 'ab', ''])('rejects fingerprint %j', (fp) => {
    expect(problemsOf({ ...minimal(), peer: { host: 'h', fingerprint: fp } })).toEqual([
      {
        path: '/peer/fingerprint',
        value: fp,
        message: 'expected a SHA-256 fingerprint (64 hex digits, colons allowed)',
      },
    ]);
  });

  it('rejects maintenance window times that are not HH:MM, and unknown days', () => {
    const doc = {
      ...minimal(),
      maintenanceWindows: [
        { days: ['mon'], start: '24:00', end: '7:30' },
        { days: ['monday'], start: '22:60', end: '23:00' },
        { days: [], start: '01:00', end: '02:00', note: 'x' },
      ],
    };
    expect(lines(doc)).toEqual([
      '/maintenanceWindows/0/start: expected a time as HH:MM',
      '/maintenanceWindows/0/end: expected a time as HH:MM',
      '/maintenanceWindows/1/days/0: expected one of "mon", "tue", "wed", "thu", "fri", "sat", "sun"',
      '/maintenanceWindows/1/start: expected a time as HH:MM',
      '/maintenanceWindows/2/note: unknown setting (check its spelling; settings here: days, start, end)',
      '/maintenanceWindows/2/days: expected an array of string with at least 1 item, items one of "mon", "tue", "wed", "thu", "fri", "sat", "sun"',
    ]);
  });

  it('reports several problems at once, each with the value found', () => {
    const problems = problemsOf({ ...minimal(), role: 'master', network: { blockSizeBytes: 10 }, lsten: {} });
    expect(problems.map((p) => formatProblem(p, 'sparesync.json'))).toEqual([
      'sparesync.json: /lsten = {}: unknown setting (did you mean "listen"?)',
      'sparesync.json: /role = "master": expected one of "primary", "secondary"',
      'sparesync.json: /network/blockSizeBytes = 10: expected an integer from 1024 to 16777216',
    ]);
  });

  it('rejects a document that is not an object', () => {
    for (const doc of [null, [], 'x', 3]) {
      expect(problemsOf(doc)).toEqual([{ path: '/', value: doc, message: 'expected a JSON object' }]);
    }
  });
});

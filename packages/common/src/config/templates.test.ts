// Templates against the guide §7.2 tables, written out here independently of templates.ts (one
// object per template rather than one row per setting), and applyTemplate's contract.
import { settingAt } from './annotations';
import { applyTemplate, findTemplate, formatChange, templateNames, templates } from './templates';
import { validateSettings } from './validate';

const guide: Record<string, Record<string, number | boolean>> = {
  'network:slow': {
    blockSizeBytes: 65536,
    maxConnections: 1,
    sendDelaySeconds: 5,
    compression: true,
    maxReplicaSizeKiB: 512,
    remoteCheckIntervalSeconds: 10,
    dbIterationPauseSeconds: 20,
  },
  'network:ordinary': {
    blockSizeBytes: 65536,
    maxConnections: 3,
    sendDelaySeconds: 3,
    compression: true,
    maxReplicaSizeKiB: 2048,
    remoteCheckIntervalSeconds: 5,
    dbIterationPauseSeconds: 5,
  },
  'network:fast': {
    blockSizeBytes: 65536,
    maxConnections: 3,
    sendDelaySeconds: 3,
    compression: false,
    maxReplicaSizeKiB: 4096,
    remoteCheckIntervalSeconds: 5,
    dbIterationPauseSeconds: 5,
  },
  'system:reduced': {
    switchAutomatically: true,
    allowableResponseTimeSeconds: 600,
    switchAfterConfigErrorsFixed: false,
    switchWhenManagedSystemDownLinkUp: false,
    switchIfRemoteStopped: false,
    externalResourcesRecoverySeconds: 120,
    dbConnectionErrorsFatal: true,
    availabilityCheckSeconds: 60,
  },
  'system:recommended': {
    switchAutomatically: true,
    allowableResponseTimeSeconds: 120,
    switchAfterConfigErrorsFixed: false,
    switchWhenManagedSystemDownLinkUp: true,
    switchIfRemoteStopped: false,
    externalResourcesRecoverySeconds: 60,
    dbConnectionErrorsFatal: true,
    availabilityCheckSeconds: 60,
  },
  'system:fast': {
    switchAutomatically: true,
    allowableResponseTimeSeconds: 60,
    switchAfterConfigErrorsFixed: true,
    switchWhenManagedSystemDownLinkUp: true,
    switchIfRemoteStopped: true,
    externalResourcesRecoverySeconds: 30,
    dbConnectionErrorsFatal: false,
    availabilityCheckSeconds: 30,
  },
};

const minimal = () => ({
  role: 'primary',
  peer: { host: 'h', fingerprint: 'f'.repeat(64) },
  tls: { ca: 'ca', cert: 'c', key: 'k' },
  pairKeyFile: 'p',
});

describe('the templates', () => {
  it('are exactly the six of the guide, in its order', () => {
    expect(templateNames).toEqual(Object.keys(guide));
  });

  it.each(Object.entries(guide))('%s sets exactly the guide values', (name, values) => {
    const section = name.split(':')[0]!;
    const expected = Object.entries(values).map(([key, value]) => ({ path: `/${section}/${key}`, value }));
    expect(findTemplate(name)?.values).toEqual(expected);
  });

  it('name existing settings of the right type', () => {
    for (const t of templates) {
      for (const { path, value } of t.values) {
        expect({ path, type: settingAt(path)?.schema.type }).toEqual({
          path,
          type: typeof value === 'boolean' ? 'boolean' : expect.stringMatching(/^(integer|number)$/),
        });
      }
    }
  });

  it.each(['network:ordinary', 'system:recommended'])(
    '%s equals the schema defaults (guide: the usual setup)',
    (name) => {
      const r = validateSettings(minimal());
      if (!r.ok) throw new Error('minimal settings invalid');
      const defaults = r.settings as unknown as Record<string, Record<string, unknown>>;
      const section = name.split(':')[0]!;
      expect(defaults[section]).toMatchObject(guide[name]!);
      expect(applyTemplate(minimal(), name).changes).toEqual([]);
    },
  );

  it.each(templateNames)('%s gives valid settings on a minimal file', (name) => {
    expect(validateSettings(applyTemplate(minimal(), name).doc).ok).toBe(true);
  });
});

describe('applyTemplate', () => {
  it('returns a new document and the changed settings, with old values from the file or the defaults', () => {
    const doc = {
      ...minimal(),
      network: { compression: true, maxConnections: 2 },
      system: { switchIfRemoteStopped: false },
    };
    const before = structuredClone(doc);
    const { doc: out, changes } = applyTemplate(doc, 'network:fast');
    expect(doc).toEqual(before);
    expect(changes).toEqual([
      { path: '/network/maxConnections', old: 2, oldIsDefault: false, new: 3 },
      { path: '/network/compression', old: true, oldIsDefault: false, new: false },
      { path: '/network/maxReplicaSizeKiB', old: 2048, oldIsDefault: true, new: 4096 },
    ]);
    expect(out).toEqual({
      ...before,
      network: { compression: false, maxConnections: 3, maxReplicaSizeKiB: 4096 },
    });
    expect(changes.map(formatChange)).toEqual([
      '/network/maxConnections: 2 -> 3',
      '/network/compression: true -> false',
      '/network/maxReplicaSizeKiB: 2048 (default) -> 4096',
    ]);
  });

  it('overwrites values the operator wrote, and touches only its own section', () => {
    const doc = {
      ...minimal(),
      system: { allowableResponseTimeSeconds: 300, availabilityCheckSeconds: 5 },
      link: { heartbeatMisses: 4 },
    };
    const { doc: out } = applyTemplate(doc, 'system:reduced');
    expect(out.system).toEqual({
      allowableResponseTimeSeconds: 600,
      availabilityCheckSeconds: 60,
      switchWhenManagedSystemDownLinkUp: false,
      externalResourcesRecoverySeconds: 120,
    });
    expect(out.link).toEqual({ heartbeatMisses: 4 });
    expect(out.network).toBeUndefined();
  });

  it('changes nothing the second time', () => {
    const once = applyTemplate(minimal(), 'system:fast').doc;
    expect(applyTemplate(once, 'system:fast')).toEqual({ doc: once, changes: [] });
  });

  it('can give settings that fail the cross-field check; the caller validates (slow network, fast system, many misses)', () => {
    const doc = applyTemplate({ ...minimal(), link: { heartbeatMisses: 6 } }, 'network:slow').doc;
    expect(validateSettings(doc).ok).toBe(true);
    const r = validateSettings(applyTemplate(doc, 'system:fast').doc);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['/network/remoteCheckIntervalSeconds']);
  });

  it('refuses an unknown name, listing the valid ones', () => {
    expect(() => applyTemplate(minimal(), 'network:medium')).toThrow(
      'unknown template "network:medium"; valid templates: network:slow, network:ordinary, network:fast, system:reduced, system:recommended, system:fast',
    );
  });

  it('refuses a document or section that is not an object', () => {
    expect(() => applyTemplate([], 'network:slow')).toThrow('not a JSON object');
    expect(() => applyTemplate({ ...minimal(), network: 'slow' }, 'network:slow')).toThrow(
      '/network = "slow": expected an object',
    );
  });
});

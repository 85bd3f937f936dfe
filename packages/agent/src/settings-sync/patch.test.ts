import {
  applyChanges,
  changedPaths,
  outcomeOf,
  parseChanges,
  sharedChanges,
  toPointer,
  toWire,
} from './patch';

const change = (path: string, value: unknown) => ({ path, valueJson: JSON.stringify(value), remove: false });

describe('settings changes', () => {
  it('accepts dotted paths and JSON Pointers', () => {
    expect(toPointer('system.switchAutomatically')).toBe('/system/switchAutomatically');
    expect(toPointer('/system/switchAutomatically/')).toBe('/system/switchAutomatically');
    expect(toPointer('maintenanceWindows.0.start')).toBe('/maintenanceWindows/0/start');
  });

  it('splits an object value for a group into its settings, so local members can be left out', () => {
    const parsed = parseChanges([change('dns', { ttl: 30, tsig: { keyName: 'k', secretFile: 'x.key' } })]);
    expect(parsed).toEqual([
      { path: '/dns/ttl', value: 30 },
      { path: '/dns/tsig/keyName', value: 'k' },
      { path: '/dns/tsig/secretFile', value: 'x.key' },
    ]);
    expect(sharedChanges(parsed).map((c) => c.path)).toEqual(['/dns/ttl', '/dns/tsig/keyName']);
  });

  it('keeps arrays whole and refuses values that are not JSON, naming the setting', () => {
    const windows = [{ days: ['sun'], start: '02:00', end: '03:00' }];
    expect(parseChanges([change('maintenanceWindows', windows)])).toEqual([
      { path: '/maintenanceWindows', value: windows },
    ]);
    expect(() => parseChanges([{ path: 'name', valueJson: 'web1', remove: false }])).toThrow(
      /the value for name is not JSON/,
    );
    expect(() => parseChanges([])).toThrow(/no settings to change/);
  });

  it('applies changes to a copy, creating groups, and removes settings', () => {
    const doc = { role: 'primary', system: { switchAutomatically: true } };
    const next = applyChanges(doc, [
      { path: '/system/switchAutomatically', value: undefined },
      { path: '/network/compression', value: false },
    ]);
    expect(next).toEqual({ role: 'primary', system: {}, network: { compression: false } });
    expect(doc.system.switchAutomatically).toBe(true);
  });

  it('reports changed settings with their markers; settings read only at start need a restart', () => {
    const before = {
      system: { allowableResponseTimeSeconds: 120 },
      network: { blockSizeBytes: 65536 },
      role: 'primary',
    };
    const after = {
      system: { allowableResponseTimeSeconds: 60 },
      network: { blockSizeBytes: 4096 },
      role: 'secondary',
    };
    const paths = changedPaths(before, after);
    expect(paths).toEqual(['/system/allowableResponseTimeSeconds', '/network/blockSizeBytes', '/role']);
    const live = (p: string) => p.startsWith('/system');
    const [sys, net, role] = paths.map((p) => outcomeOf(p, before, after, live));
    expect(sys).toMatchObject({
      oldJson: '120',
      newJson: '60',
      restartRequired: false,
      critical: true,
      local: false,
    });
    expect(net).toMatchObject({ restartRequired: true, local: false });
    expect(role).toMatchObject({ restartRequired: true, local: true, critical: true });
  });

  it('round-trips removals to the wire form', () => {
    expect(toWire([{ path: '/name', value: undefined }])).toEqual([
      { path: '/name', valueJson: '', remove: true },
    ]);
    expect(parseChanges(toWire([{ path: '/name', value: undefined }]))).toEqual([
      { path: '/name', value: undefined },
    ]);
  });
});

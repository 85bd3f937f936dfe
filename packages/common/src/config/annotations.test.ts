import {
  criticalSettings,
  defaultAt,
  expectationText,
  flagsAt,
  listSettings,
  localSettings,
  restartRequiredSettings,
  settingAt,
} from './annotations';

describe('settings markers (guide §7.1)', () => {
  it('lists the critical settings, groups and their members, including the switching rules', () => {
    const critical = criticalSettings();
    expect(critical).toEqual(
      expect.arrayContaining([
        '/role',
        '/peer',
        '/peer/fingerprint',
        '/tls/key',
        '/pairKeyFile',
        '/system/switchAutomatically',
        '/system/allowableResponseTimeSeconds',
      ]),
    );
    expect(critical).not.toContain('/network/compression');
    expect(critical).not.toContain('/system/dbConnectionErrorsFatal');
  });

  it('lists restart-required and local settings', () => {
    expect(restartRequiredSettings()).toEqual(
      expect.arrayContaining([
        '/listen/port',
        '/log/file',
        '/link/keepaliveMs',
        '/witness',
        '/witness/leaseTtlSeconds',
      ]),
    );
    expect(restartRequiredSettings()).not.toContain('/log/level');
    expect(localSettings()).toEqual(
      expect.arrayContaining(['/role', '/tls/ca', '/log/level', '/testing/clockSkewMs']),
    );
    // Shared settings propagate to the other server.
    for (const p of [
      '/network/blockSizeBytes',
      '/system/switchAutomatically',
      '/link/heartbeatMisses',
      '/folders',
    ]) {
      expect(localSettings()).not.toContain(p);
    }
  });

  it('inherits markers from enclosing objects, for concrete paths and paths below a leaf', () => {
    expect(flagsAt('/tls/ca')).toEqual({ critical: true, restartRequired: true, local: true });
    expect(flagsAt('/log/level')).toEqual({ critical: false, restartRequired: false, local: true });
    expect(flagsAt('/network/compression')).toEqual({
      critical: false,
      restartRequired: false,
      local: false,
    });
    expect(flagsAt('/peer/fingerprint/0')).toEqual(flagsAt('/peer/fingerprint'));
    expect(flagsAt('/nosuch/setting')).toEqual({ critical: false, restartRequired: false, local: false });
  });
});

describe('listSettings', () => {
  const all = listSettings();

  it('names every setting once by JSON path, array members with "*", leaving out $schema', () => {
    const paths = all.map((s) => s.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual(
      expect.arrayContaining(['/folders/*/name', '/maintenanceWindows/*/days', '/network/blockSizeBytes']),
    );
    expect(paths).not.toContain('/$schema');
  });

  it('puts groups before their members and marks required ones', () => {
    const paths = all.map((s) => s.path);
    expect(paths.indexOf('/tls')).toBeLessThan(paths.indexOf('/tls/ca'));
    expect(settingAt('/tls')).toMatchObject({ isGroup: true, required: true });
    expect(settingAt('/folders/7/primaryPath')).toMatchObject({
      path: '/folders/*/primaryPath',
      required: true,
    });
    expect(settingAt('/externalResources')).toMatchObject({ isGroup: false });
  });

  it('knows defaults and describes expectations in words', () => {
    expect(defaultAt('/network/blockSizeBytes')).toBe(65536);
    expect(defaultAt('/role')).toBeUndefined();
    expect(expectationText(settingAt('/listen/port')!.schema)).toBe('an integer from 1 to 65535');
    expect(expectationText(settingAt('/network/sendDelaySeconds')!.schema)).toBe('a number, at least 0');
    expect(expectationText(settingAt('/tls/ca')!.schema)).toBe('a non-empty string');
  });
});

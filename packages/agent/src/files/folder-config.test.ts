import { validateSettings, type LoadedSettings } from '@sparesync/common';
import { foldersFromSettings } from './folder-config';

function loaded(
  role: 'primary' | 'secondary',
  markerFolder: string,
  name = 'app_offline.htm',
): LoadedSettings {
  const r = validateSettings({
    role,
    peer: { host: 'peer', fingerprint: 'AA'.repeat(32) },
    tls: { ca: 'ca', cert: 'c', key: 'k' },
    pairKeyFile: 'pk',
    folders: [{ name: 'www', primaryPath: 'p/www', secondaryPath: 's/www', exclude: ['*.tmp'] }],
    managedSystem: { offlineMarker: { folder: markerFolder, name } },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return { file: '/etc/ss/sparesync.json', settings: r.settings, resolvePath: (p) => `/etc/ss/${p}` };
}

describe('folder config', () => {
  test('the offline marker inside a replicated folder is excluded there, on each side', () => {
    const [p] = foldersFromSettings(loaded('primary', 'p/www'));
    expect(p?.exclude).toEqual(['*.tmp', '/app_offline.htm']);
    expect(p?.excluded('app_offline.htm', false)).toBe(true);
    expect(p?.excluded('sub/app_offline.htm', false)).toBe(false);
    const [s] = foldersFromSettings(loaded('secondary', 's/www/site'));
    expect(s?.exclude).toEqual(['*.tmp', '/site/app_offline.htm']);
  });

  test('a marker outside the folder, or none, adds nothing; glob characters are escaped', () => {
    expect(foldersFromSettings(loaded('primary', 'elsewhere'))[0]?.exclude).toEqual(['*.tmp']);
    expect(foldersFromSettings(loaded('primary', ''))[0]?.exclude).toEqual(['*.tmp']);
    const [odd] = foldersFromSettings(loaded('primary', 'p/www', 'off[1]*.htm'));
    expect(odd?.excluded('off[1]*.htm', false)).toBe(true);
    expect(odd?.excluded('off1x.htm', false)).toBe(false);
  });
});

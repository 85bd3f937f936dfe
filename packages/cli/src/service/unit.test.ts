import { validateSettings, type LoadedSettings } from '@sparesync/common';
import { serviceUnit, writablePaths } from './unit';

function loaded(over: object = {}): LoadedSettings {
  const v = validateSettings({
    role: 'primary',
    peer: { host: 'web2', fingerprint: 'ab'.repeat(32) },
    tls: { ca: 'certs/ca.crt', cert: 'certs/primary.crt', key: 'certs/primary.key' },
    pairKeyFile: 'certs/pair.key',
    folders: [{ name: 'www', primaryPath: '/srv/www', secondaryPath: '/srv/standby' }],
    ...over,
  });
  if (!v.ok) throw new Error(JSON.stringify(v.problems));
  return {
    file: '/etc/sparesync/sparesync.json',
    settings: v.settings,
    resolvePath: (p) => (p.startsWith('/') ? p : `/etc/sparesync/${p}`),
  };
}
const base = {
  node: '/usr/bin/node',
  agentMain: '/opt/sparesync/agent/dist/main.js',
  configFile: '/etc/sparesync/sparesync.json',
};
const line = (unit: string, key: string) => unit.split('\n').filter((l) => l.startsWith(`${key}=`));

describe('the systemd unit of the agent', () => {
  it('runs the agent with the settings file, restarts it on failure and after the Restart command', () => {
    const unit = serviceUnit({ ...base, loaded: loaded(), sandbox: true });
    expect(line(unit, 'ExecStart')).toEqual([
      'ExecStart=/usr/bin/node --max-semi-space-size=16 /opt/sparesync/agent/dist/main.js --config /etc/sparesync/sparesync.json',
    ]);
    expect(line(unit, 'Restart')).toEqual(['Restart=on-failure']);
    expect(line(unit, 'RestartForceExitStatus')).toEqual(['RestartForceExitStatus=75']);
    expect(line(unit, 'KillSignal')).toEqual(['KillSignal=SIGTERM']);
    // Stopping the agent leaves the application it started running.
    expect(line(unit, 'KillMode')).toEqual(['KillMode=process']);
    expect(line(unit, 'User')).toEqual([]);
  });

  it("may write only where the settings say: settings folder, data, this side's folders, marker, log", () => {
    const l = loaded({ managedSystem: { offlineMarker: { folder: '/var/www/html' } } });
    expect(writablePaths(l, base.configFile)).toEqual(
      ['/etc/sparesync', '/etc/sparesync/data', '/etc/sparesync/logs', '/srv/www', '/var/www/html'].sort(),
    );
    const unit = serviceUnit({ ...base, loaded: l, sandbox: true });
    expect(line(unit, 'ProtectSystem')).toEqual(['ProtectSystem=strict']);
    expect(line(unit, 'ProtectHome')).toEqual(['ProtectHome=yes']);
    expect(line(unit, 'PrivateTmp')).toEqual(['PrivateTmp=yes']);
    expect(line(unit, 'ReadWritePaths')[0]).toContain('-/srv/www');
    expect(unit).not.toContain('/srv/standby'); // the secondary's path is not this server's
  });

  it('keeps folders under /home and /tmp reachable, and leaves the sandbox out when asked', () => {
    const l = loaded({ folders: [{ name: 'www', primaryPath: '/home/site/www', secondaryPath: '/tmp/x' }] });
    const unit = serviceUnit({ ...base, loaded: l, sandbox: true, user: 'sparesync' });
    expect(line(unit, 'ProtectHome')).toEqual(['ProtectHome=read-only']);
    expect(line(unit, 'User')).toEqual(['User=sparesync']);
    const tmp = serviceUnit({
      ...base,
      loaded: loaded({ folders: [{ name: 'w', primaryPath: '/tmp/w', secondaryPath: '/x' }] }),
      sandbox: true,
    });
    expect(line(tmp, 'PrivateTmp')).toEqual([]);
    const open = serviceUnit({ ...base, loaded: l, sandbox: false });
    expect(line(open, 'ProtectSystem')).toEqual([]);
    expect(line(open, 'ReadWritePaths')).toEqual([]);
  });

  it('quotes paths with spaces the way systemd reads them', () => {
    const unit = serviceUnit({
      ...base,
      configFile: '/etc/spare sync/s.json',
      loaded: loaded(),
      sandbox: false,
    });
    expect(line(unit, 'ExecStart')[0]).toContain('"/etc/spare sync/s.json"');
  });
});

// The systemd unit of the agent (`sparesync install-service`). Pure: settings in, unit text out,
// so --dry-run is stable and the unit is unit-tested without systemd.
//
// Choices, and why:
// - Restart=on-failure with RestartForceExitStatus=75: the Restart command exits 75 on purpose.
// - KillMode=process: stopping the agent must not stop the managed application it started (the
//   application keeps serving; the peer sees the agent Stopped, not the application gone).
// - node is started with agentNodeOptions (@sparesync/common): V8 sizes its heap before the agent runs.
// - KillSignal=SIGTERM and a stop timeout: the agent says Goodbye so the peer shows it Stopped.
// - ProtectSystem=strict with ReadWritePaths from the settings: the data folder, this server's
//   replicated folders, the offline marker's folder, the log file's folder and the settings
//   file's folder (settings changes are written back). Commands the agent runs inherit this
//   sandbox: start the application through its own unit (`systemctl start app`), or use --no-sandbox.
import { dirname } from 'node:path';
import { agentNodeOptions, type LoadedSettings } from '@sparesync/common';

export interface UnitOptions {
  /** Absolute path of the node binary and of the agent's main.js. */
  node: string;
  agentMain: string;
  /** Absolute path of the settings file. */
  configFile: string;
  loaded: LoadedSettings;
  user?: string;
  /** Leave out ProtectSystem/ProtectHome/ReadWritePaths (the managed commands need more). */
  sandbox: boolean;
}

/** Folders the agent writes to, from the settings (sorted, without duplicates). */
export function writablePaths(loaded: LoadedSettings, configFile: string): string[] {
  const s = loaded.settings;
  const paths = [dirname(configFile), loaded.resolvePath(s.dataDir)];
  for (const f of s.folders)
    paths.push(loaded.resolvePath(s.role === 'primary' ? f.primaryPath : f.secondaryPath));
  const marker = s.managedSystem.offlineMarker;
  if (marker.folder) paths.push(loaded.resolvePath(marker.folder));
  if (s.log.file) paths.push(dirname(loaded.resolvePath(s.log.file)));
  if (s.database.engine === 'sqlite' && s.database.file)
    paths.push(dirname(loaded.resolvePath(s.database.file)));
  return [...new Set(paths)].sort();
}

const underHome = (p: string) => /^\/(home|root|run\/user)(\/|$)/.test(p);
const underTmp = (p: string) => /^\/(var\/)?tmp(\/|$)/.test(p);

/** systemd's quoting for a word of ExecStart or a path list entry. */
function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\])/g, '\\$1')}"`;
}

export function serviceUnit(o: UnitOptions): string {
  const paths = writablePaths(o.loaded, o.configFile);
  const lines = [
    '# Written by `sparesync install-service`; run it again after changing folders or paths.',
    '[Unit]',
    `Description=SpareSync agent (${o.loaded.settings.role})`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[o.node, ...agentNodeOptions, o.agentMain, '--config', o.configFile].map(quote).join(' ')}`,
    ...(o.user ? [`User=${o.user}`, `Group=${o.user}`] : []),
    'Restart=on-failure',
    'RestartSec=2s',
    'RestartForceExitStatus=75',
    'KillMode=process',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30s',
    'StandardOutput=journal',
    'StandardError=journal',
    'UMask=0077',
    'NoNewPrivileges=yes',
    // A private /tmp would hide a folder of the settings that lives under /tmp.
    ...(paths.some(underTmp) ? [] : ['PrivateTmp=yes']),
  ];
  if (o.sandbox) {
    lines.push(
      'ProtectSystem=strict',
      `ProtectHome=${paths.some(underHome) ? 'read-only' : 'yes'}`,
      // '-': a folder missing at start does not stop the unit (install-service creates the agent's own).
      `ReadWritePaths=${paths.map((p) => '-' + quote(p)).join(' ')}`,
    );
  }
  lines.push('', '[Install]', 'WantedBy=multi-user.target', '');
  return lines.join('\n');
}

// Helpers for the managed-system and monitor tests: settings from the real schema, a logger that
// records lines, free loopback ports, and the built sample app.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateSettings, type Logger, type Settings } from '@sparesync/common';
import { repoRoot } from './pair';

export const sampleApp = join(repoRoot, 'packages', 'devkit', 'dist', 'sample-app.js');

export function requireSampleApp(): string {
  if (!existsSync(sampleApp)) throw new Error(`${sampleApp} is missing: run pnpm build first`);
  return sampleApp;
}

type Managed = Settings['managedSystem'];
export type ManagedPatch = Omit<Partial<Managed>, 'testPage' | 'offlineMarker'> & {
  testPage?: Partial<Managed['testPage']>;
  offlineMarker?: Partial<Managed['offlineMarker']>;
};

/** Validated settings (defaults filled) with the given managedSystem fields and external resources. */
export function managedSettings(
  managed: ManagedPatch = {},
  extra: Partial<Pick<Settings, 'externalResources' | 'externalResourcesTimeoutSeconds'>> = {},
): Settings {
  const result = validateSettings({
    role: 'secondary',
    peer: { host: '127.0.0.1', fingerprint: 'AA'.repeat(32) },
    tls: { ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' },
    pairKeyFile: 'pair.key',
    managedSystem: managed,
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.settings;
}

export interface LogLine {
  message: string;
  meta: Record<string, unknown>;
}

/** A Logger stand-in that records info lines (ManagedSystem uses child and info only). */
export function recordingLogger(lines: LogLine[]): Logger {
  const log = {
    child: () => log,
    info: (message: string, meta: Record<string, unknown> = {}) => {
      lines.push({ message, meta });
      return log;
    },
  };
  return log as unknown as Logger;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export { freePort } from '@sparesync/devkit';

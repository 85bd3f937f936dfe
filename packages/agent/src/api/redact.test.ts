import type { GetSettingsReply } from '@sparesync/common';
import { REDACTED, redactSettingsReply } from './redact';

const reply = (path: string, value: unknown): GetSettingsReply => ({
  file: '/etc/sparesync/sparesync.json',
  path,
  valueJson: JSON.stringify(value),
  critical: false,
  restartRequired: false,
  local: false,
});
const valueOf = (r: GetSettingsReply): unknown => JSON.parse(r.valueJson);

describe('redactSettingsReply', () => {
  const all = {
    name: 'web1',
    database: { engine: 'postgres', connectionString: 'postgres://app:pw@db/app' },
    notifications: {
      webhook: { url: 'https://hooks.example/T0K3N', headers: { Authorization: 'Bearer x' } },
      smtp: { host: 'mail', user: '' },
    },
  };

  it('hides every secret value of the whole document, keeps the rest and empty values', () => {
    expect(valueOf(redactSettingsReply(reply('', all)))).toEqual({
      name: 'web1',
      database: { engine: 'postgres', connectionString: REDACTED },
      notifications: { webhook: { url: REDACTED, headers: REDACTED }, smtp: { host: 'mail', user: '' } },
    });
  });

  it('hides a secret asked for by its group, by itself or below it', () => {
    expect(valueOf(redactSettingsReply(reply('/notifications/webhook', all.notifications.webhook)))).toEqual({
      url: REDACTED,
      headers: REDACTED,
    });
    expect(valueOf(redactSettingsReply(reply('/database/connectionString', 'postgres://x')))).toBe(REDACTED);
    expect(
      valueOf(redactSettingsReply(reply('/notifications/webhook/headers/Authorization', 'Bearer x'))),
    ).toBe(REDACTED);
    expect(valueOf(redactSettingsReply(reply('/name', 'web1')))).toBe('web1');
  });
});

// What a read-only caller may not read of the settings: values that may hold credentials. The
// settings file holds no password itself (those live in the *passwordFile and dns.tsig.secretFile
// files), but a webhook URL or header, a connection string or an SMTP user name may carry a
// token or name an account.
import type { GetSettingsReply } from '@sparesync/common';

export const secretSettingPaths = [
  '/database/connectionString',
  '/notifications/webhook/url',
  '/notifications/webhook/headers',
  '/notifications/smtp/user',
] as const;

export const REDACTED = '(redacted)';

/** Empty values stay (they say "not configured"); any other value becomes REDACTED. */
const hidden = (v: unknown): unknown =>
  v === '' || v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0)
    ? v
    : REDACTED;

/** The reply with every secret value under (or above) its path replaced by REDACTED. */
export function redactSettingsReply(r: GetSettingsReply): GetSettingsReply {
  let value: unknown = JSON.parse(r.valueJson);
  for (const secret of secretSettingPaths) {
    if (r.path === secret || r.path.startsWith(`${secret}/`)) {
      value = hidden(value);
      continue;
    }
    if (r.path !== '' && !secret.startsWith(`${r.path}/`)) continue;
    const keys = secret.slice(r.path.length).split('/').slice(1);
    let parent: unknown = value;
    for (const key of keys.slice(0, -1)) {
      parent =
        parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
    }
    const last = keys.at(-1)!;
    if (parent !== null && typeof parent === 'object' && last in parent) {
      const obj = parent as Record<string, unknown>;
      obj[last] = hidden(obj[last]);
    }
  }
  return { ...r, valueJson: JSON.stringify(value) };
}

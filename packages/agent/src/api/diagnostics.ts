// "Update test DNS-record" and "Send test message" (guide §7.3.3).
import { hostname } from 'node:os';
import type { LoadedSettings, Logger, SendTestMessageReply, TestDnsRecordReply } from '@sparesync/common';
import { serverText, testRecordFor } from '../dns';
import { Notifier } from '../notify';
import { dnsTargetFromSettings } from '../dns/settings';
import { FailedPrecondition } from '../link/grpc-status';

export async function testDns(loaded: LoadedSettings): Promise<TestDnsRecordReply> {
  const dns = loaded.settings.dns;
  if (!dns.enabled) {
    throw new FailedPrecondition(
      'dns.enabled is off on this server, so there is no DNS server to test; set dns.* (docs/settings.md) first',
    );
  }
  const target = dnsTargetFromSettings(dns, loaded.resolvePath);
  const report = await testRecordFor(target);
  return {
    ok: report.ok,
    name: report.name,
    server: serverText(target.server),
    steps: report.steps.map((s) => ({
      step: s.step,
      ok: s.ok,
      skipped: s.skipped === true,
      detail: s.detail,
      hint: s.error?.hint ?? '',
    })),
  };
}

/**
 * Sends a real message at once through every configured transport, even while
 * notifications.enabled is off (so the settings can be checked before they are switched on).
 */
export async function sendTestMessage(
  loaded: LoadedSettings,
  log: Logger,
  text: string,
): Promise<SendTestMessageReply> {
  const s = loaded.settings;
  const server = { role: s.role, name: s.name || hostname() };
  const notifier = new Notifier({
    settings: () => loaded.settings.notifications,
    resolvePath: loaded.resolvePath,
    server,
    log: log.child({ component: 'notify' }),
    now: () => Date.now() + s.testing.clockSkewMs,
  });
  if (notifier.transports().length === 0) {
    throw new FailedPrecondition(
      'no notification transport is configured on this server: set notifications.smtp (host, from, to) or notifications.webhook.url (docs/settings.md)',
    );
  }
  const at = Date.now() + s.testing.clockSkewMs;
  const detail = text || `SpareSync test message from the ${server.role} ${server.name}`;
  const results = await notifier.deliver({
    server,
    code: 'TestMessage',
    detail,
    since: at,
    at,
    count: 1,
    repeatSeconds: 0,
  });
  for (const r of results) {
    if (r.ok) log.info(`test message sent by ${r.target}: ${r.detail}`);
    else log.warn(`test message not sent by ${r.target}: ${r.detail}`);
  }
  const delivered = results.filter((r) => r.ok).length;
  const off = s.notifications.enabled ? '' : ' (notifications.enabled is off: other messages are not sent)';
  return {
    sent: delivered === results.length,
    message: `test message delivered by ${delivered} of ${results.length} transport${results.length === 1 ? '' : 's'}${off}`,
    transports: results,
  };
}

// "Update test DNS-record" and "Send test message" (guide §7.3.3).
import type { LoadedSettings, Logger, SendTestMessageReply, TestDnsRecordReply } from '@sparesync/common';
import { serverText, testRecordFor } from '../dns';
import { dnsTargetFromSettings } from '../dns/settings';
import { FailedPrecondition } from './grpc-status';

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

/** Notifications (guide §9) are not implemented yet: the text is logged and nothing is sent. */
export function sendTestMessage(loaded: LoadedSettings, log: Logger, text: string): SendTestMessageReply {
  const body = text || `SpareSync test message from the ${loaded.settings.role}`;
  const enabled = loaded.settings.notifications.enabled ? 'on' : 'off';
  log.info(`test message (not sent, notifications are not implemented yet): ${body}`);
  return {
    sent: false,
    message:
      `not sent: notifications are not implemented in this version, so no channel (mail, webhook) can be configured ` +
      `(notifications.enabled is ${enabled}); the text was written to the agent log`,
    channels: [],
  };
}

// `sparesync dns test` and `sparesync notify test` (guide §7.3.3), `sparesync mark-checked` (§7.3.1).
import type { Command } from 'commander';
import type { MarkShutdownCheckedReply, SendTestMessageReply, TestDnsRecordReply } from '@sparesync/common';
import { ExitCode } from '../exit-codes';
import { controlOptions, print, withControl, type ControlOpts } from './control';

function notifyText(r: SendTestMessageReply): string {
  const lines = r.transports.map(
    (t) => `  ${t.transport.padEnd(8)} ${t.ok ? 'ok    ' : 'failed'} ${t.target}: ${t.detail}`,
  );
  return [`${r.sent ? 'ok' : 'FAILED'}: ${r.message}`, ...lines].join('\n');
}

function dnsText(r: TestDnsRecordReply): string {
  const head = `${r.ok ? 'ok' : 'FAILED'}: test record ${r.name} through the DNS server ${r.server}`;
  const steps = r.steps.map(
    (s) =>
      `  ${s.step.padEnd(14)} ${s.skipped ? 'skipped' : s.ok ? 'ok     ' : 'failed '} ${s.detail}${s.hint ? ` — ${s.hint}` : ''}`,
  );
  return [head, ...steps].join('\n');
}

export function registerDiagnosticsCommands(program: Command): void {
  const dns = program.command('dns').description('DNS checks (guide §7.3.3).');
  controlOptions(
    dns
      .command('test')
      .description(
        "Update test DNS-record: the agent adds a test record through the configured DNS server with the TSIG key, reads it back, deletes it and checks it is gone; the managed system's record is not touched. Exit 1 when a step fails.",
      ),
    ['sparesync dns test -c /etc/sparesync/sparesync.json'],
  ).action(async (opts: ControlOpts) => {
    const r = await withControl(opts, 'dns test', (c) =>
      c.call<TestDnsRecordReply>('testDnsRecord', {}, opts.timeout),
    );
    print(opts, r, dnsText(r));
    if (!r.ok) process.exitCode = ExitCode.Failure;
  });

  const notify = program.command('notify').description('Notifications (guide §9).');
  controlOptions(
    notify
      .command('test')
      .description(
        'Send test message (guide §7.3.3): the agent sends a real message at once through every transport configured in notifications (SMTP, webhook), even while notifications.enabled is off, and reports each one. Exit 1 when a transport failed, 2 when no transport is configured.',
      ),
    ['sparesync notify test -c /etc/sparesync/sparesync.json --text "hello"'],
  )
    .option('--text <text>', 'text of the message')
    .action(async (opts: ControlOpts & { text?: string }) => {
      const r = await withControl(opts, 'notify test', (c) =>
        c.call<SendTestMessageReply>('sendTestMessage', { text: opts.text ?? '' }, opts.timeout),
      );
      print(opts, r, notifyText(r));
      if (!r.sent) process.exitCode = ExitCode.Failure;
    });

  controlOptions(
    program
      .command('mark-checked')
      .description(
        "Mark checked (guide §7.3.1): say that you have reviewed this agent's last shutdown, which `sparesync status` shows until then (an unclean end — kill -9, a crash, lost power — is found at the next start). Exit 2 when no shutdown is recorded yet.",
      ),
    ['sparesync mark-checked -c /etc/sparesync/sparesync.json'],
  ).action(async (opts: ControlOpts) => {
    const r = await withControl(opts, 'mark checked', (c) =>
      c.call<MarkShutdownCheckedReply>('markShutdownChecked', {}, opts.timeout),
    );
    print(opts, r, r.message);
  });
}

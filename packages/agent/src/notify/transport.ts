// A way to deliver messages, and the transports the settings configure.
import type { Settings } from '@sparesync/common';
import type { Message } from './message';
import { smtpTransport } from './smtp';
import { webhookTransport } from './webhook';

export interface Transport {
  /** "smtp" or "webhook". */
  readonly name: string;
  /** Where messages go, safe to log (no password, no header values, no URL query). */
  readonly target: string;
  /** Resolves to what the other end answered; rejects with a reason that holds no secret. */
  send(m: Message): Promise<string>;
}

export interface TransportContext {
  resolvePath(p: string): string;
  warnLoose(file: string, mode: number): void;
}

/** The transports configured in `n`, whether or not notifications are enabled. */
export function transportsOf(n: Settings['notifications'], ctx: TransportContext): Transport[] {
  const out: Transport[] = [];
  if (n.smtp.host !== '') out.push(smtpTransport({ settings: n.smtp, ...ctx }));
  if (n.webhook.url !== '') out.push(webhookTransport(n.webhook));
  return out;
}

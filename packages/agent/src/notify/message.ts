// One message as operators read it: it names the server (role and name), the code, the detail and
// the time, in a mail (subject + text) and as the webhook's JSON body.
import { messageCodes, type MessageCode, type Role } from '@sparesync/common';

export interface Server {
  role: Role;
  name: string;
}

export interface Message {
  server: Server;
  /** A guide §9 code, or "TestMessage" for `sparesync notify test`. */
  code: MessageCode | 'TestMessage';
  detail: string;
  /** When the condition began (ms since the epoch). */
  since: number;
  /** When this message was sent. */
  at: number;
  /** 1 for the first message of the condition, 2 for the first repeat, ... */
  count: number;
  /** Seconds until the next repeat while the condition lasts; 0 when none follows. */
  repeatSeconds: number;
}

export function descriptionOf(code: Message['code']): string {
  return code === 'TestMessage' ? 'Test message (sparesync notify test)' : messageCodes[code].description;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function subjectOf(m: Message): string {
  const repeat = m.count > 1 ? ` (repeat ${m.count - 1})` : '';
  return `[SpareSync] ${m.code} on the ${m.server.role} ${m.server.name}${repeat}`;
}

export function textOf(m: Message): string {
  const lines = [
    `SpareSync on the ${m.server.role} server ${m.server.name}: ${m.code}`,
    descriptionOf(m.code),
    '',
    `Detail: ${m.detail}`,
    `Time:   ${iso(m.at)}`,
  ];
  if (m.since !== m.at) lines.push(`Since:  ${iso(m.since)}`);
  if (m.repeatSeconds > 0) {
    lines.push(`Repeated every ${m.repeatSeconds} s while the condition lasts (this is message ${m.count}).`);
  }
  return lines.join('\n') + '\n';
}

/** The webhook's JSON body. */
export function payloadOf(m: Message): Record<string, unknown> {
  return {
    server: m.server.name,
    role: m.server.role,
    code: m.code,
    description: descriptionOf(m.code),
    detail: m.detail,
    at: iso(m.at),
    since: iso(m.since),
    count: m.count,
    test: m.code === 'TestMessage',
  };
}

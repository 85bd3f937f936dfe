// The `notifications` section of sparesync.json: messages to operators (guide §9) by mail (SMTP)
// and by webhook (HTTP POST of JSON), with per-code overrides of the delay and repeat period.
// Imported by schema.ts. Both servers usually share these settings (guide §7.1: mail settings are
// the same on both); only the SMTP password file's path is this machine's own.
import { messageCodes, type MessageCode } from '../../codes';

const timingNode = (code: MessageCode) => {
  const d = messageCodes[code];
  const repeat = d.repeatSeconds ? `then every ${d.repeatSeconds} s while it lasts` : 'sent once';
  return {
    type: 'object',
    additionalProperties: false,
    description: `${code}: ${d.description}. Default: after ${d.delaySeconds} s, ${repeat}.`,
    properties: {
      delaySeconds: {
        type: 'number',
        minimum: 0,
        description:
          'Seconds the condition must last before the message is sent; if it ends sooner, nothing is sent.',
      },
      repeatSeconds: {
        type: 'number',
        minimum: 0,
        description: 'Seconds between repeats while the condition lasts; 0: sent once.',
      },
    },
  } as const;
};

const timingProperties = Object.fromEntries(
  (Object.keys(messageCodes) as MessageCode[]).map((code) => [code, timingNode(code)]),
) as { readonly [C in MessageCode]: ReturnType<typeof timingNode> };

export const mailAddressPattern = '^[^\\s@<>,]+@[^\\s@<>,]+$';
export const webhookUrlPattern = '^https?://\\S+$';

export const notificationsSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    'Messages to operators (guide §9): each names the server, the message code, the detail and the time, and goes to every transport configured here (mail, webhook).',
  properties: {
    enabled: { type: 'boolean', default: false, description: 'Send messages.' },
    smtp: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Mail through an SMTP server; off while host is empty.',
      properties: {
        host: { type: 'string', default: '', description: 'SMTP server host name or IP address.' },
        port: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          default: 587,
          description: 'SMTP server port (usually 587 with starttls, 465 with tls, 25 with none).',
        },
        security: {
          type: 'string',
          enum: ['starttls', 'tls', 'none'],
          default: 'starttls',
          description:
            'starttls: plain connection upgraded with STARTTLS, which is required; tls: TLS from the first byte; none: no encryption (only on a trusted network).',
        },
        user: {
          type: 'string',
          default: '',
          description: 'User name for SMTP AUTH; empty: no authentication.',
        },
        passwordFile: {
          type: 'string',
          default: '',
          description:
            'File holding the SMTP password on its first line (mode 0600), read at every send; the password never goes into this settings file, the logs or the status. Relative paths are relative to the settings file.',
          'x-local': true,
        },
        from: {
          type: 'string',
          default: '',
          description: 'Sender address, e.g. sparesync@example.com.',
        },
        to: {
          type: 'array',
          default: [],
          items: { type: 'string', pattern: mailAddressPattern },
          description: 'Recipient addresses.',
        },
        timeoutSeconds: {
          type: 'number',
          minimum: 1,
          default: 30,
          description: 'Longest time one mail may take to send (seconds); then it counts as failed.',
        },
      },
    },
    webhook: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'HTTP POST of each message as JSON ({ server, role, code, description, detail, at, test }); off while url is empty. A 2xx answer counts as delivered.',
      properties: {
        url: {
          type: 'string',
          default: '',
          description: 'http:// or https:// URL to post to.',
        },
        headers: {
          type: 'object',
          default: {},
          additionalProperties: { type: 'string' },
          description:
            'Extra request headers, e.g. { "Authorization": "Bearer ..." }; their values never appear in logs.',
        },
        timeoutSeconds: {
          type: 'number',
          minimum: 1,
          default: 10,
          description: 'Longest time one request may take (seconds); then it counts as failed.',
        },
      },
    },
    timings: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'Per message code, the delay before sending and the repeat period, overriding the defaults of guide §9 (its "MainAppInvisible: 60: 86400" is { "MainAppInvisible": { "delaySeconds": 60, "repeatSeconds": 86400 } }). A field left out keeps its default.',
      properties: timingProperties,
    },
  },
} as const;

/** validate.ts's SettingsProblem (not imported: validate.ts imports the schema). */
interface SettingsProblem {
  path: string;
  value: unknown;
  message: string;
}

interface NotificationSettings {
  enabled: boolean;
  smtp: { host: string; from: string; to: string[] };
  webhook: { url: string };
}

/** Checks across fields that JSON Schema cannot express: an enabled section must be able to send. */
export function notificationProblems(n: NotificationSettings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const at = (path: string, value: unknown, message: string) =>
    problems.push({ path: `/notifications/${path}`, value, message });
  if (n.webhook.url !== '' && !new RegExp(webhookUrlPattern).test(n.webhook.url)) {
    at('webhook/url', n.webhook.url, 'expected an http:// or https:// URL, or "" for no webhook');
  }
  if (n.smtp.host !== '') {
    if (!new RegExp(mailAddressPattern).test(n.smtp.from)) {
      at(
        'smtp/from',
        n.smtp.from,
        'expected a sender mail address like sparesync@example.com when smtp.host is set',
      );
    }
    if (n.smtp.to.length === 0) {
      at('smtp/to', n.smtp.to, 'expected at least one recipient address when smtp.host is set');
    }
  }
  if (n.enabled && n.smtp.host === '' && n.webhook.url === '') {
    at(
      'enabled',
      n.enabled,
      'expected notifications.smtp.host or notifications.webhook.url to be set when notifications are enabled',
    );
  }
  return problems;
}

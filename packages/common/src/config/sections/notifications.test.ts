// The notifications section as an operator writes it: defaults, per-code timings, and the
// mistakes that would leave messages undeliverable, each reported at its JSON path.
import { flagsAt } from '../annotations';
import { formatProblem, validateSettings } from '../validate';

const base = {
  role: 'primary',
  peer: { host: 'h', fingerprint: 'ab'.repeat(32) },
  tls: { ca: 'ca', cert: 'cert', key: 'key' },
  pairKeyFile: 'pair',
};

const lines = (notifications: object): string[] => {
  const r = validateSettings({ ...base, notifications });
  return r.ok ? [] : r.problems.map((p) => formatProblem(p));
};

describe('notifications settings', () => {
  it('default to off with SMTP on 587 with STARTTLS and no per-code timings', () => {
    const r = validateSettings(base);
    if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p)).join('\n'));
    expect(r.settings.notifications).toEqual({
      enabled: false,
      smtp: {
        host: '',
        port: 587,
        security: 'starttls',
        user: '',
        passwordFile: '',
        from: '',
        to: [],
        timeoutSeconds: 30,
      },
      webhook: { url: '', headers: {}, timeoutSeconds: 10 },
      timings: {},
    });
  });

  it('accept a full mail and webhook setup with the guide example as a timing override', () => {
    const n = {
      enabled: true,
      smtp: { host: 'mail.example.com', port: 465, security: 'tls', user: 'u', passwordFile: 'smtp.pw' },
      webhook: { url: 'https://hooks.example.com/x', headers: { Authorization: 'Bearer t' } },
      timings: { MainAppInvisible: { delaySeconds: 60, repeatSeconds: 86400 } },
    };
    expect(lines({ ...n, smtp: { ...n.smtp, from: 'ss@example.com', to: ['ops@example.com'] } })).toEqual([]);
  });

  it('report each mistake at its path with what was expected', () => {
    expect(
      lines({
        smtp: { security: 'ssl', to: ['ops'] },
        timings: { MainAppInvisble: { delaySeconds: 60 }, TurnedOff: { repeatSeconds: -1 } },
      }),
    ).toEqual([
      '/notifications/smtp/security = "ssl": expected one of "starttls", "tls", "none"',
      '/notifications/smtp/to/0 = "ops": expected a mail address like ops@example.com',
      '/notifications/timings/MainAppInvisble = {"delaySeconds":60}: unknown setting (did you mean "MainAppInvisible"?)',
      '/notifications/timings/TurnedOff/repeatSeconds = -1: expected a number, at least 0',
    ]);
  });

  it('refuse an enabled section that cannot send, a mail setup without addresses and a non-HTTP webhook', () => {
    expect(lines({ enabled: true })).toEqual([
      '/notifications/enabled = true: expected notifications.smtp.host or notifications.webhook.url to be set when notifications are enabled',
    ]);
    expect(lines({ smtp: { host: 'mail' }, webhook: { url: 'ftp://x' } })).toEqual([
      '/notifications/webhook/url = "ftp://x": expected an http:// or https:// URL, or "" for no webhook',
      '/notifications/smtp/from = "": expected a sender mail address like sparesync@example.com when smtp.host is set',
      '/notifications/smtp/to = []: expected at least one recipient address when smtp.host is set',
    ]);
  });

  it('are shared by both servers except the password file, which is a path on this machine', () => {
    expect(flagsAt('/notifications/smtp/host').local).toBe(false);
    expect(flagsAt('/notifications/timings/MainAppInvisible/delaySeconds').local).toBe(false);
    expect(flagsAt('/notifications/smtp/passwordFile').local).toBe(true);
  });
});

// The notifier on fake timers with fake transports: what is sent when, what is logged, and that a
// failing transport neither throws nor stops the others.
import { validateSettings, type Logger, type Settings } from '@sparesync/common';
import { FakeTransport } from './fake';
import { Notifier } from './notifier';
import { subjectOf, textOf } from './message';

type N = Settings['notifications'];

/** The notifications section as a minimal settings document validates to: every default. */
function defaults(): N {
  const v = validateSettings({
    role: 'secondary',
    peer: { host: 'web1', fingerprint: 'ab'.repeat(32) },
    tls: { ca: 'ca.pem', cert: 'c.pem', key: 'k.pem' },
    pairKeyFile: 'pair.key',
  });
  if (!v.ok) throw new Error('the minimal settings document is invalid');
  return v.settings.notifications;
}

function setup(over: Partial<N> = {}) {
  const settings: N = { ...defaults(), enabled: true, ...over };
  const lines: string[] = [];
  const at = (level: string) => (text: string) => void lines.push(`${level} ${text}`);
  const log = { warn: at('warn'), error: at('error'), debug: () => undefined } as unknown as Logger;
  const mail = new FakeTransport('smtp');
  const hook = new FakeTransport('webhook');
  const notifier = new Notifier({
    settings: () => settings,
    resolvePath: (p) => p,
    server: { role: 'secondary', name: 'web2' },
    log,
    now: () => Date.now(),
    transports: () => [mail, hook],
    retry: { afterMs: 10_000, times: 1 },
  });
  return { settings, lines, mail, hook, notifier };
}

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 0, 2, 3, 4, 5) }));
afterEach(() => jest.useRealTimers());

describe('Notifier', () => {
  test('sends after the delay through every transport; the message names server, code, detail and time', async () => {
    const { notifier, mail, hook, lines } = setup();
    notifier.raise('TurnedOff', 'turned off by the operator');
    await jest.advanceTimersByTimeAsync(999);
    expect(mail.sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(mail.sent).toHaveLength(1);
    expect(hook.sent).toHaveLength(1);
    const m = mail.sent[0]!;
    expect(subjectOf(m)).toBe('[SpareSync] TurnedOff on the secondary web2');
    expect(textOf(m)).toContain('SpareSync on the secondary server web2: TurnedOff');
    expect(textOf(m)).toContain('Detail: turned off by the operator');
    expect(textOf(m)).toContain('Time:   2026-01-02T03:04:06.000Z');
    expect(lines).toEqual(['warn message TurnedOff: turned off by the operator (sent by smtp, webhook)']);
  });

  test('a condition cancelled within its delay sends nothing', async () => {
    const { notifier, mail } = setup();
    notifier.raise('MissingConnection', 'no heartbeat for 1 s');
    await jest.advanceTimersByTimeAsync(30_000);
    notifier.cancel('MissingConnection');
    await jest.advanceTimersByTimeAsync(10 * 3600_000);
    expect(mail.sent).toEqual([]);
  });

  test('a failing transport is logged with its reason and retried; the other still delivers', async () => {
    const { notifier, mail, hook, lines } = setup();
    mail.failWith = 'connect ECONNREFUSED 127.0.0.1:1';
    notifier.raise('SwitchedFailed', 'DNS update refused');
    await jest.advanceTimersByTimeAsync(0);
    expect(hook.sent).toHaveLength(1);
    expect(lines).toEqual([
      'warn message SwitchedFailed: DNS update refused (sent by webhook)',
      'error message SwitchedFailed not sent by fake transport smtp: connect ECONNREFUSED 127.0.0.1:1; tried again in 10 s',
    ]);
    mail.failWith = undefined;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(mail.sent).toHaveLength(1);
    expect(hook.sent).toHaveLength(1);
  });

  test('disabled: the message is logged, not sent; settings are read at each send', async () => {
    const { notifier, mail, settings, lines } = setup({ enabled: false });
    notifier.raise('TurnedOn', 'turned on by the operator');
    await jest.advanceTimersByTimeAsync(1000);
    expect(mail.sent).toEqual([]);
    expect(lines).toEqual([
      'warn message TurnedOn: turned on by the operator (not sent: notifications.enabled is off)',
    ]);
    settings.enabled = true;
    settings.timings = { SwitchedSuccessfully: { delaySeconds: 5 } };
    notifier.raise('SwitchedSuccessfully', 'the secondary runs the managed system');
    await jest.advanceTimersByTimeAsync(4999);
    expect(mail.sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(mail.sent.map((m) => m.code)).toEqual(['SwitchedSuccessfully']);
  });

  test('announce sends at once and waits for the transports (a failure at start)', async () => {
    const { notifier, mail, lines } = setup();
    await notifier.announce('LinkServerNotStarted', 'cannot listen on 0.0.0.0:7701: EADDRINUSE');
    expect(mail.sent.map((m) => `${m.code}: ${m.detail}`)).toEqual([
      'LinkServerNotStarted: cannot listen on 0.0.0.0:7701: EADDRINUSE',
    ]);
    expect(lines).toEqual([
      'warn message LinkServerNotStarted: cannot listen on 0.0.0.0:7701: EADDRINUSE (sent by smtp, webhook)',
    ]);
  });

  test('stop: nothing more is sent', async () => {
    const { notifier, mail } = setup();
    notifier.raise('TurnedOff', 'x');
    await notifier.stop(0);
    await jest.advanceTimersByTimeAsync(5000);
    notifier.raise('TurnedOff', 'y');
    await jest.advanceTimersByTimeAsync(5000);
    expect(mail.sent).toEqual([]);
  });
});

// Notifications end to end (guide §9, §7.3.3): a real agent pair mails through a real SMTP server
// (aiosmtpd requiring AUTH), driven by the `sparesync` CLI as a process; a webhook receiver runs
// in this test process.
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { loadSettings } from '@sparesync/common';
import { cliMain, Pair, runCli, tempDir, type Side } from './harness/pair';
import { SmtpServer } from './harness/smtp';

jest.setTimeout(90_000);

const password = 'Pw-s3cret-e2e';
let smtp: SmtpServer;
let pair: Pair;
let passwordFile: string;

const cli = (side: Side, ...args: string[]) => runCli([...args, '-c', pair.config(side)]);

beforeAll(async () => {
  smtp = await SmtpServer.start({ user: 'ops', password });
  const dir = tempDir('notify');
  passwordFile = join(dir, 'smtp.password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  chmodSync(passwordFile, 0o600);
  pair = await Pair.create(
    {
      both: {
        notifications: {
          enabled: true,
          smtp: {
            host: '127.0.0.1',
            port: smtp.port,
            security: 'none',
            user: 'ops',
            passwordFile,
            from: 'sparesync@example.test',
            to: ['ops@example.test'],
            timeoutSeconds: 5,
          },
          timings: { MissingConnection: { delaySeconds: 4 } },
        },
      },
    },
    dir,
  );
  await pair.startBoth();
});

afterAll(async () => {
  await pair?.stop();
  await smtp?.stop();
});

describe('sparesync notify test', () => {
  it('delivers a mail that names the server and the text', async () => {
    const r = cli('primary', 'notify', 'test', '--text', 'hello from the e2e test');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: test message delivered by 1 of 1 transport\n/);
    expect(r.stdout).toMatch(
      new RegExp(`smtp +ok +smtp 127\\.0\\.0\\.1:${smtp.port} \\(none\\) to ops@example\\.test: accepted`),
    );
    const mail = await smtp.waitForMail('the test text', (m) => m.body.includes('hello from the e2e test'));
    expect(mail.subject).toBe('[SpareSync] TestMessage on the primary demo-primary');
    expect(mail.body).toContain('SpareSync on the primary server demo-primary: TestMessage');
    expect(mail.body).toMatch(/Time: +\d{4}-\d\d-\d\dT/);
    expect(mail.raw).toContain('X-Envelope-To: ops@example.test');
  });

  it('a wrong SMTP port gives exit 1 and a clear line; a wrong password is rejected without being shown', async () => {
    // notifications are live settings: the running agent uses the new port at once.
    const closed = await freePort();
    const set = cli('primary', 'settings', 'set', `notifications.smtp.port=${closed}`, '--this-server-only');
    expect(set.code).toBe(0);
    const r = cli('primary', 'notify', 'test');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAILED: test message delivered by 0 of 1 transport/);
    expect(r.stdout).toMatch(
      new RegExp(
        `smtp +failed smtp 127\\.0\\.0\\.1:${closed} .*: 127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED.*\\(check notifications\\.smtp\\.host, port and security\\)`,
      ),
    );
    expect(
      cli('primary', 'settings', 'set', `notifications.smtp.port=${smtp.port}`, '--this-server-only').code,
    ).toBe(0);

    // The password file is read at every send.
    writeFileSync(passwordFile, 'Wrong-pw-123\n', { mode: 0o600 });
    try {
      const bad = cli('primary', 'notify', 'test');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/smtp +failed .*535.*\(check notifications\.smtp\.user and the password/);
      expect(bad.stdout + bad.stderr).not.toContain('Wrong-pw-123');
      expect(pair.consoleOutput('primary')).not.toContain('Wrong-pw-123');
    } finally {
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    }
  });

  it('with no transport configured: exit 2, saying what to set', async () => {
    const off = cli(
      'secondary',
      'settings',
      'set',
      'notifications.smtp.host=""',
      'notifications.enabled=false',
      '--this-server-only',
    );
    expect(off.code).toBe(0);
    try {
      const r = cli('secondary', 'notify', 'test');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /no notification transport is configured on this server: set notifications\.smtp/,
      );
    } finally {
      const back = cli(
        'secondary',
        'settings',
        'set',
        'notifications.smtp.host="127.0.0.1"',
        'notifications.enabled=true',
        '--this-server-only',
      );
      expect(back.code).toBe(0);
    }
  });
});

describe('state-machine messages', () => {
  it('sparesync off: each server mails TurnedOff after its 1 s delay; on: TurnedOn', async () => {
    const before = smtp.mails().length;
    const off = cli('primary', 'off');
    expect(off.code).toBe(0);
    for (const side of ['primary', 'secondary'] as const) {
      const mail = await smtp.waitForMail(`TurnedOff from the ${side}`, (m) =>
        m.subject.startsWith(`[SpareSync] TurnedOff on the ${side} demo-${side}`),
      );
      expect(mail.body).toContain(`SpareSync on the ${side} server demo-${side}: TurnedOff`);
      expect(mail.body).toContain('SpareSync turned off');
      expect(mail.body).toMatch(/Detail: .*turned off/);
    }
    expect(cli('primary', 'on').code).toBe(0);
    await smtp.waitForMail('TurnedOn from the primary', (m) =>
      m.subject.startsWith('[SpareSync] TurnedOn on the primary'),
    );
    expect(smtp.mails().length).toBeGreaterThanOrEqual(before + 3);
  });

  it('a webhook receives the test message and state-machine messages as JSON', async () => {
    const got: Array<{ headers: Record<string, unknown>; body: Record<string, unknown> }> = [];
    const hook = await listen((body, headers) => got.push({ body, headers }));
    try {
      const url = `http://127.0.0.1:${hook.port}/hook?token=query-secret`;
      const set = cli(
        'primary',
        'settings',
        'set',
        `notifications.webhook.url="${url}"`,
        'notifications.webhook.headers={"Authorization":"Bearer header-secret"}',
        '--this-server-only',
      );
      expect(set.code).toBe(0);
      // Not spawnSync: the webhook receiver runs in this process and must answer meanwhile.
      const r = await cliAsync('primary', 'notify', 'test', '--text', 'webhook e2e');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ok: test message delivered by 2 of 2 transports/);
      expect(r.stdout).toMatch(
        new RegExp(`webhook +ok +webhook http://127\\.0\\.0\\.1:${hook.port}/hook: .*HTTP 204`),
      );
      expect(r.stdout).not.toContain('secret');
      expect(got[0]!.headers.authorization).toBe('Bearer header-secret');
      expect(got[0]!.body).toMatchObject({
        server: 'demo-primary',
        role: 'primary',
        code: 'TestMessage',
        detail: 'webhook e2e',
        test: true,
      });

      expect(cli('primary', 'off', '--this-server-only').code).toBe(0);
      await waitUntil(() => got.some((g) => g.body.code === 'TurnedOff'));
      expect(got.find((g) => g.body.code === 'TurnedOff')!.body).toMatchObject({
        server: 'demo-primary',
        role: 'primary',
        description: 'SpareSync turned off',
        test: false,
      });
      expect(cli('primary', 'on', '--this-server-only').code).toBe(0);
    } finally {
      hook.server.closeAllConnections();
      hook.server.close();
    }
  });
});

function cliAsync(side: Side, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cliMain, ...args, '-c', pair.config(side)]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

describe('delay', () => {
  it('a link back within the delay sends no MissingConnection; a link that stays down does', async () => {
    const missing = () => smtp.mails().filter((m) => m.subject.includes('MissingConnection'));
    expect(missing()).toEqual([]);
    await pair.signal('secondary', 'SIGKILL');
    await pair.waitForStatus('primary', 'link down', (x) => !x.link.connected);
    pair.start('secondary');
    await pair.waitForStatus('primary', 'link up', (x) => x.link.connected);
    await new Promise((r) => setTimeout(r, 5000));
    expect(missing()).toEqual([]);

    await pair.signal('secondary', 'SIGKILL');
    const lostAt = Date.now();
    const mail = await smtp.waitForMail('MissingConnection from the primary', (m) =>
      m.subject.startsWith('[SpareSync] MissingConnection on the primary demo-primary'),
    );
    expect(Date.now() - lostAt).toBeGreaterThanOrEqual(3500);
    expect(mail.body).toContain('Lost contact with remote server');
    expect(mail.body).toMatch(/Repeated every 28800 s while the condition lasts/);
  });
});

describe('start-up failure', () => {
  it('an agent that cannot listen mails LinkServerNotStarted before it exits', async () => {
    // The secondary is down after the test above; give it the primary's port, which is taken.
    const taken = loadSettings(pair.config('primary')).settings.listen.port;
    pair.patchSettings('secondary', { listen: { port: taken } });
    const p = pair.start('secondary');
    expect(await p.exited).not.toBe(0);
    const mail = await smtp.waitForMail('LinkServerNotStarted from the secondary', (m) =>
      m.subject.startsWith('[SpareSync] LinkServerNotStarted on the secondary demo-secondary'),
    );
    expect(mail.body).toMatch(new RegExp(`Detail: cannot listen on .*:${taken}.*EADDRINUSE`));
    expect(mail.body).not.toContain('Repeated every');
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function listen(
  onPost: (body: Record<string, unknown>, headers: Record<string, unknown>) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (d: Buffer) => (data += d.toString()));
    req.on('end', () => {
      onPost(JSON.parse(data) as Record<string, unknown>, req.headers);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

async function waitUntil(pred: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the webhook');
    await new Promise((r) => setTimeout(r, 50));
  }
}

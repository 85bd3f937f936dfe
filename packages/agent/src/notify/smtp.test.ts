// The SMTP password stays secret: errors are scrubbed of it, a loose password file is reported,
// an unreadable one is named without its content. The mail itself is tested against a real SMTP
// server in test/notify.test.ts.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordFileProblem, scrub, smtpTransport } from './smtp';
import { safeUrl } from './webhook';

const message = {
  server: { role: 'primary' as const, name: 'web1' },
  code: 'TestMessage' as const,
  detail: 'hello',
  since: 0,
  at: 0,
  count: 1,
  repeatSeconds: 0,
};

describe('SMTP secrets', () => {
  test('scrub removes the password and the base64 forms AUTH PLAIN and LOGIN send', () => {
    const plain = Buffer.from('\0ops\0s3cret!').toString('base64');
    const login = Buffer.from('s3cret!').toString('base64');
    expect(scrub(`bad s3cret! ${plain} ${login}`, 'ops', 's3cret!')).toBe('bad *** *** ***');
  });

  test('a failed send names the server and the cause, never the password; a loose file is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparesync-smtp-'));
    const file = join(dir, 'smtp.pw');
    writeFileSync(file, 's3cret!\n');
    chmodSync(file, 0o644);
    // A port that accepts and closes at once: a quick, certain failure.
    const server = createServer((c) => c.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const loose: string[] = [];
    const t = smtpTransport({
      settings: {
        host: '127.0.0.1',
        port,
        security: 'none',
        user: 'ops',
        passwordFile: file,
        from: 'ss@example.com',
        to: ['ops@example.com'],
        timeoutSeconds: 5,
      },
      resolvePath: (p) => p,
      warnLoose: (f, mode) => loose.push(`${f} ${mode.toString(8)}`),
    });
    try {
      await expect(t.send(message)).rejects.toThrow(new RegExp(`^127\\.0\\.0\\.1:${port}: `));
      await t.send(message).catch((e: Error) => expect(e.message).not.toContain('s3cret'));
      expect(loose[0]).toBe(`${file} 644`);
      expect(t.target).toBe(`smtp 127.0.0.1:${port} (none) to ops@example.com`);
    } finally {
      server.close();
    }
  });

  test('a missing password file is named; a user without a password file is explained', async () => {
    const base = {
      host: '127.0.0.1',
      port: 1,
      security: 'none' as const,
      user: 'ops',
      from: 'a@b.c',
      to: ['a@b.c'],
      timeoutSeconds: 1,
    };
    const ctx = { resolvePath: (p: string) => `/nonexistent/${p}`, warnLoose: () => undefined };
    await expect(
      smtpTransport({ ...ctx, settings: { ...base, passwordFile: 'pw' } }).send(message),
    ).rejects.toThrow('cannot read notifications.smtp.passwordFile /nonexistent/pw (ENOENT)');
    await expect(
      smtpTransport({ ...ctx, settings: { ...base, passwordFile: '' } }).send(message),
    ).rejects.toThrow(/notifications\.smtp\.user is set but notifications\.smtp\.passwordFile is empty/);
  });

  test('at start, a loose or unreadable password file is said at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparesync-smtp-'));
    const file = join(dir, 'pw');
    writeFileSync(file, 'x\n', { mode: 0o640 });
    chmodSync(file, 0o640);
    const loose: string[] = [];
    const settings = {
      host: 'mail',
      port: 587,
      security: 'starttls' as const,
      user: 'ops',
      passwordFile: 'pw',
      from: 'a@b.c',
      to: ['a@b.c'],
      timeoutSeconds: 1,
    };
    const o = { settings, resolvePath: (p: string) => join(dir, p), warnLoose: (f: string) => loose.push(f) };
    expect(passwordFileProblem(o)).toBeUndefined();
    expect(loose).toEqual([file]);
    expect(passwordFileProblem({ ...o, settings: { ...settings, passwordFile: 'gone' } })).toBe(
      `notifications.smtp.passwordFile ${join(dir, 'gone')} cannot be read (ENOENT): mail will fail until it can`,
    );
    expect(passwordFileProblem({ ...o, settings: { ...settings, user: '' } })).toBeUndefined();
  });

  test('webhook URLs are shown without credentials or query', () => {
    expect(safeUrl('https://u:p@hooks.example.com:8443/a/b?token=x#f')).toBe(
      'https://hooks.example.com:8443/a/b',
    );
  });
});

// A real SMTP server for end-to-end tests: Debian's python3-aiosmtpd on a free loopback port,
// requiring AUTH (LOGIN/PLAIN over the plain connection) when a user is given, and storing each
// accepted mail as a file the test reads back. Started per test file, stopped after.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from './pair';

// Written atomically (temp file + rename), so a reader never sees half a mail. Binds port 0 and
// prints the port it got, so no other process can take it between choosing and binding.
const server = String.raw`
import asyncio, os, signal, sys
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

folder, user, password = sys.argv[1], sys.argv[2], sys.argv[3]

class Store:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        name = os.path.join(folder, '%04d.eml' % Store.count)
        with open(name + '.tmp', 'wb') as f:
            f.write(('X-Envelope-To: %s\r\n' % ', '.join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(name + '.tmp', name)
        return '250 stored as %04d' % Store.count

def check(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
    return AuthResult(success=ok, handled=False)

async def main():
    loop = asyncio.get_running_loop()
    def factory():
        if user:
            return SMTP(Store(), authenticator=check, auth_required=True, auth_require_tls=False)
        return SMTP(Store())
    srv = await loop.create_server(factory, '127.0.0.1', 0)
    print('ready %d' % srv.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    srv.close()

asyncio.run(main())
`;

/** Debian's interpreter, where python3-aiosmtpd is installed (a pyenv python3 may come first on PATH). */
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface Mail {
  file: string;
  /** Headers and body as received (the body is quoted-printable or plain as nodemailer sent it). */
  raw: string;
  subject: string;
  /** The body decoded from quoted-printable. */
  body: string;
}

export class SmtpServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly folder: string,
  ) {}

  /** Starts aiosmtpd; with `auth`, only that user and password may send. */
  static async start(auth?: { user: string; password: string }): Promise<SmtpServer> {
    const folder = tempDir('smtp');
    const child = spawn(python, ['-c', server, folder, auth?.user ?? '', auth?.password ?? ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const port = await waitFor(
      'aiosmtpd to listen (is python3-aiosmtpd installed?)',
      async () => {
        if (child.exitCode !== null) throw new Error(`aiosmtpd exited ${child.exitCode}: ${err.trim()}`);
        const m = /ready (\d+)/.exec(out);
        return m ? Number(m[1]) : undefined;
      },
      10_000,
    );
    return new SmtpServer(child, port, folder);
  }

  mails(): Mail[] {
    return readdirSync(this.folder)
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .map((f) => {
        const raw = readFileSync(join(this.folder, f), 'utf8');
        const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
        const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(head)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
        const qp = /Content-Transfer-Encoding: quoted-printable/i.test(head);
        const text = rest.join('\n\n');
        const body = qp
          ? text
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
          : text;
        return { file: f, raw, subject, body: body.replace(/\r\n/g, '\n') };
      });
  }

  /** The first mail (in arrival order) that matches, waiting for it. */
  waitForMail(what: string, pred: (m: Mail) => boolean, timeoutMs = 15_000): Promise<Mail> {
    return waitFor(`a mail with ${what}`, async () => this.mails().find(pred), timeoutMs);
  }

  async stop(): Promise<void> {
    await this.end();
    if (!process.env.SPARESYNC_KEEP_TEST_DIRS) rmSync(this.folder, { recursive: true, force: true });
  }

  private async end(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}

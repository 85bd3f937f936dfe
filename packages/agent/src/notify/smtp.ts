// Mail through an SMTP server (nodemailer). The password is read from its file at every send, so a
// changed password needs no restart, and it never leaves this module: errors are scrubbed of it
// (and of the base64 forms AUTH PLAIN and LOGIN put on the wire) before anyone sees them.
import { readFileSync, statSync } from 'node:fs';
import type { Settings } from '@sparesync/common';
import { subjectOf, textOf, type Message } from './message';
import type { Transport } from './transport';

type SmtpSettings = Settings['notifications']['smtp'];

/** nodemailer is loaded at the first mail, not by every agent that may never send one. */
const mailer = (): typeof import('nodemailer') => require('nodemailer') as typeof import('nodemailer');

export interface SmtpOptions {
  settings: SmtpSettings;
  resolvePath(p: string): string;
  /** Says once per file that its mode lets others read it (like the TLS key and pair key). */
  warnLoose(file: string, mode: number): void;
}

export function smtpTransport(o: SmtpOptions): Transport {
  const s = o.settings;
  const where = `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`;
  return {
    name: 'smtp',
    target: `smtp ${where} (${s.security}) to ${s.to.join(', ')}`,
    async send(m: Message): Promise<string> {
      const password = s.user ? readPassword(o) : '';
      const transporter = mailer().createTransport({
        host: s.host,
        port: s.port,
        secure: s.security === 'tls',
        requireTLS: s.security === 'starttls',
        ignoreTLS: s.security === 'none',
        ...(s.user ? { auth: { user: s.user, pass: password } } : {}),
        connectionTimeout: s.timeoutSeconds * 1000,
        greetingTimeout: s.timeoutSeconds * 1000,
        socketTimeout: s.timeoutSeconds * 1000,
      });
      try {
        const info = await withTimeout(
          transporter.sendMail({ from: s.from, to: s.to, subject: subjectOf(m), text: textOf(m) }),
          s.timeoutSeconds * 1000,
        );
        return `accepted by ${where} for ${info.accepted.map(String).join(', ')}: ${oneLine(info.response)}`;
      } catch (e) {
        throw new Error(scrub(`${where}: ${reasonOf(e)}`, s.user, password));
      } finally {
        transporter.close();
      }
    },
  };
}

/**
 * At start: what would make mail fail later or expose the password, said at once (a file others
 * may read, a file that cannot be read). Undefined when all is well or no password is used.
 */
export function passwordFileProblem(o: SmtpOptions): string | undefined {
  if (o.settings.host === '' || o.settings.user === '' || o.settings.passwordFile === '') return undefined;
  const file = o.resolvePath(o.settings.passwordFile);
  try {
    const mode = statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) o.warnLoose(file, mode);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return `notifications.smtp.passwordFile ${file} cannot be read (${code}): mail will fail until it can`;
  }
}

function readPassword(o: SmtpOptions): string {
  const setting = o.settings.passwordFile;
  if (setting === '') {
    throw new Error(
      'notifications.smtp.user is set but notifications.smtp.passwordFile is empty; name the file holding the password',
    );
  }
  const file = o.resolvePath(setting);
  try {
    const mode = statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) o.warnLoose(file, mode);
    return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`cannot read notifications.smtp.passwordFile ${file} (${code})`);
  }
}

/** nodemailer's message with the hint an operator needs for the usual causes. */
function reasonOf(e: unknown): string {
  const err = e as { message?: string; code?: string };
  const text = oneLine(err.message ?? String(e));
  switch (err.code) {
    case 'EAUTH':
      return `${text} (check notifications.smtp.user and the password in notifications.smtp.passwordFile)`;
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
      return `${text} (check notifications.smtp.host, port and security)`;
    case 'ETLS':
      return `${text} (the server does not offer STARTTLS, or its certificate is not trusted; check notifications.smtp.security)`;
    case 'EENVELOPE':
      return `${text} (check notifications.smtp.from and to)`;
    default:
      return text;
  }
}

/** Removes the password and the base64 forms of it that SMTP AUTH sends. */
export function scrub(text: string, user: string, password: string): string {
  if (!password) return text;
  const forms = [
    password,
    Buffer.from(password).toString('base64'),
    Buffer.from(`\0${user}\0${password}`).toString('base64'),
  ];
  return forms.reduce((t, f) => t.split(f).join('***'), text);
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** nodemailer's own timeouts cover each phase; this bounds the whole send. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

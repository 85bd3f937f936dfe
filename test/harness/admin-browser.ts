// The admin page in Debian's Chromium (playwright-core): a password set with the CLI, a browser
// context per page (the pair's own CA is unknown to the browser), login, and a POST from inside the
// page. Shared by admin-page.test.ts and admin-witness.test.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { cliMain, repoRoot, type Pair, type Side } from './pair';

export const shots = join(repoRoot, '.tmp', 'admin-page');
export const generous = { timeout: 20_000 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/** `sparesync admin set-password` on one server (each keeps its own users), the password on stdin. */
export function setPassword(
  p: Pair,
  user: string,
  role: 'operator' | 'read-only',
  password: string,
  side: Side = 'primary',
): void {
  const r = spawnSync(
    process.execPath,
    [cliMain, 'admin', 'set-password', '-c', p.config(side), '--user', user, '--role', role],
    { input: `${password}\n`, encoding: 'utf8', timeout: 30_000 },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** One side's admin page in a new context; the context goes into `contexts` to be closed. */
export async function openAdmin(
  browser: Browser,
  contexts: BrowserContext[],
  p: Pair,
  side: Side = 'primary',
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  // The pair's own CA signed the agent's certificate; the browser does not know that CA.
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(`https://127.0.0.1:${p.files.adminPorts[side]}/web/`);
  return page;
}

export async function login(page: Page, user: string, password: string): Promise<void> {
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

/** A POST from inside the page, with or without the CSRF token the page was given. */
export function post(
  page: Page,
  path: string,
  body: object,
  withToken: boolean,
): Promise<{ status: number; body: string }> {
  return page.evaluate(
    async ([path, body, withToken]) => {
      const s = (await (await fetch('/web/api/session')).json()) as { csrfToken: string };
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (withToken) headers['x-csrf-token'] = s.csrfToken;
      const r = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: r.status, body: await r.text() };
    },
    [path, body, withToken] as const,
  );
}

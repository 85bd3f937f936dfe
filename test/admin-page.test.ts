// The admin page (issue 13) in a real browser: Debian's Chromium driven by playwright-core against
// two real agent processes. Screenshots of each tab land in .tmp/admin-page/ for a person to look at.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sampleSystem, type SampleSystem } from '@sparesync/devkit';
import {
  generous,
  launchChromium,
  login,
  openAdmin,
  post,
  setPassword as setPasswordOn,
  shots,
} from './harness/admin-browser';
import { Pair, tempDir, waitFor } from './harness/pair';

jest.setTimeout(120_000);

let pair: Pair;
let browser: Browser;
const contexts: BrowserContext[] = [];

function setPassword(user: string, role: 'operator' | 'read-only', password: string, p = pair): void {
  setPasswordOn(p, user, role, password);
}

function open(
  side: 'primary' | 'secondary' = 'primary',
  width = 1280,
  height = 800,
  p = pair,
): Promise<Page> {
  return openAdmin(browser, contexts, p, side, { width, height });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  pair = await Pair.create();
  await pair.startBoth();
  browser = await launchChromium();
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

afterAll(async () => {
  await browser?.close();
  await pair?.stop();
});

describe('the admin page', () => {
  it('before any password exists shows only how to set one, and nobody can log in', async () => {
    const page = await open();
    await page.locator('#view-setup').waitFor(generous);
    expect(await page.locator('#setup-command').textContent()).toContain(
      `sparesync admin set-password -c ${pair.config('primary')}`,
    );
    expect(await page.locator('#view-login').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'setup.png') });
    const r = await post(page, '/web/api/login', { user: 'admin', password: 'admin' }, true);
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/no password is set/);
  });

  it('refuses admin/admin, a wrong password and an unknown user alike; logs in and out', async () => {
    setPassword('ops', 'operator', 'night shift 42');
    const page = await open();
    await page.locator('#view-login').waitFor(generous);
    const refusal = async (user: string, password: string) => {
      await login(page, user, password);
      await page.locator('#login-error').waitFor(generous);
      const text = await page.locator('#login-error').textContent();
      await page.locator('#login-submit:not([disabled])').waitFor(generous);
      return text;
    };
    expect(await refusal('admin', 'admin')).toBe('wrong user name or password');
    expect(await refusal('ops', 'night shift 41')).toBe('wrong user name or password');
    await login(page, 'ops', 'night shift 42');
    await page.locator('#view-app').waitFor(generous);
    expect(await page.locator('#who-name').textContent()).toBe('ops · operator');

    // The session cookie is out of reach of scripts and never sent cross-site.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sparesync_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });

    await page.click('#logout');
    await page.locator('#view-login').waitFor(generous);
    const after = await page.evaluate(async () => (await fetch('/web/api/status')).status);
    expect(after).toBe(401);
    const audit = readFileSync(join(pair.files.dir, 'primary', 'data', 'admin-audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"user":"admin".*"action":"login","result":"denied"/);
    expect(audit).toMatch(/"user":"ops".*"action":"logout","result":"ok"/);
  });

  it('shows both servers side by side, each tab, at desktop and phone width', async () => {
    const page = await open();
    await login(page, 'ops', 'night shift 42');
    await page.locator('#card-local [data-state="Working"]').waitFor(generous);
    await page.locator('#card-remote [data-state="Working"]').waitFor(generous);
    expect(await page.locator('#card-local').textContent()).toContain('primary');
    expect(await page.locator('#card-remote').textContent()).toContain('demo-secondary');
    await page.locator('#card-link .badge.ok').waitFor(generous);
    // Without settings.witness nothing about a witness shows.
    expect(await page.locator('#card-witness').isHidden()).toBe(true);
    expect(await page.locator('#view-app').innerText()).not.toMatch(/witness/i);
    await page.screenshot({ path: join(shots, 'status.png'), fullPage: true });
    for (const tab of ['monitoring', 'management', 'configuration']) {
      await page.click(`[data-tab=${tab}]`);
      await page.locator(`#tab-${tab}`).waitFor(generous);
      if (tab === 'monitoring') await page.locator('#chart canvas').waitFor(generous);
      await page.screenshot({ path: join(shots, `${tab}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const tab of ['management', 'status']) {
      await page.click(`[data-tab=${tab}]`);
      await page.screenshot({ path: join(shots, `${tab}-phone.png`), fullPage: true });
    }
  });

  it('refuses a POST without the CSRF token, even with a valid session', async () => {
    const page = await open();
    await login(page, 'ops', 'night shift 42');
    await page.locator('#view-app').waitFor(generous);
    const r = await post(page, '/web/api/control/turnOff', { thisServerOnly: true }, false);
    expect(r.status).toBe(403);
    expect((await pair.status('primary')).local.state).toBe('Working');
  });

  it('a read-only user sees the actions disabled, and the server refuses them when sent by hand', async () => {
    setPassword('watcher', 'read-only', 'just looking 1');
    const page = await open();
    await login(page, 'watcher', 'just looking 1');
    await page.locator('#card-local [data-state="Working"]').waitFor(generous);
    await page.click('[data-tab=management]');
    for (const action of ['switch-secondary', 'switch-primary', 'turnOff', 'restart']) {
      expect(await page.locator(`[data-action="${action}"]`).isDisabled()).toBe(true);
    }
    await page.screenshot({ path: join(shots, 'management-read-only.png'), fullPage: true });
    const r = await post(page, '/web/api/control/requestSwitch?server=peer', { to: 'secondary' }, true);
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/needs the operator role/);
    expect((await pair.status('secondary')).local.state).toBe('Working');
  });

  it('a setting with an invalid value shows the error and changes no file', async () => {
    const before = readFileSync(pair.config('primary'), 'utf8');
    const peerBefore = readFileSync(pair.config('secondary'), 'utf8');
    const page = await open();
    await login(page, 'ops', 'night shift 42');
    await page.locator('#view-app').waitFor(generous);
    await page.click('[data-tab=configuration]');
    await page.locator('#settings-json').filter({ hasText: 'remoteCheckIntervalSeconds' }).waitFor(generous);
    await page.fill('#setting-path', 'network.maxConnections');
    await page.fill('#setting-value', '-5');
    await page.click('#setting-submit');
    await page.locator('#settings-error').waitFor(generous);
    expect(await page.locator('#settings-error').textContent()).toMatch(/maxConnections/);

    // The same through the form generated from the schema: the problem shows next to its field.
    const field = page.locator('[data-pointer="/network/maxConnections"]');
    await page.locator('details.group', { has: field }).locator('summary').click();
    await field.fill('0');
    expect(await page.locator('#form-apply').textContent()).toBe('Apply 1 change');
    await page.click('#form-apply');
    const fieldError = page.locator('[data-field="/network/maxConnections"] .field-error');
    await fieldError.waitFor(generous);
    expect(await page.locator('.field-error:not([hidden])').count()).toBe(1);
    expect(await fieldError.textContent()).toMatch(
      /^\/network\/maxConnections = 0: expected an integer from 1 to 64/,
    );
    await field.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'configuration-invalid.png') });
    expect(readFileSync(pair.config('primary'), 'utf8')).toBe(before);
    expect(readFileSync(pair.config('secondary'), 'utf8')).toBe(peerBefore);
  });

  it('a valid setting is written on both servers', async () => {
    const page = await open();
    await login(page, 'ops', 'night shift 42');
    await page.locator('#view-app').waitFor(generous);
    await page.click('[data-tab=configuration]');
    await page.fill('#setting-path', 'system.allowableResponseTimeSeconds');
    await page.fill('#setting-value', '33');
    await page.click('#setting-submit');
    await page
      .locator('#settings-result')
      .filter({ hasText: '/system/allowableResponseTimeSeconds: 120 → 33' })
      .waitFor(generous);
    for (const side of ['primary', 'secondary'] as const) {
      const doc = JSON.parse(readFileSync(pair.config(side), 'utf8')) as {
        system: { allowableResponseTimeSeconds: number };
      };
      expect(doc.system.allowableResponseTimeSeconds).toBe(33);
    }
    await page
      .locator('#settings-json')
      .filter({ hasText: '"allowableResponseTimeSeconds": 33' })
      .waitFor(generous);
  });

  it('turns SpareSync off on both servers and on again, with the banner and the audit entry', async () => {
    const page = await open();
    await login(page, 'ops', 'night shift 42');
    await page.locator('#card-remote [data-state="Working"]').waitFor(generous);
    await page.click('[data-tab=management]');
    await page.click('[data-action="turnOff"]');
    await page.locator('#confirm-text').filter({ hasText: 'on both servers' }).waitFor(generous);
    await page.click('#confirm-ok');
    await page.locator('#action-result').filter({ hasText: 'turned off on both servers' }).waitFor(generous);
    await page.click('[data-tab=status]');
    await page.locator('#banners .banner').filter({ hasText: 'turned off on this server' }).waitFor(generous);
    await page.locator('#card-remote [data-state="TurnedOff"]').waitFor(generous);
    await page.screenshot({ path: join(shots, 'status-turned-off.png'), fullPage: true });
    await page.click('[data-tab=management]');
    await page.click('[data-action="turnOn"]');
    await page.click('#confirm-ok');
    await page.locator('#action-result').filter({ hasText: 'turned on on both servers' }).waitFor(generous);
    await pair.waitForState('secondary', 'Working');
    const audit = readFileSync(join(pair.files.dir, 'primary', 'data', 'admin-audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"user":"ops".*"action":"turnOff \{\\"thisServerOnly\\":false\}","result":"ok"/);
  });

  it('shows kill -9 of the other server without a reload', async () => {
    const page = await open();
    await login(page, 'ops', 'night shift 42');
    await page.locator('#card-remote[data-reachable="true"]').waitFor(generous);
    await pair.signal('secondary', 'SIGKILL');
    await page.locator('#card-remote[data-reachable="false"]').waitFor(generous);
    await page.locator('#banners .banner.bad').filter({ hasText: 'not reachable' }).waitFor(generous);
    await page.screenshot({ path: join(shots, 'peer-killed.png'), fullPage: true });
  });

  it('slows down repeated wrong passwords from one address', async () => {
    const page = await open();
    await page.locator('#view-login').waitFor(generous);
    let last = { status: 0, body: '' };
    for (let i = 0; i < 5 && last.status !== 429; i++) {
      last = await post(page, '/web/api/login', { user: 'ops', password: `guess ${i}` }, true);
    }
    expect(last.status).toBe(429);
    expect(last.body).toMatch(/too many failed logins from this address/);
    // While the delay runs even the right password is not checked.
    const right = await post(page, '/web/api/login', { user: 'ops', password: 'night shift 42' }, true);
    expect(right.status).toBe(429);
  });
});

describe('switching from the page', () => {
  let sys: SampleSystem;
  let switching: Pair;
  const app = (side: 'primary' | 'secondary', verb: 'start' | 'stop' | 'status') =>
    spawnSync('/bin/sh', ['-c', sys.appCommand(side, verb)], { timeout: 20_000 }).status ?? -1;

  beforeAll(async () => {
    const dir = tempDir('admin-switch');
    sys = await sampleSystem({ dir, zone: 'admin.test' });
    switching = await Pair.create(
      { both: sys.overrides.both, primary: sys.overrides.primary, secondary: sys.overrides.secondary },
      dir,
    );
    expect(app('primary', 'start')).toBe(0);
    await switching.startBoth();
    setPassword('ops', 'operator', 'night shift 42', switching);
  });

  afterAll(async () => {
    for (const side of ['primary', 'secondary'] as const) await switching?.signal(side, 'SIGKILL');
    if (sys) for (const side of ['primary', 'secondary'] as const) app(side, 'stop');
    await switching?.stop();
  });

  /** Presses a switch button on the Management tab, confirms, and waits for the switch to finish. */
  async function runSwitch(page: Page, action: string, kind: string): Promise<string[]> {
    await page.click(`[data-action="${action}"]`);
    await expectText(page, '#confirm-title', /switch/i);
    await page.click('#confirm-ok');
    await page
      .locator('#card-switch h2')
      .filter({ hasText: kind })
      .waitFor({ timeout: 60_000 })
      .catch(async (e: unknown) => {
        await page.screenshot({ path: join(shots, `failed-${action}.png`), fullPage: true });
        throw new Error(`${String(e)}\npage says: ${await page.locator('#action-result').textContent()}`);
      });
    await page.locator('#switch-phase').filter({ hasText: 'completed' }).waitFor({ timeout: 60_000 });
    return page.locator('#switch-steps .step-name').allTextContents();
  }

  async function expectText(page: Page, selector: string, re: RegExp): Promise<void> {
    await page.locator(selector).filter({ hasText: re }).waitFor(generous);
  }

  it("runs the switch to the secondary and back from the primary's page, its steps shown in order", async () => {
    const page = await open('primary', 1280, 800, switching);
    await login(page, 'ops', 'night shift 42');
    await page.locator('#card-remote [data-state="Working"]').waitFor(generous);
    await page.click('[data-tab=management]');

    const there = await runSwitch(page, 'switch-secondary', 'to the secondary');
    expect(there.indexOf('persist-epoch')).toBeGreaterThanOrEqual(0);
    expect(there.indexOf('update-dns')).toBeGreaterThan(there.indexOf('persist-epoch'));
    await page.screenshot({ path: join(shots, 'management-switched.png'), fullPage: true });
    await switching.waitForStatus(
      'secondary',
      'switched',
      (s) => s.local.state === 'Switched' && s.local.epoch === 1,
    );
    await expectText(page, '#action-result', /./);
    await page.click('[data-tab=status]');
    await page.locator('#card-local [data-state="Switched"]').waitFor(generous);

    await page.click('[data-tab=management]');
    const back = await runSwitch(page, 'switch-primary', 'to the primary');
    expect(back.length).toBeGreaterThan(0);
    await switching.waitForStatus(
      'primary',
      'serving again',
      (s) => s.local.epoch === 2 && s.local.state === 'Working',
    );
    await waitFor(
      'the primary app running',
      async () => (app('primary', 'status') === 0 ? true : undefined),
      30_000,
    );
    const audit = readFileSync(join(switching.files.dir, 'primary', 'data', 'admin-audit.jsonl'), 'utf8');
    expect(audit).toMatch(
      /"action":"requestSwitch \{\\"to\\":\\"secondary\\"\} on the other server","result":"ok"/,
    );
  });
});

describe('plain HTTP, when chosen', () => {
  it('warns in the log and on the page, and the cookie is not marked Secure', async () => {
    const p = await Pair.create({ primary: { admin: { plainHttp: true } } });
    try {
      await p.startBoth();
      setPassword('ops', 'operator', 'night shift 42', p);
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(ctx);
      const page = await ctx.newPage();
      await page.goto(`http://127.0.0.1:${p.files.adminPorts.primary}/web/`);
      await page.locator('#plain-http').waitFor(generous);
      await login(page, 'ops', 'night shift 42');
      await page.locator('#view-app').waitFor(generous);
      const cookie = (await ctx.cookies()).find((c) => c.name === 'sparesync_session');
      expect(cookie).toMatchObject({ httpOnly: true, secure: false, sameSite: 'Strict' });
      await page.screenshot({ path: join(shots, 'plain-http.png') });
      const log = readFileSync(join(p.files.dir, 'primary', 'logs', 'agent.log'), 'utf8');
      expect(log).toMatch(/admin.plainHttp is on/);
    } finally {
      await p.stop();
    }
  });
});

describe('when the page cannot listen', () => {
  it('the agent runs on and announces HttpServerNotStarted', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    const p = await Pair.create({ primary: { admin: { listen: { port: taken } } } });
    try {
      await p.startBoth();
      await waitFor('HttpServerNotStarted in the log', async () => {
        const log = readFileSync(join(p.files.dir, 'primary', 'logs', 'agent.log'), 'utf8');
        return /HttpServerNotStarted/.test(log) && /the admin page could not start: .*EADDRINUSE/.test(log)
          ? true
          : undefined;
      });
      expect((await p.status('primary')).local.state).toBe('Working');
    } finally {
      await p.stop();
      blocker.close();
    }
  });
});

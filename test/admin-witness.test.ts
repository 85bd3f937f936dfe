// The witness on the admin page (issue 15), in Debian's Chromium against two agents with a private
// etcd: who holds the key and the lease time left, then what the page says when this server loses
// the witness, and when it fences itself. The page without a witness is in admin-page.test.ts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generous, launchChromium, login, openAdmin, setPassword, shots } from './harness/admin-browser';
import { waitFor } from './harness/pair';
import { witnessSuite } from './harness/witness';

jest.setTimeout(120_000);

const witnesses = witnessSuite('admin-witness.test');
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});
afterAll(() => browser?.close());

const card = (page: Page) => page.locator('#card-witness');

test('shows who holds the witness key, then the witness lost, then the fence', async () => {
  const w = await witnesses.system();
  await w.pair.startBoth();
  await waitFor('the primary to hold the witness key', async () => {
    const k = await w.keys();
    return k.holder && JSON.parse(k.holder.value).role === 'primary' ? true : undefined;
  });
  for (const side of ['primary', 'secondary'] as const)
    setPassword(w.pair, 'ops', 'operator', 'night shift 42', side);
  const page = await openAdmin(browser, contexts, w.pair, 'primary');
  await login(page, 'ops', 'night shift 42');

  // The holder, as `sparesync status` prints it, and this server's lease time left.
  await page.locator('#witness-holder').filter({ hasText: 'the primary at epoch 0' }).waitFor(generous);
  await card(page).locator('.badge.ok').filter({ hasText: 'reachable' }).waitFor(generous);
  expect(await card(page).innerText()).toMatch(/This server's lease\s+\d+\.\d s left/);
  expect(await card(page).locator('.witness-problem').count()).toBe(0);
  await card(page).screenshot({ path: join(shots, 'witness.png') });

  // The other server's page: the same holder, and it does not hold the key.
  const other = await openAdmin(browser, contexts, w.pair, 'secondary');
  await login(other, 'ops', 'night shift 42');
  await other.locator('#witness-holder').filter({ hasText: 'the primary at epoch 0' }).waitFor(generous);
  expect(await card(other).innerText()).toMatch(/This server's lease\s+does not hold the key/);

  // This server alone loses etcd: a problem shown on the card and in a banner, no fence.
  w.toEtcd.primary.set('blackhole');
  await card(page)
    .locator('.witness-problem')
    .filter({ hasText: /^The witness cannot be reached: .+\. No switch until it is back\.$/ })
    .waitFor(generous);
  await card(page).locator('.badge.bad').filter({ hasText: 'unreachable' }).waitFor(generous);
  await page
    .locator('#banners .banner.warn')
    .filter({ hasText: 'witness cannot be reached' })
    .waitFor(generous);
  expect(await card(page).innerText()).not.toMatch(/Fenced/);
  await page.screenshot({ path: join(shots, 'witness-unreachable.png'), fullPage: true });

  // Then its peer too: it stops its managed system, and the page says so.
  w.cutPeers('blackhole');
  await card(page)
    .locator('.witness-problem')
    .filter({ hasText: /^Fenced: cut off/ })
    .waitFor(generous);
  await page.locator('#banners .banner.bad').filter({ hasText: 'Fenced by the witness' }).waitFor(generous);
  // The page shows the decision; the managed system's stop command follows it.
  await waitFor(
    'the fenced primary to stop its application',
    async () => ((await w.appAnswers('primary')) ? undefined : true),
    60_000,
  );
  await page.screenshot({ path: join(shots, 'witness-fenced.png'), fullPage: true });
});

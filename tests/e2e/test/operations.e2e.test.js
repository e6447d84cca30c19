'use strict';
// End-to-end: the operations page (/ops) in headless Chromium. The bot runs in local development mode (loopback: the page
// is open without credentials there), the Agents Playground installs the app (so the bot has posted something and its
// timers and outbox are not empty), and an API key with the admin role reads the same data from GET /api/v1/ops.
// Chromium (the system's /usr/bin/chromium, driven by playwright-core; `scripts/ensure-chromium.sh` installs it) opens
// /ops wide and at a phone's width: no console error, no page error, no failed request, no request off this machine,
// the sections are there, the armed-timer counts match the API, nothing overflows sideways on the phone.
// Screenshots go to .results/ (ops-wide.png, ops-phone.png).
const crypto = require('node:crypto');
const path = require('node:path');
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launchChromium, openWatchedPage } = require('../lib/browser');
const { startE2E } = require('../lib/harness');
const { apiKeyEnv } = require('../lib/bot');
const { findExecuteAction } = require('../lib/cards');

const SETUP_TIMEOUT_MS = 300000; // includes a cold `dotnet build` when BOT_DLL is not given
const TEST_TIMEOUT_MS = 90000;

describe('The operations page in headless Chromium', () => {
  const apiKey = crypto.randomBytes(24).toString('hex');
  let e2e;
  let browser;

  before(async () => {
    e2e = await startE2E({ botEnv: { ...apiKeyEnv(apiKey, ['admin'], 'ops-e2e') } });
    const { pg } = e2e;
    const installed = await pg.installApp(pg.personalChat);
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: installed.mark, conversationId: pg.personalChat, what: 'the welcome card' });
    browser = await launchChromium();
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (e2e) await e2e.stop();
  });

  const openPage = (options) => openWatchedPage(browser, options);

  test('/ops renders with no console error or failed request and shows the same armed timers as the API', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, context, problems, blocked } = await openPage({ viewport: { width: 1280, height: 900 } });
    const response = await page.goto(`${e2e.bot.baseUrl}/ops`, { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'], /script-src 'none'/);
    assert.match(response.headers()['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(await page.locator('h1').textContent(), 'Operations');
    for (const id of ['health-h', 'timers-h', 'outbox-h', 'instances-h', 'actions-h']) {
      assert.equal(await page.locator(`#${id}`).count(), 1, `section ${id}`);
    }
    assert.equal(await page.locator('meta[http-equiv="refresh"]').getAttribute('content'), '10; url=/ops');
    // The stylesheet applied (served by the bot itself).
    assert.equal(await page.locator('main').evaluate((m) => getComputedStyle(m).maxWidth), '1200px');

    const api = await e2e.bot.api('GET', '/api/v1/ops', { key: apiKey });
    assert.equal(api.status, 200);
    for (const kind of api.json.timers.armed) {
      const row = page.locator(`tr[data-kind="${kind.kind}"]`);
      assert.equal(await row.count(), 1, `a row for ${kind.kind}`);
      const shown = Number(await row.getAttribute('data-armed'));
      assert.ok(Math.abs(shown - kind.armed) <= 1, `${kind.kind}: page ${shown}, API ${kind.armed}`);
    }
    assert.ok(await page.locator('tr[data-instance]').count() >= 1, 'this instance is listed');
    assert.match(await page.locator('footer').textContent(), /Viewing as local development \(loopback\)/);

    await page.screenshot({ path: path.join(e2e.resultsDir, 'ops-wide.png'), fullPage: true });
    t.diagnostic(`screenshot: ${path.join(e2e.resultsDir, 'ops-wide.png')}`);
    assert.deepEqual(problems, []);
    assert.deepEqual(blocked, []);
    await context.close();
  });

  test('/ops is readable on a phone: nothing overflows the screen sideways', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, context, problems, blocked } = await openPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const response = await page.goto(`${e2e.bot.baseUrl}/ops`, { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(widths.scroll <= widths.view + 1, `page is ${widths.scroll}px wide on a ${widths.view}px screen (tables scroll inside their own box)`);
    await page.screenshot({ path: path.join(e2e.resultsDir, 'ops-phone.png'), fullPage: true });
    t.diagnostic(`screenshot: ${path.join(e2e.resultsDir, 'ops-phone.png')}`);
    assert.deepEqual(problems, []);
    assert.deepEqual(blocked, []);
    await context.close();
  });
});

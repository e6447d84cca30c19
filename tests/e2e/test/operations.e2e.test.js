'use strict';
// End-to-end: the operations page (/ops) in headless Chromium. The bot runs in local development mode (loopback: the page
// is open without credentials there), the Agents Playground installs the app (so the bot has posted something and its
// timers and outbox are not empty), and an API key with the admin role reads the same data from GET /api/v1/ops.
// Chromium (the system's /usr/bin/chromium, driven by playwright-core; `scripts/ensure-chromium.sh` installs it) opens
// /ops wide and at a phone's width: no console error, no page error, no failed request, no request off this machine,
// the sections are there, the armed-timer counts match the API, nothing overflows sideways on the phone.
// Then /ops/tab, the Operations tab of the app in Teams, signs in through an emulated Teams host (the Teams library is
// replaced by a stand-in that gives a fixed token), shows the page with the bearer token, reloads it, and posts a Discard
// of a given-up message with the token too. Screenshots go to .results/ (ops-wide.png, ops-phone.png, ops-tab.png).
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
  let givenUp;

  before(async () => {
    // One attempt per message: a message Teams refuses is given up at once (the tab test discards one).
    e2e = await startE2E({ botEnv: { ...apiKeyEnv(apiKey, ['admin'], 'ops-e2e'), Outbox__MaxAttempts: '1' } });
    const { pg } = e2e;
    const installed = await pg.installApp(pg.personalChat);
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: installed.mark, conversationId: pg.personalChat, what: 'the welcome card' });

    // A message in a conversation the Playground does not know: the bot's answer is refused (the conversation is not
    // found) and given up, so the page lists it with Retry and Discard.
    const activity = await pg.activityTemplate(pg.personalChat);
    Object.assign(activity, { type: 'message', text: 'help', textFormat: 'plain', id: `ops-e2e-${Date.now()}` });
    activity.conversation = { ...activity.conversation, id: 'a:ops-e2e-no-such-conversation' };
    await pg.sendCustomActivity(activity);
    const deadline = Date.now() + 20000;
    for (;;) {
      const ops = await e2e.bot.api('GET', '/api/v1/ops', { key: apiKey });
      if (ops.json?.outbox?.givenUp?.length > 0) { givenUp = ops.json.outbox.givenUp[0].id; break; }
      if (Date.now() > deadline) throw new Error(`no message was given up: ${ops.text.slice(0, 1000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
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

  test('/ops/tab signs in through Teams, shows the page with the bearer token, reloads it and posts Discard with the token', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // Teams is not here: the Teams library is replaced by a stand-in whose getAuthToken() gives a fixed token. The bot is
    // in local development mode, where a Teams token cannot be checked (no app registration), so the route records that
    // tab.js sent the token and hands the bot an admin API key in its place: a header credential, as the token is, so the
    // bot treats the post as it treats the tab's (no cookie, no form token). Real tokens: the integration tests
    // (tests/ApprovalBot.IntegrationTests/Operations/OperationsTabTests.cs).
    const { page, context, problems, blocked } = await openPage({ viewport: { width: 400, height: 800 } });
    await page.route('**/ops/assets/MicrosoftTeams-2.58.0.min.js', (route) => route.fulfill({
      contentType: 'text/javascript',
      body: "window.microsoftTeams = { app: { initialize: () => Promise.resolve() }, authentication: { getAuthToken: () => Promise.resolve('tab-token-from-teams') } };",
    }));
    const sent = [];
    const isPageRequest = (url) => url.pathname === '/ops' || url.pathname.startsWith('/ops/outbox/') || url.pathname.startsWith('/ops/timers/');
    await page.route(isPageRequest, (route) => {
      const request = route.request();
      const headers = { ...request.headers() };
      sent.push({ method: request.method(), url: request.url(), authorization: headers.authorization, cookie: headers.cookie });
      delete headers.authorization;
      headers['x-api-key'] = apiKey;
      return route.continue({ headers });
    });

    const shell = await page.goto(`${e2e.bot.baseUrl}/ops/tab`, { waitUntil: 'load' });
    assert.equal(shell.status(), 200);
    assert.match(shell.headers()['content-security-policy'], /frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
    await page.locator('#ops [data-figure="timers-armed"]').waitFor({ timeout: 15000 });
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0], { method: 'GET', url: `${e2e.bot.baseUrl}/ops`, authorization: 'Bearer tab-token-from-teams', cookie: undefined });
    assert.match(await page.locator('#ops footer').textContent(), /Viewing as API key 'ops-e2e'/);
    assert.ok(page.url().endsWith('/ops/tab'), 'the tab stays on its page');

    // The page reloads itself inside the tab (every 10 s), with the token.
    const reloadBy = Date.now() + 15000;
    while (sent.length < 2 && Date.now() < reloadBy) await new Promise((r) => setTimeout(r, 100));
    assert.ok(sent.length >= 2, 'the tab reloaded the page');
    assert.equal(sent[1].method, 'GET');
    assert.equal(sent[1].authorization, 'Bearer tab-token-from-teams');

    // Discard the given-up message: tab.js posts the form with the token (no cookie), the answer replaces the page.
    const row = page.locator(`tr[data-given-up="${givenUp}"]`);
    await row.waitFor({ timeout: 15000 });
    await row.locator('button', { hasText: 'Discard' }).click();
    await page.locator('#ops .flash.ok', { hasText: `Outbox message ${givenUp} was discarded` }).waitFor({ timeout: 15000 });
    const post = sent.find((r) => r.method === 'POST');
    assert.deepEqual(post, { method: 'POST', url: `${e2e.bot.baseUrl}/ops/outbox/${givenUp}/discard`, authorization: 'Bearer tab-token-from-teams', cookie: undefined });
    assert.equal(await page.locator(`tr[data-given-up="${givenUp}"]`).count(), 0);
    assert.ok(page.url().endsWith('/ops/tab'), 'the tab stays on its page');
    const api = await e2e.bot.api('GET', '/api/v1/ops', { key: apiKey });
    assert.ok(api.json.recentActions.some((a) => a.action === 'outbox.discard' && a.target === `outbox ${givenUp}` && a.outcome === 'done'), 'the discard is audited');

    await page.screenshot({ path: path.join(e2e.resultsDir, 'ops-tab.png'), fullPage: true });
    t.diagnostic(`screenshot: ${path.join(e2e.resultsDir, 'ops-tab.png')}`);
    await context.close();
    assert.deepEqual(blocked, []);
    assert.deepEqual(problems, [], 'no console error, page error or failed request');
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

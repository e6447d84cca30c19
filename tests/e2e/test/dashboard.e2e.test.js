'use strict';
// End-to-end: the KPI dashboard in headless Chromium. The bot (local development mode, loopback) gets an Active agreement
// (created through the REST API, approved in Teams — the Agents Playground — by the manager, Legal and Management), whose
// name is hostile HTML, then escalations and an uptime report through the API. Chromium (the system's /usr/bin/chromium,
// driven by playwright-core; `scripts/ensure-chromium.sh` installs it) opens /dashboard: no console error, no page error,
// no failed request, no request off this machine, the charts are there, the figures match GET /api/v1/kpis, and the
// hostile name is text. Screenshots go to .results/ (dashboard-wide.png, dashboard-narrow.png, dashboard-dark.png).
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

// The mock tenant (src/ApprovalBot/Directory/directory.sample.json maps it).
const ALEX = { email: 'alexw@example.com' };
const MEGAN = { id: 'user-id-1', name: 'Megan Bowen', email: 'meganb@example.com' };  // Alex's manager; L1
const ADELE = { id: 'user-id-2', name: 'Adele Vance', email: 'adelev@example.com' };  // Legal
const PATTI = { id: 'user-id-4', name: 'Patti Fernandez', email: 'pattif@example.com' };  // Management

const HOSTILE = '<script>alert(1)</script> Contoso <b>help</b> desk';
const isoDate = (daysFromNow) => new Date(Date.now() + daysFromNow * 86400000).toISOString().slice(0, 10);
const requestOf = (m) => m.attachments?.[0]?.content?.refresh?.action?.data?.requestId;
const stageOf = (m) => m.attachments?.[0]?.content?.refresh?.action?.data?.stage;

function terms() {
  return {
    providerName: 'Contoso Managed IT',
    oversightOwners: [ALEX.email],
    services: { kinds: ['HelpDesk'] },
    coverage: 'Both',
    startDate: isoDate(-30),
    endDate: isoDate(365),
    pricing: { structure: 'MonthlyRetainer', amount: 1000, currency: 'EUR' },
    responsibilities: { ours: ['Report incidents with their priority'], provider: ['Troubleshoot and repair the hardware and software in scope'] },
    serviceLevels: [
      { priority: 'P1', responseMinutes: 15, resolutionMinutes: 240, aroundTheClock: true },
      { priority: 'P2', responseMinutes: 60, resolutionMinutes: 480, aroundTheClock: true },
      { priority: 'P3', responseMinutes: 240, resolutionMinutes: 2880, aroundTheClock: true },
      { priority: 'P4', responseMinutes: 480, resolutionMinutes: 7200, aroundTheClock: true },
    ],
    escalation: [
      { level: 'L1', people: [MEGAN.email], description: 'Service desk' },
      { level: 'L2', people: [ADELE.email], description: 'Engineers' },
      { level: 'L3', people: [PATTI.email], description: 'Account management' },
    ],
    terminationNotice: { count: 3, unit: 'Months' },
    communicationPlan: {
      ourContacts: [{ name: 'Alex', person: ALEX.email, role: 'Service owner' }],
      providerContacts: [{ name: 'Sam Provider', email: 'sam@contoso.example', phone: '+1 555 0100' }],
      updateCadence: { cron: '0 9 * * MON', timeZone: 'UTC' },
      updatesGoTo: { kind: 'OneToOne', person: ALEX.email },
    },
    kpis: { kpis: [{ kind: 'ResponseTime' }, { kind: 'UptimePercentage', target: 99.9 }], frequency: 'Monthly' },
    businessCalendar: { timeZoneId: 'UTC', twentyFourSeven: true },
    dataProtection: {
      ourContacts: [{ name: 'Alex', person: ALEX.email, role: 'Data protection officer' }],
      providerContacts: [{ name: 'Sam Provider', email: 'sam@contoso.example' }],
      notificationDeadlineMinutes: 72 * 60,
    },
  };
}

describe('The KPI dashboard in headless Chromium', () => {
  const apiKey = crypto.randomBytes(24).toString('hex');
  let e2e;
  let browser;
  let agreementId;

  before(async () => {
    e2e = await startE2E({ botEnv: { ...apiKeyEnv(apiKey, ['write']) } });
    const { pg, bot } = e2e;
    const api = async (method, url, body, expected) => {
      const res = await bot.api(method, url, { key: apiKey, body });
      assert.equal(res.status, expected, `${method} ${url}: ${res.text.slice(0, 500)}`);
      return res.json;
    };

    // Alex installs the app (his chat gets the requester's status card), then an Active agreement with a hostile name:
    // created and submitted through the API, approved in Teams.
    const installed = await pg.installApp(pg.personalChat);
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: installed.mark, conversationId: pg.personalChat, what: 'the welcome card' });
    const created = await api('POST', '/api/v1/agreements', { name: HOSTILE, createdBy: ALEX.email, terms: terms() }, 201);
    agreementId = created.id;
    const mark = pg.mark();
    const { approvalRequestId } = await api('POST', `/api/v1/agreements/${agreementId}/submit`, { by: ALEX.email }, 202);
    let since = mark;
    for (const [user, stage] of [[MEGAN, 1], [ADELE, 2], [PATTI, 3]]) {
      const card = await pg.waitForMessage((m) => requestOf(m) === approvalRequestId && stageOf(m) === stage && Boolean(findExecuteAction(m, 'approval.approve')),
        { since, forUser: user.id, what: `${user.name}'s approval card, stage ${stage}` });
      since = (await pg.clickActionAs(user.id, card.messageId, 'approval.approve')).mark;
    }
    const deadline = Date.now() + 15000;
    while ((await api('GET', `/api/v1/agreements/${agreementId}`, undefined, 200)).status !== 'Active') {
      assert.ok(Date.now() < deadline, 'the agreement became Active');
      await new Promise((r) => setTimeout(r, 200));
    }

    // Three escalations (one acknowledged and resolved, one acknowledged, one waiting) and an uptime report.
    const open = (priority, title) => api('POST', '/api/v1/escalations', { agreementId, priority, title, reporter: ALEX.email }, 201);
    const e1 = await open('P2', 'Mail server down');
    const e2 = await open('P3', 'VPN slow');
    await open('P1', 'Payroll <img src=x onerror=alert(2)>');
    await api('POST', `/api/v1/escalations/${e1.id}/acknowledge`, { actor: MEGAN.email }, 200);
    await api('POST', `/api/v1/escalations/${e1.id}/resolve`, { actor: MEGAN.email, note: 'Restarted the relay.' }, 200);
    await api('POST', `/api/v1/escalations/${e2.id}/acknowledge`, { actor: MEGAN.email }, 200);
    await api('POST', `/api/v1/agreements/${agreementId}/uptime`,
      { from: new Date(Date.now() - 3 * 86400000).toISOString(), to: new Date(Date.now() - 86400000).toISOString(), percent: 99.5, service: 'Mail' }, 201);

    browser = await launchChromium();
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (e2e) await e2e.stop();
  });

  const openPage = (options) => openWatchedPage(browser, options);

  async function figure(page, name, attribute) {
    return page.locator(`#dashboard section[data-scope="overall"] [data-figure="${name}"]`).getAttribute(`data-${attribute}`);
  }

  test('/dashboard renders with no console error or failed request, shows the charts and the same figures as the API', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, context, problems, blocked } = await openPage({ viewport: { width: 1280, height: 900 } });
    const response = await page.goto(`${e2e.bot.baseUrl}/dashboard?agreement=${agreementId}&period=30d`, { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'], /default-src 'none'/);

    assert.equal(await page.locator('h1').innerText(), 'KPI dashboard');
    assert.equal(await page.locator('svg.chart').count(), 7, 'seven trend charts');
    assert.equal(await page.locator('svg.chart[role="img"] > title').count(), 7, 'each chart is named');
    assert.ok(await page.locator('#chart-opened rect.bar title', { hasText: 'Opened: 3' }).count() === 1, 'this week has a bar of 3');
    assert.ok(await page.locator('#chart-uptime circle.point').count() >= 1, 'uptime is drawn');
    assert.equal(await page.locator('details table').count(), 7, 'each chart has its data table');
    // the stylesheet applied (same origin): cards are laid out in a grid
    assert.equal(await page.locator('dl.cards').evaluate((el) => getComputedStyle(el).display), 'grid');

    const kpis = (await e2e.bot.api('GET', `/api/v1/kpis?agreementId=${agreementId}&period=30d`, { key: apiKey })).json.overall;
    assert.equal(await figure(page, 'opened', 'value'), String(kpis.opened));
    assert.equal(await figure(page, 'mtta', 'median'), String(kpis.timeToAcknowledge.medianSeconds));
    assert.equal(await figure(page, 'mttr', 'mean'), String(kpis.timeToResolve.meanSeconds));
    assert.equal(Number(await figure(page, 'uptime', 'value')), kpis.uptime.percent);
    assert.equal(kpis.opened, 3);

    // the hostile agreement name is text, in the heading and the selector; no script ran (no dialog)
    assert.ok((await page.locator('.subtitle').innerText()).startsWith(HOSTILE), 'the name is shown as text');
    assert.equal(await page.locator('#dashboard script').count(), 0);
    assert.equal(await page.locator('select[name="agreement"] option:checked').innerText(), HOSTILE);

    const shots = e2e.resultsDir;
    await page.screenshot({ path: path.join(shots, 'dashboard-wide.png'), fullPage: true });
    t.diagnostic(`screenshot: ${path.join(shots, 'dashboard-wide.png')}`);
    await context.close();
    assert.deepEqual(blocked, [], 'no request leaves this machine');
    assert.deepEqual(problems, [], 'no console error, page error or failed request');
  });

  test('/dashboard/tab signs in through Teams, loads the dashboard with the bearer token and keeps using it for the filters', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Teams is not here: the Teams library is replaced by a stand-in whose getAuthToken() gives a fixed token. The bot is
    // in local development mode, where a bearer token cannot be checked (no app registration), so the test takes the
    // header off after checking that tab.js sent it; access with real tokens is covered by the integration tests.
    const { page, context, problems, blocked } = await openPage({ viewport: { width: 400, height: 800 } });
    await page.route('**/dashboard/assets/MicrosoftTeams-2.58.0.min.js', (route) => route.fulfill({
      contentType: 'text/javascript',
      body: "window.microsoftTeams = { app: { initialize: () => Promise.resolve() }, authentication: { getAuthToken: () => Promise.resolve('tab-token-from-teams') } };",
    }));
    const sent = [];
    await page.route(/\/dashboard\?/, (route) => {
      const headers = { ...route.request().headers() };
      sent.push({ url: route.request().url(), authorization: headers.authorization });
      delete headers.authorization;
      return route.continue({ headers });
    });

    await page.goto(`${e2e.bot.baseUrl}/dashboard/tab?agreement=${agreementId}`, { waitUntil: 'load' });
    await page.locator('#dashboard svg.chart').first().waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#dashboard svg.chart').count(), 7);
    assert.equal(await page.locator('#dashboard .subtitle').innerText(), `${HOSTILE} · The last 30 days`);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].authorization, 'Bearer tab-token-from-teams');
    assert.match(sent[0].url, new RegExp(`/dashboard\\?agreement=${agreementId}$`));

    await page.selectOption('select[name="trend"]', 'month');
    await page.click('form.filters button[type="submit"]');
    await page.locator('#trend-h', { hasText: 'the last 12 months' }).waitFor({ timeout: 15000 });
    assert.equal(sent.length, 2);
    assert.equal(sent[1].authorization, 'Bearer tab-token-from-teams');
    assert.match(sent[1].url, /trend=month/);
    assert.ok(page.url().endsWith(`/dashboard/tab?agreement=${agreementId}`), 'the tab stays on its page');

    await page.screenshot({ path: path.join(e2e.resultsDir, 'dashboard-tab.png'), fullPage: true });
    await context.close();
    assert.deepEqual(blocked, []);
    assert.deepEqual(problems, [], 'no console error, page error or failed request');
  });

  test('/dashboard for all agreements fits a phone or a narrow Teams tab, in light and dark', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const [scheme, file] of [['light', 'dashboard-narrow.png'], ['dark', 'dashboard-dark.png']]) {
      const { page, context, problems, blocked } = await openPage({ viewport: { width: 360, height: 780 }, colorScheme: scheme, isMobile: true });
      const response = await page.goto(`${e2e.bot.baseUrl}/dashboard?trend=month`, { waitUntil: 'load' });
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('svg.chart').count(), 7);
      assert.match(await page.locator('#trend-h').innerText(), /the last 12 months/);
      assert.equal(await page.locator(`tr[data-agreement-id="${agreementId}"] th a`).innerText(), HOSTILE);
      // nothing but the tables (which scroll inside their box) is wider than the screen
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await page.screenshot({ path: path.join(e2e.resultsDir, file), fullPage: true });
      await context.close();
      assert.deepEqual(blocked, []);
      assert.deepEqual(problems, [], `${scheme}: no console error, page error or failed request`);
    }
  });
});

'use strict';
// End-to-end: a scheduled status digest in the Microsoft 365 Agents Playground, on the bot's real clock. Alex subscribes
// to a daily digest at the next whole minute (his local time: Europe/Berlin from the directory); the durable timer
// delivers it into his personal chat; he clicks Acknowledge, the card is replaced in place, and the read shows in
// `digest status` and in the REST API. There is no test clock in the e2e bot (it runs on TimeProvider.System), so the
// test waits for a real minute boundary: between 20 and 80 s, event-driven and bounded.
const crypto = require('node:crypto');
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startE2E } = require('../lib/harness');
const { apiKeyEnv } = require('../lib/bot');
const { adaptiveCards, cardText, messageText, findExecuteAction } = require('../lib/cards');

const SETUP_TIMEOUT_MS = 300000; // includes a cold `dotnet build` when BOT_DLL is not given
const TEST_TIMEOUT_MS = 60000;
const DELIVERY_MARGIN_MS = 45000; // Quartz's idle wait (1 s) and a slow, shared machine
const DELIVERY_TEST_TIMEOUT_MS = 140000 + DELIVERY_MARGIN_MS;

const ALEX = { id: 'user-id-0', name: 'Alex Wilber', email: 'alexw@example.com', zone: 'Europe/Berlin' };
const textOf = (m) => messageText(m).replace(/\s+/g, ' ');
const show = (m) => textOf(m).slice(0, 300);
const isDigest = (m) => adaptiveCards(m).some((c) => cardText(c).startsWith('Your digest'));

/** "HH:MM" of an instant in a time zone (24-hour clock). */
function localTime(date, timeZone) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  return `${parts.find((p) => p.type === 'hour').value}:${parts.find((p) => p.type === 'minute').value}`;
}

describe('Scheduled status digests in the Microsoft 365 Agents Playground', () => {
  const key = crypto.randomBytes(18).toString('base64url');
  let e2e;
  let pg;
  let subscribed; // { sent, due, at }
  let digest;     // the delivered digest message

  before(async () => {
    e2e = await startE2E({ botEnv: { Scheduling__IdleWaitTime: '00:00:01', ...apiKeyEnv(key, ['read']) } });
    pg = e2e.pg;
    const { mark } = await pg.installApp(pg.personalChat);
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: mark, conversationId: pg.personalChat, what: 'the welcome card' });
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    if (e2e) await e2e.stop();
  });

  test('"digest daily HH:MM" subscribes Alex at his local time and says which zone and when', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // The next whole minute at least 20 s away, so the subscription is stored before it comes.
    const now = new Date();
    const due = new Date(Math.floor(now.getTime() / 60000) * 60000 + (now.getUTCSeconds() < 40 ? 60000 : 120000));
    const at = localTime(due, ALEX.zone);
    const sent = await pg.sendMessage(pg.personalChat, `digest daily ${at}`);
    const reply = await pg.waitForMessage((m) => /Subscribed/.test(textOf(m)), { since: sent.mark, conversationId: pg.personalChat, what: 'the subscription reply' });
    t.diagnostic(`subscribed for ${at} ${ALEX.zone} (${due.toISOString()}): ${show(reply)}`);
    assert.match(textOf(reply), new RegExp(`you get your digest daily at ${at},`));
    assert.match(textOf(reply), /Europe\/Berlin, your time zone in the directory/);
    assert.match(textOf(reply), new RegExp(`Next delivery: .* ${at} Europe/Berlin`));
    subscribed = { sent, due, at };
  });

  test('the digest arrives at that minute, with an Acknowledge button', { timeout: DELIVERY_TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(subscribed, 'needs the subscription of the previous test');
    // no sleep: the wait ends when the bot posts the digest (event-driven), bounded by the due time plus a margin
    digest = await pg.waitForMessage(isDigest, {
      since: subscribed.sent.mark, conversationId: pg.personalChat,
      timeout: subscribed.due.getTime() - Date.now() + DELIVERY_MARGIN_MS, what: `the digest due at ${subscribed.at}`,
    });
    const late = digest.at - subscribed.due.getTime();
    t.diagnostic(`digest ${digest.messageId} arrived ${late} ms after ${subscribed.due.toISOString()}: ${show(digest)}`);
    assert.ok(late >= 0, `not before its time: ${late} ms early`);
    assert.match(textOf(digest), new RegExp(`Daily digest · ${subscribed.at} Europe/Berlin`));
    assert.match(textOf(digest), /Nothing is waiting for you/, 'an empty digest is still sent');
    const ack = findExecuteAction(digest, 'digest.ack');
    assert.ok(ack, `offers Acknowledge: ${show(digest)}`);
    assert.deepEqual(Object.keys(ack.data), ['deliveryId']);
  });

  test('Acknowledge replaces the card in place with "Acknowledged by Alex Wilber", and the read is recorded', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(digest, 'needs the digest of the previous test');
    const click = await pg.clickAction(digest.messageId, 'digest.ack');
    const replaced = await pg.waitForUpdate(digest.messageId, () => true, { since: click.mark, source: 'invokeResponse', what: 'the digest replaced by the click\'s answer' });
    assert.match(textOf(replaced), /Acknowledged by Alex Wilber/);
    assert.ok(!findExecuteAction(replaced, 'digest.ack'), 'no Acknowledge button once acknowledged');

    const sent = await pg.sendMessage(pg.personalChat, 'digest status');
    const status = await pg.waitForMessage((m) => /Last deliveries/.test(textOf(m)), { since: sent.mark, conversationId: pg.personalChat, what: 'the digest status' });
    assert.match(textOf(status), /acknowledged by Alex Wilber at/);

    const { status: code, json } = await e2e.bot.api('GET', `/api/v1/digests/deliveries?recipient=${encodeURIComponent(ALEX.email)}`, { key });
    assert.equal(code, 200);
    assert.equal(json.total, 1);
    assert.equal(json.items[0].acknowledgements[0].by.name, ALEX.name);
  });
});

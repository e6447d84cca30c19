'use strict';
// End-to-end: the real ApprovalBot, driven through the Microsoft 365 Agents Playground as a Teams user.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startE2E } = require('../lib/harness');
const { ADAPTIVE, adaptiveCards, cardText, messageText, findExecuteAction } = require('../lib/cards');

const SETUP_TIMEOUT_MS = 300000; // includes a cold `dotnet build` when BOT_DLL is not given
const TEST_TIMEOUT_MS = 60000;   // every wait inside is bounded by E2E_TIMEOUT_MS (15 s) already

// The welcome card: a greeting with the "Show commands" button (other cards, e.g. the unknown-command
// reply, may carry a showHelp button too, under another title).
const isWelcomeCard = (m) => findExecuteAction(m, 'showHelp')?.title === 'Show commands'
  && adaptiveCards(m).some((c) => /welcome|hello|\bhi\b/i.test(cardText(c)));
const isHelpCard = (m) => adaptiveCards(m).some((c) => /\bhelp\b/i.test(cardText(c))) && !findExecuteAction(m, 'showHelp');
const answered2xx = (x) => x.response && x.response.statusCode >= 200 && x.response.statusCode < 300;
const toBot = (x) => x.to === 'User Application';
const show = (m) => messageText(m).replace(/\s+/g, ' ').slice(0, 200);

describe('ApprovalBot in the Microsoft 365 Agents Playground', () => {
  let e2e;
  let pg;
  let welcome; // the welcome card message of the install test, clicked by a later test

  before(async () => {
    e2e = await startE2E();
    pg = e2e.pg;
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    if (e2e) await e2e.stop();
  });

  let install; // { mark } of the install, for the tests that look at what it caused

  test('installing the app in personal chat greets the user with a welcome card', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    install = await pg.installApp(pg.personalChat);
    const msg = await pg.waitForMessage(isWelcomeCard, { since: install.mark, conversationId: pg.personalChat, what: 'the welcome card' });
    welcome = msg;
    t.diagnostic(`welcome card ${msg.messageId}: ${show(msg)}`);

    assert.ok(!msg.text, `the welcome card must come without text (the Playground splits text+card and the card could not be updated): ${msg.text}`);
    assert.equal(msg.attachments.length, 1, 'exactly one attachment: the card');
    assert.equal(msg.attachments[0].contentType, ADAPTIVE);
    const button = findExecuteAction(msg, 'showHelp');
    assert.equal(button.title, 'Show commands');
    assert.match(cardText(adaptiveCards(msg)[0]), /welcome|hello|\bhi\b/i, 'the card greets the user');
  });

  test('the bot accepts both install activities, which the Playground sends at the same time', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(install, 'needs the install test');
    // POST /_debug/.../installation fires installationUpdate(add) and conversationUpdate(membersAdded)
    // concurrently, as Teams may: the bot must answer both with 2xx (no race between the two).
    for (const type of ['installationUpdate', 'conversationUpdate']) {
      const x = await pg.waitForExchange((e) => toBot(e) && e.activityName === type, { since: install.mark, what: `the ${type} exchange` });
      assert.ok(answered2xx(x), `${type} answered HTTP ${x.response?.statusCode}: ${JSON.stringify(x.response?.body).slice(0, 300)} (see .results/bot.log)`);
    }
  });

  test('"help" in personal chat returns the help card', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const sent = await pg.sendMessage(pg.personalChat, 'help');
    const msg = await pg.waitForMessage(isHelpCard, { since: sent.mark, conversationId: pg.personalChat, what: 'the help card' });
    t.diagnostic(`help card ${msg.messageId}: ${show(msg)}`);
    assert.equal(msg.conversationId, pg.personalChat);
    assert.ok(!msg.text, 'the help card comes as a card alone');
  });

  test('"@Test Bot help" in a channel returns the help card in that channel thread', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const sent = await pg.sendMessage(pg.channel, pg.mention('help'));
    // the Playground posts a new channel post; the bot gets it as a channel message with a mention entity
    const inbound = await pg.waitForExchange((e) => toBot(e) && e.activityName === 'message'
      && e.request?.body?.conversation?.id === sent.conversationId, { since: sent.mark, what: 'the channel message to the bot' });
    const activity = inbound.request.body;
    assert.equal(activity.conversation.conversationType, 'channel');
    assert.ok(activity.entities.some((e) => e.type === 'mention' && e.mentioned.id === pg.bot.id), 'carries the bot mention');
    assert.ok(answered2xx(inbound), `bot answered ${inbound.response?.statusCode}`);

    const msg = await pg.waitForMessage(isHelpCard, { since: sent.mark, conversationId: pg.channel, what: 'the help card in the channel' });
    t.diagnostic(`help card ${msg.messageId} in ${msg.conversationId}: ${show(msg)}`);
    assert.equal(msg.conversationId, sent.conversationId, 'the reply is in the thread of the post that mentioned the bot');
  });

  test('"@Test Bot help" in a group chat returns the help card in that chat', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const sent = await pg.sendMessage(pg.groupChat, pg.mention('help'));
    const msg = await pg.waitForMessage(isHelpCard, { since: sent.mark, conversationId: pg.groupChat, what: 'the help card in the group chat' });
    t.diagnostic(`help card ${msg.messageId}: ${show(msg)}`);
    assert.equal(msg.conversationId, pg.groupChat);
  });

  test('clicking "Show commands" on the welcome card replaces it in place with the help card', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(welcome, 'needs the welcome card from the install test');
    const { mark, response } = await pg.clickAction(welcome.messageId, 'showHelp');
    assert.equal(response.type, ADAPTIVE, `the invoke response carries a card: ${JSON.stringify(response).slice(0, 300)}`);

    const updated = await pg.waitForUpdate(welcome.messageId, isHelpCard, { since: mark, what: 'the welcome card to become the help card' });
    t.diagnostic(`message ${updated.messageId} replaced via ${updated.source}: ${show(updated)}`);
    assert.equal(updated.messageId, welcome.messageId, 'same message id');
    assert.ok(isHelpCard(updated));

    // what the bot received and answered: invoke adaptiveCard/action for the clicked card, HTTP 200 + card
    const x = await pg.waitForExchange((e) => toBot(e) && e.activityName === 'invoke', { since: mark, what: 'the invoke exchange' });
    const invoke = x.request.body;
    assert.equal(invoke.name, 'adaptiveCard/action');
    assert.equal(invoke.value.action.verb, 'showHelp');
    assert.equal(invoke.replyToId, welcome.messageId);
    assert.equal(x.response.statusCode, 200);
    assert.equal(x.response.body.statusCode, 200);
    assert.equal(x.response.body.type, ADAPTIVE);
  });

  test('an unknown command gets a reply that says so and shows how to get help', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const sent = await pg.sendMessage(pg.personalChat, 'helpp');
    const unknown = /unknown|not (a )?(known|recogni[sz]ed|valid)|(don.t|didn.t|do not|did not) (know|understand|recogni[sz]e)|no such command|not sure what/i;
    const replies = await pg.waitUntil(() => {
      const msgs = pg.messagesSince(sent.mark, pg.personalChat);
      const all = msgs.map(messageText).join('\n');
      return unknown.test(all) && /\bhelp\b/i.test(all) ? msgs : undefined;
    }, { what: 'a reply saying the command is unknown and mentioning help' });
    t.diagnostic(`reply: ${replies.map(show).join(' | ')}`);
  });

  test('one install, one greeting: no second welcome card for the second install activity', { timeout: TEST_TIMEOUT_MS }, () => {
    // Runs last, so that the bot has had the whole run (well over its send latency) to send a duplicate.
    assert.ok(install, 'needs the install test');
    const welcomes = pg.messagesSince(install.mark, pg.personalChat).filter(isWelcomeCard);
    assert.equal(welcomes.length, 1, `welcome cards after one install: ${welcomes.map((m) => m.messageId).join(', ')}`);
  });
});

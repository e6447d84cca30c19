'use strict';
// End-to-end: a support escalation in the Microsoft 365 Agents Playground, on the bot's real clock. An agreement with
// a one-minute P1 response target (24×7) is created through the REST API and approved in Teams by the manager, Legal
// and Management; Alex opens an escalation from the team channel; nobody at L1 acknowledges, so the durable timer
// raises it to L2; Adele (L2) acknowledges from her card and resolves it by command; Alex is told. Other users' chats are read from
// the Playground's log stream (see README, "Other users' chats").
const crypto = require('node:crypto');
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startE2E } = require('../lib/harness');
const { assertInvokeAnsweredWithCard: invokeAnsweredWithCard } = require('../lib/invoke');
const { apiKeyEnv } = require('../lib/bot');
const { BOT } = require('../lib/playground');
const { adaptiveCards, messageText, findExecuteAction } = require('../lib/cards');

const SETUP_TIMEOUT_MS = 300000; // includes a cold `dotnet build` when BOT_DLL is not given
const TEST_TIMEOUT_MS = 90000;   // every wait inside is bounded by E2E_TIMEOUT_MS (15 s) already

// The smallest response target the agreement terms take: the API counts targets in whole minutes
// (ServiceLevelDto.responseMinutes) and PriorityTarget only requires it to be positive, so one minute.
const RESPONSE_MINUTES = 1;
const RESPONSE_MS = RESPONSE_MINUTES * 60000;
// The climb comes at the deadline (a timer armed in this process wakes Quartz at once); Quartz's idle wait only
// bounds how late it can be. 1 s is Quartz's minimum; the margin also covers a slow, shared machine.
const CLIMB_MARGIN_MS = 45000;
const CLIMB_TEST_TIMEOUT_MS = RESPONSE_MS + CLIMB_MARGIN_MS + 30000;

// The mock tenant (src/ApprovalBot/Directory/directory.sample.json maps it): Teams id, aadObjectId and e-mail.
const ALEX = { id: 'user-id-0', aad: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber', email: 'alexw@example.com' };
const MEGAN = { id: 'user-id-1', aad: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen', email: 'meganb@example.com' };      // Alex's manager; L1
const ADELE = { id: 'user-id-2', aad: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance', email: 'adelev@example.com' };      // Legal; L2
const PATTI = { id: 'user-id-4', aad: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez', email: 'pattif@example.com' };  // Management; L3

const AGREEMENT = 'Fabrikam around the clock';
const TITLE = 'Mail server down';

const card = (m) => adaptiveCards(m)[0];
const show = (m) => messageText(m).replace(/\s+/g, ' ').slice(0, 300);
const textOf = (m) => messageText(m).replace(/\s+/g, ' ');
const asMessage = (response) => ({ text: undefined, attachments: [{ contentType: response.type, content: response.value }] });
/** The escalation a card is about: its refresh action carries { escalationId, version }. */
const escalationOf = (m) => card(m)?.refresh?.action?.data?.escalationId;
/** The approval request a card is about, and its stage (approval cards). */
const requestOf = (m) => card(m)?.refresh?.action?.data?.requestId;
const stageOf = (m) => card(m)?.refresh?.action?.data?.stage;
const offersDecision = (m) => Boolean(findExecuteAction(m, 'approval.approve'));
const offersAcknowledge = (m) => Boolean(findExecuteAction(m, 'escalation.acknowledge'));
const atLevel = (m, level) => new RegExp(`\\bLevel ${level}\\b`).test(textOf(m));
const isoDate = (daysFromNow) => new Date(Date.now() + daysFromNow * 86400000).toISOString().slice(0, 10);

/** Complete terms (nothing left for a submission to ask for) with short P1 targets on a 24×7 calendar. */
function terms(channelId) {
  return {
    providerName: 'Fabrikam Managed IT',
    oversightOwners: [ALEX.email],
    services: { kinds: ['HelpDesk', 'NetworkSetupAndMaintenance'] },
    coverage: 'Both',
    startDate: isoDate(-30),
    endDate: isoDate(365),
    pricing: { structure: 'MonthlyRetainer', amount: 2500, currency: 'EUR' },
    responsibilities: { ours: ['Report incidents with their priority'], provider: ['Troubleshoot and repair the hardware and software in scope'] },
    serviceLevels: [
      // resolution 4 h: its 50 % warning cannot come during the test
      { priority: 'P1', responseMinutes: RESPONSE_MINUTES, resolutionMinutes: 240, aroundTheClock: true },
      { priority: 'P2', responseMinutes: 60, resolutionMinutes: 480 },
      { priority: 'P3', responseMinutes: 240, resolutionMinutes: 2880 },
      { priority: 'P4', responseMinutes: 480, resolutionMinutes: 7200 },
    ],
    escalation: [
      { level: 'L1', people: [MEGAN.email], channelId, description: 'Service desk' },
      { level: 'L2', people: [ADELE.email], description: 'Network engineers' },
      { level: 'L3', people: [PATTI.email], description: 'Account management' },
    ],
    terminationNotice: { count: 3, unit: 'Months' },
    communicationPlan: {
      ourContacts: [{ name: 'Alex', person: ALEX.email, role: 'Service owner' }],
      providerContacts: [{ name: 'Sam Provider', email: 'sam@fabrikam.example', phone: '+1 555 0100' }],
      updateCadence: { cron: '0 9 * * MON', timeZone: 'UTC' },
      updatesGoTo: { kind: 'Channel', channelId },
    },
    kpis: { kpis: [{ kind: 'ResponseTime' }], frequency: 'Monthly' },
    businessCalendar: { timeZoneId: 'UTC', twentyFourSeven: true },
    dataProtection: {
      ourContacts: [{ name: 'Alex', person: ALEX.email, role: 'Data protection officer' }],
      providerContacts: [{ name: 'Sam Provider', email: 'sam@fabrikam.example' }],
      notificationDeadlineMinutes: 72 * 60,
    },
  };
}

describe('A support escalation in the Microsoft 365 Agents Playground', () => {
  const apiKey = crypto.randomBytes(24).toString('hex');
  let e2e;
  let pg;
  // what each step hands to the next
  let agreementId;
  let escalationId;
  let opened;        // { sent, sentAt, reply, openedAt }: the escalate message and the bot's card in the channel thread
  let l1Copies;      // { megan, post }: L1's cards (Megan's chat, the new post in the L1 channel)
  let adeleCard;     // Adele's card (L2)

  before(async () => {
    e2e = await startE2E({ botEnv: { Scheduling__IdleWaitTime: '00:00:01', ...apiKeyEnv(apiKey, ['write']) } });
    pg = e2e.pg;
    // Alex installs the app and opens his personal chat (the welcome card shows it is live) ...
    const { mark } = await pg.installApp(pg.personalChat);
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: mark, conversationId: pg.personalChat, what: 'the welcome card' });
    // ... and adds it to the team, whose General channel is L1's channel: the bot can post there only once installed
    const team = await pg.installApp(pg.channel);
    const x = await pg.waitForExchange((e) => e.to === BOT && e.activityName === 'installationUpdate' && e.request?.body?.conversation?.id === pg.channel,
      { since: team.mark, what: 'the installationUpdate of the team channel' });
    assert.ok(x.response.statusCode >= 200 && x.response.statusCode < 300, `channel install answered HTTP ${x.response.statusCode}`);
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    if (e2e) await e2e.stop();
  });

  const assertInvokeAnsweredWithCard = (click, user, verb) => invokeAnsweredWithCard(pg, click, user, verb);

  async function approveAs(user, requestId, stage, since) {
    const msg = await pg.waitForMessage((m) => requestOf(m) === requestId && stageOf(m) === stage && offersDecision(m),
      { since, forUser: user.id, what: `${user.name}'s approval card for request #${requestId}, stage ${stage}` });
    const click = await pg.clickActionAs(user.id, msg.messageId, 'approval.approve');
    await assertInvokeAnsweredWithCard(click, user, 'approval.approve');
    return click;
  }

  /** Polls the agreement through the API until check(agreement) holds; bounded. */
  async function agreementUntil(check, what, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      const res = await e2e.bot.api('GET', `/api/v1/agreements/${agreementId}`, { key: apiKey });
      assert.equal(res.status, 200, `GET agreement: ${res.text.slice(0, 300)}`);
      last = res.json;
      if (check(last)) return last;
      if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for the agreement ${what}; last: status ${last.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test('an agreement with a one-minute P1 response target, created through the API, becomes Active once the three stages approve it in Teams', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const created = await e2e.bot.api('POST', '/api/v1/agreements', { key: apiKey, body: { name: AGREEMENT, createdBy: ALEX.email, terms: terms(pg.channel) } });
    assert.equal(created.status, 201, `create: ${created.text.slice(0, 500)}`);
    assert.deepEqual(created.json.problems, [], 'the terms are complete');
    const p1 = created.json.revisions.at(-1).terms.serviceLevels.find((s) => s.priority === 'P1');
    assert.deepEqual(p1, { priority: 'P1', responseMinutes: RESPONSE_MINUTES, resolutionMinutes: 240, aroundTheClock: true });
    agreementId = created.json.id;

    const mark = pg.mark();
    const submitted = await e2e.bot.api('POST', `/api/v1/agreements/${agreementId}/submit`, { key: apiKey, body: { by: ALEX.email } });
    assert.equal(submitted.status, 202, `submit: ${submitted.text.slice(0, 500)}`);
    const requestId = submitted.json.approvalRequestId;
    assert.ok(requestId > 0);
    t.diagnostic(`agreement #${agreementId} submitted as request #${requestId}`);

    // the flow "IT support agreement": Alex's manager, then Legal, then Management, each deciding from their own chat
    const megan = await approveAs(MEGAN, requestId, 1, mark);
    const adele = await approveAs(ADELE, requestId, 2, megan.mark);
    const patti = await approveAs(PATTI, requestId, 3, adele.mark);
    assert.match(textOf(asMessage(patti.response)), /\bApproved\b/);

    const active = await agreementUntil((a) => a.status === 'Active', 'to be Active');
    assert.equal(active.activeRevision, 1);
  });

  test('"@Test Bot escalate <agreement> P1 <title>" in the channel answers with the card of E-<id> at L1, and L1 is notified', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(agreementId, 'needs the Active agreement of the first test');
    const sentAt = Date.now();
    const sent = await pg.sendMessage(pg.channel, pg.mention(`escalate ${AGREEMENT.toLowerCase()} P1 ${TITLE}`));
    const inbound = await pg.waitForExchange((e) => e.to === BOT && e.activityName === 'message' && e.request?.body?.conversation?.id === sent.conversationId,
      { since: sent.mark, what: 'the channel message to the bot' });
    assert.equal(inbound.request.body.conversation.conversationType, 'channel');
    assert.equal(inbound.request.body.from.id, ALEX.id);

    // the reply, in the thread of Alex's post: the escalation's card
    const reply = await pg.waitForMessage((m) => escalationOf(m) > 0, { since: sent.mark, conversationId: sent.conversationId, what: 'the escalation card in the channel thread' });
    const openedAt = Date.now();
    escalationId = escalationOf(reply);
    const ref = `E-${escalationId}`;
    t.diagnostic(`${ref} opened: ${show(reply)}`);
    assert.equal(reply.conversationId, sent.conversationId, 'the reply is in the thread of the post that mentioned the bot');
    assert.ok(!reply.text, 'the card comes alone');
    const text = textOf(reply);
    assert.ok(text.includes(`Opened ${ref}; L1 has been notified.`), `the card says it was opened and L1 told: ${show(reply)}`);
    assert.ok(text.includes(`${ref} ${TITLE}`), 'the card names the escalation and its title');
    assert.match(text, new RegExp(`${AGREEMENT} · P1`), 'the agreement by its own name, and the priority');
    assert.ok(atLevel(reply, 'L1'), 'at L1');
    assert.match(text, /\bOpen\b/);
    assert.match(text, /Waiting for L1 to acknowledge/);
    assert.match(text, /Reported by Alex Wilber/);
    assert.match(text, new RegExp(`Response: 0 min of ${RESPONSE_MINUTES} min · ${RESPONSE_MINUTES} min left`), 'the response clock runs against the one-minute target');

    // L1 is notified: Megan in her chat (with the button), and a new post in the L1 channel
    const megan = await pg.waitForMessage((m) => escalationOf(m) === escalationId, { since: sent.mark, forUser: MEGAN.id, what: `Megan's card of ${ref}` });
    assert.equal(megan.conversationId, pg.chatOf(MEGAN.id));
    assert.match(textOf(megan), new RegExp(`New P1 escalation for L1: acknowledge it within ${RESPONSE_MINUTES} min`));
    assert.ok(offersAcknowledge(megan), `an L1 contact may acknowledge: ${show(megan)}`);
    const post = await pg.waitForMessage((m) => escalationOf(m) === escalationId && m.messageId !== reply.messageId,
      { since: sent.mark, conversationId: pg.channel, what: `the post of ${ref} in the L1 channel` });
    assert.notEqual(post.conversationId, sent.conversationId, 'a post of its own in the channel, not a reply in Alex\'s thread');
    assert.match(textOf(post), /New P1 escalation for L1/);
    opened = { sent, sentAt, reply, openedAt };
    l1Copies = { megan, post };
  });

  test('not acknowledged within the response target, it climbs to L2: Adele gets the card and every copy says L2', { timeout: CLIMB_TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(opened, 'needs the escalation of the previous test');
    const ref = `E-${escalationId}`;
    // no sleep: the wait ends when the bot posts to Adele (event-driven), bounded by the target plus a margin
    adeleCard = await pg.waitForMessage((m) => escalationOf(m) === escalationId, {
      since: opened.sent.mark, forUser: ADELE.id, timeout: RESPONSE_MS + CLIMB_MARGIN_MS, what: `Adele's (L2) card of ${ref}`,
    });
    const climbMs = Date.now() - opened.openedAt;
    const sinceSentMs = adeleCard.at - opened.sentAt;
    t.diagnostic(`${ref} reached L2 ${climbMs} ms after the opening card arrived (${sinceSentMs} ms after the escalate message)`);
    assert.ok(sinceSentMs >= RESPONSE_MS, `not before the response target: ${sinceSentMs} ms < ${RESPONSE_MS} ms`);
    assert.equal(adeleCard.conversationId, pg.chatOf(ADELE.id), 'in the personal chat the bot has with Adele');
    assert.match(textOf(adeleCard), new RegExp(`Raised to L2: acknowledge it within ${RESPONSE_MINUTES} min`));
    assert.ok(atLevel(adeleCard, 'L2'));
    assert.ok(offersAcknowledge(adeleCard), `an L2 contact may acknowledge: ${show(adeleCard)}`);
    assert.match(textOf(adeleCard), /ApprovalBot raised it to L2: L1 did not acknowledge in time/, 'the timeline says why');

    // every earlier copy is updated in place to L2: the reply in Alex's thread and the L1 channel post (the stream),
    // Megan's card (a PUT, in the log) — Megan is no longer a contact of the current level, so her button is gone
    const since = opened.sent.mark;
    await pg.waitForUpdate(opened.reply.messageId, (m) => atLevel(m, 'L2'), { since, source: 'stream', what: `the thread's copy of ${ref} to say L2` });
    await pg.waitForUpdate(l1Copies.post.messageId, (m) => atLevel(m, 'L2'), { since, source: 'stream', what: `the L1 channel post of ${ref} to say L2` });
    const megan = await pg.waitForUpdate(l1Copies.megan.messageId, (m) => atLevel(m, 'L2'), { since, source: 'log', what: `Megan's copy of ${ref} to say L2` });
    assert.ok(!offersAcknowledge(megan), `Megan (L1) can no longer acknowledge: ${show(megan)}`);
    assert.match(textOf(megan), /Only the L2 contacts/);
  });

  test('Adele acknowledges from her card: it is replaced in place, Acknowledged, without the Acknowledge button', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(adeleCard, 'needs Adele\'s card of the previous test');
    const ref = `E-${escalationId}`;
    const click = await pg.clickActionAs(ADELE.id, adeleCard.messageId, 'escalation.acknowledge');
    assert.deepEqual(Object.keys(click.invoke.value.action.data).sort(), ['escalationId', 'version']);
    await assertInvokeAnsweredWithCard(click, ADELE, 'escalation.acknowledge');

    const replaced = await pg.waitForUpdate(adeleCard.messageId, () => true, { since: click.mark, source: 'invokeResponse', what: `Adele's card of ${ref} replaced by the click's answer` });
    assert.equal(replaced.conversationId, pg.chatOf(ADELE.id));
    assert.equal(escalationOf(replaced), escalationId);
    const text = textOf(replaced);
    assert.match(text, /Acknowledged\. The response clock has stopped\./, `the answer says what happened: ${show(replaced)}`);
    assert.match(text, /Acknowledged by Adele Vance/);
    assert.ok(atLevel(replaced, 'L2'));
    assert.ok(!offersAcknowledge(replaced), `no Acknowledge button any more: ${show(replaced)}`);
    // the response SLA counts from the opening against the target (L1's deadline), so it was missed: the clock stopped
    assert.match(text, new RegExp(`Response: missed by \\d+ min · took \\d+ min of ${RESPONSE_MINUTES} min`), 'the response clock stopped, the SLA missed by L1');
    assert.match(text, /Adele Vance acknowledged it/, 'the timeline has the acknowledgement');

    // the shared copies follow: the thread reply in the channel says Acknowledged too
    const thread = await pg.waitForUpdate(opened.reply.messageId, (m) => /Acknowledged by Adele Vance/.test(textOf(m)),
      { since: click.mark, source: 'stream', what: `the thread's copy of ${ref} to say Acknowledged` });
    assert.ok(!offersAcknowledge(thread));
  });

  test('Adele types "resolve E-<id> <note>": her answer, the reporter\'s card and every copy say Resolved, with the note', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(adeleCard, 'needs the acknowledged escalation of the previous test');
    const ref = `E-${escalationId}`;
    const note = 'Replaced the failed switch; mail flows again.';
    const adeleChat = pg.chatOf(ADELE.id);
    const sent = await pg.sendMessage(adeleChat, `resolve ${ref} ${note}`, ADELE.id);
    const inbound = await pg.waitForExchange((e) => e.to === BOT && e.activityName === 'message' && e.request?.body?.conversation?.id === adeleChat,
      { since: sent.mark, what: 'Adele\'s resolve message to the bot' });
    assert.equal(inbound.request.body.from.id, ADELE.id, 'the bot sees Adele as the sender');

    // her answer: the escalation's card in her chat, resolved, saying the reporter has her note
    const answer = await pg.waitForMessage((m) => escalationOf(m) === escalationId, { since: sent.mark, forUser: ADELE.id, what: `the answer to resolve ${ref} in Adele's chat` });
    t.diagnostic(`resolve answered: ${show(answer)}`);
    const text = textOf(answer);
    assert.ok(text.includes('Resolved: both clocks have stopped. The reporter has the card with your note.'), `the answer says what happened: ${show(answer)}`);
    assert.match(text, /Resolved by Adele Vance/);
    assert.ok(text.includes(note), 'with the note');
    assert.ok(!offersAcknowledge(answer) && !findExecuteAction(answer, 'escalation.resolve'), 'nothing left to acknowledge or resolve');

    // Alex, who reported it, gets the card with her note in his personal chat
    const told = await pg.waitForMessage((m) => escalationOf(m) === escalationId, { since: sent.mark, conversationId: pg.personalChat, what: `the reporter's card of ${ref}` });
    assert.ok(textOf(told).includes(`Resolved by Adele Vance: ${note}`), `the reporter is told who resolved it and how: ${show(told)}`);

    // every earlier copy is updated in place: the thread reply and the L1 post (stream), Megan's and Adele's cards (log)
    const copies = [['the thread\'s copy', opened.reply, 'stream'], ['the L1 channel post', l1Copies.post, 'stream'],
      ['Megan\'s card', l1Copies.megan, 'log'], ['Adele\'s first card', adeleCard, 'log']];
    for (const [what, msg, source] of copies) {
      const upd = await pg.waitForUpdate(msg.messageId, (m) => /Resolved by Adele Vance/.test(textOf(m)),
        { since: sent.mark, source, what: `${what} of ${ref} to say Resolved` });
      assert.ok(textOf(upd).includes(note), `${what} shows the note`);
      assert.equal(findExecuteAction(upd, 'escalation.resolve'), undefined, `${what}: nothing left to resolve`);
    }
  });
});

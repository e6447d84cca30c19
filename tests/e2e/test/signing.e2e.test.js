'use strict';
// End-to-end: signing an agreement and its announcement in a channel (issue 10), in the Microsoft 365 Agents Playground.
//
// The bot is configured as the sample configuration ships it, through its environment (startE2E botEnv):
//   Agreements:Signing:Signatories:"IT support agreement" = "group:Management; provider" — Patti and Lynne (Management)
//     and the provider's signatory, the provider contact of the communication plan whose role mentions "signatory".
//     The mock tenant has no guest, so Megan plays the provider's signatory (a contact with a Teams person), as in the
//     integration test (AgreementSigningTests).
//   Agreements:Announcement:Channels = IT → the Playground team's General channel (`team-id`), Operations → the team's
//     other channel ("Announcements", channel-announcements-id), which the bot never hears from, and Finance → a
//     channel of a team the bot is not installed in (19:finance-department@thread.tacv2, the sample's id).
// The agreement is created through the REST API (a write key) with its final contract, a small PDF uploaded through the
// API, so the hash on the signing card is that document's SHA-256, computed here. It is approved in Teams by the
// manager, Legal, the provider (Megan accepts the final draft on the negotiation card) and Management (clicks as
// Megan, Adele, Megan, Patti in the chats the bot opens with them) and awaits
// signatures; each signatory signs on their card by typing their full name (Action.Execute as that user, with the
// typedName input); the last signature makes it Active; the announcement card is posted in the channel with
// Acknowledge, and one acknowledgement updates it in place.
//
// What the Playground cannot do, and the nearest real way taken:
// - The bot must be "in" the channel: the announcement goes only to channels whose conversation the bot keeps (Teams
//   gives it at installation into a team). POST /_debug/conversation/team-id/installation is the Playground's
//   install into the team: the bot gets installationUpdate and conversationUpdate (teamMemberAdded) with
//   channelData.channel.id = team-id, keeps that conversation, and posts there. Like Teams, activities come from the
//   General channel only; the team's other channel ("Announcements", channel-announcements-id) is learnt the way the
//   bot learns it in Teams: the install lists the team's channels (GET /v3/teams/team-id/conversations, which the
//   Playground serves), so the announcement is posted there too. The Finance channel (no team with the bot) is
//   recorded as not reached, and Alex, who asked for the approval and owns the agreement, is told.
// - A non-signatory cannot click Sign in Teams: the card goes only to the signatories' 1:1 chats, and the Playground
//   lets only a chat's member click in it (HTTP 400 UserNotFound for anyone else). The attempt is therefore the
//   Action.Execute with the signing verb sent as Adele from her own chat (replyToId: her approval card), which is what
//   a tampered or forwarded card would send (pg.sendActionAs). A wrongly typed name goes through the real card.
// Other users' chats are read from the Playground's log stream (see README, "Other users' chats").
const crypto = require('node:crypto');
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startE2E } = require('../lib/harness');
const { assertInvokeAnsweredWithCard: invokeAnsweredWithCard } = require('../lib/invoke');
const { apiKeyEnv } = require('../lib/bot');
const { BOT, PLAYGROUND } = require('../lib/playground');
const { adaptiveCards, messageText, findExecuteAction } = require('../lib/cards');

const SETUP_TIMEOUT_MS = 300000; // includes a cold `dotnet build` when BOT_DLL is not given
const TEST_TIMEOUT_MS = 90000;   // every wait inside is bounded by E2E_TIMEOUT_MS (15 s) already

// The mock tenant (src/ApprovalBot/Directory/directory.sample.json maps it): Teams id, aadObjectId and e-mail.
const ALEX = { id: 'user-id-0', aad: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber', email: 'alexw@example.com' };
const MEGAN = { id: 'user-id-1', aad: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen', email: 'meganb@example.com' };      // Alex's manager; the provider's signatory
const ADELE = { id: 'user-id-2', aad: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance', email: 'adelev@example.com' };      // Legal; not a signatory
const PATTI = { id: 'user-id-4', aad: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez', email: 'pattif@example.com' };  // Management
const LYNNE = { id: 'user-id-5', aad: '00000000-0000-0000-0000-0000000000025', name: 'Lynne Robbins', email: 'lynner@example.com' };    // Management
const SIGNATORIES = [PATTI, LYNNE, MEGAN]; // the order of the configuration: group:Management (directory order), then provider

// The Playground's built-in team: its General channel's id is the team's (checked in before()).
const GENERAL = 'team-id';
const FINANCE = '19:finance-department@thread.tacv2';
// The Playground team's other channel: the bot hears nothing from it, and learns it from the team's channel list.
const ANNOUNCEMENTS = 'channel-announcements-id';

const AGREEMENT = 'Northwind desk-side support';
const CONTRACT_NAME = 'northwind-contract-final.pdf';
// A minimal PDF (the bot recognises PDF by its %PDF- header); unique per run, so its hash is too.
const CONTRACT = Buffer.from(`%PDF-1.4\n% ${AGREEMENT}: final contract, e2e run ${process.pid}-${Date.now()}\n%%EOF\n`, 'utf8');
const CONTRACT_SHA256 = crypto.createHash('sha256').update(CONTRACT).digest('hex');

const SIGN = 'agreement.sign';
const NEGOTIATION_ACCEPT = 'agreement.negotiation.accept';
const ACK = 'agreement.announcement.ack';

const card = (m) => adaptiveCards(m)[0];
const show = (m) => messageText(m).replace(/\s+/g, ' ').slice(0, 300);
const textOf = (m) => messageText(m).replace(/\s+/g, ' ');
const asMessage = (response) => ({ text: undefined, attachments: [{ contentType: response.type, content: response.value }] });
const requestOf = (m) => card(m)?.refresh?.action?.data?.requestId;
const stageOf = (m) => card(m)?.refresh?.action?.data?.stage;
const offersDecision = (m) => Boolean(findExecuteAction(m, 'approval.approve'));
const offersSign = (m) => Boolean(findExecuteAction(m, SIGN));
const offersAck = (m) => Boolean(findExecuteAction(m, ACK));
/** A signing card of the agreement: the "Signing" card names it and shows the hash (with or without the Sign button). */
const isSigningCard = (m) => /^Signing\b/.test(textOf(m)) && textOf(m).includes(AGREEMENT) && textOf(m).includes(CONTRACT_SHA256);
const isAnnouncement = (m) => textOf(m).includes('New agreement in force') && textOf(m).includes(AGREEMENT);
const isoDate = (daysFromNow) => new Date(Date.now() + daysFromNow * 86400000).toISOString().slice(0, 10);

/** Complete terms; the provider's signatory is Megan (a provider contact with a Teams person and a signatory role). */
function terms() {
  return {
    providerName: 'Northwind Traders IT',
    oversightOwners: [ALEX.email],
    services: { kinds: ['HelpDesk', 'HardwareTroubleshooting'] },
    coverage: 'Both',
    startDate: isoDate(-1),
    endDate: isoDate(365),
    pricing: { structure: 'MonthlyRetainer', amount: 1800, currency: 'EUR' },
    responsibilities: { ours: ['Report incidents with their priority'], provider: ['Repair the hardware in scope'] },
    serviceLevels: [
      { priority: 'P1', responseMinutes: 30, resolutionMinutes: 240, aroundTheClock: true },
      { priority: 'P2', responseMinutes: 60, resolutionMinutes: 480 },
      { priority: 'P3', responseMinutes: 240, resolutionMinutes: 2880 },
      { priority: 'P4', responseMinutes: 480, resolutionMinutes: 7200 },
    ],
    escalation: [
      { level: 'L1', people: [ADELE.email], description: 'Service desk' },
      { level: 'L2', people: [LYNNE.email], description: 'Field engineers' },
      { level: 'L3', people: [PATTI.email], description: 'Account management' },
    ],
    terminationNotice: { count: 3, unit: 'Months' },
    communicationPlan: {
      ourContacts: [{ name: 'Alex', person: ALEX.email, role: 'Service owner' }],
      providerContacts: [
        { name: 'Sam Provider', email: 'sam@northwind.example', phone: '+1 555 0100', role: 'Service manager' },
        { name: 'Megan Bowen', person: MEGAN.email, role: 'Authorised signatory' },
      ],
      updateCadence: { cron: '0 9 * * MON', timeZone: 'UTC' },
      updatesGoTo: { kind: 'OneToOne', person: ALEX.email },
    },
    kpis: { kpis: [{ kind: 'ResponseTime' }], frequency: 'Monthly' },
    businessCalendar: { timeZoneId: 'UTC', twentyFourSeven: true },
    dataProtection: {
      ourContacts: [{ name: 'Alex', person: ALEX.email, role: 'Data protection officer' }],
      providerContacts: [{ name: 'Sam Provider', email: 'sam@northwind.example' }],
      notificationDeadlineMinutes: 72 * 60,
    },
  };
}

describe('Signing an agreement and its announcement in a channel, in the Microsoft 365 Agents Playground', () => {
  const apiKey = crypto.randomBytes(24).toString('hex');
  let e2e;
  let pg;
  // what each step hands to the next
  let agreementId;
  const approvalCards = {}; // user id -> that user's approval card (a message of their chat)
  const signingCards = {};  // user id -> that signatory's signing card
  let lastSignature;       // { mark, at }: just before the last signature
  let announcement;        // the announcement post in the channel

  before(async () => {
    e2e = await startE2E({
      botEnv: {
        ...apiKeyEnv(apiKey, ['write']),
        'Agreements__Signing__Signatories__IT support agreement': 'group:Management; provider',
        Agreements__Announcement__Channels__0__Department: 'IT',
        Agreements__Announcement__Channels__0__ChannelId: GENERAL,
        Agreements__Announcement__Channels__1__Department: 'Operations',
        Agreements__Announcement__Channels__1__ChannelId: ANNOUNCEMENTS,
        Agreements__Announcement__Channels__2__Department: 'Finance',
        Agreements__Announcement__Channels__2__ChannelId: FINANCE,
      },
    });
    pg = e2e.pg;
    assert.equal(pg.channel, GENERAL, 'the Playground team\'s General channel has the id the bot was configured with');
    // Alex installs the app and opens his personal chat (the welcome card shows it is live) ...
    const { mark } = await pg.installApp(pg.personalChat);
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: mark, conversationId: pg.personalChat, what: 'the welcome card' });
    // ... and adds it to the team: the bot keeps the General channel's conversation, so it can announce there
    const team = await pg.installApp(pg.channel);
    const x = await pg.waitForExchange((e) => e.to === BOT && e.activityName === 'installationUpdate' && e.request?.body?.conversation?.id === pg.channel,
      { since: team.mark, what: 'the installationUpdate of the team channel' });
    assert.ok(x.response.statusCode >= 200 && x.response.statusCode < 300, `channel install answered HTTP ${x.response.statusCode}`);
    // the bot greets the channel: once that post is there, the install has been stored
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: team.mark, conversationId: pg.channel, what: 'the bot\'s greeting in the channel' });
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    if (e2e) await e2e.stop();
  });

  const assertInvokeAnsweredWithCard = (click, user, verb) => invokeAnsweredWithCard(pg, click, user, verb);

  async function approveAs(user, requestId, stage, since) {
    const msg = await pg.waitForMessage((m) => requestOf(m) === requestId && stageOf(m) === stage && offersDecision(m),
      { since, forUser: user.id, what: `${user.name}'s approval card for request #${requestId}, stage ${stage}` });
    approvalCards[user.id] = msg;
    const click = await pg.clickActionAs(user.id, msg.messageId, 'approval.approve');
    await assertInvokeAnsweredWithCard(click, user, 'approval.approve');
    return click;
  }

  async function getAgreement() {
    const res = await e2e.bot.api('GET', `/api/v1/agreements/${agreementId}`, { key: apiKey });
    assert.equal(res.status, 200, `GET agreement: ${res.text.slice(0, 300)}`);
    return res.json;
  }

  /** Polls the agreement through the API until check(agreement) holds; bounded. */
  async function agreementUntil(check, what, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = await getAgreement();
      if (check(last)) return last;
      if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for the agreement ${what}; last: status ${last.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Signs on `user`'s signing card by typing `typedName` into it; returns the click and the answer as a message. */
  async function sign(user, typedName) {
    const click = await pg.clickActionAs(user.id, signingCards[user.id].messageId, SIGN, {}, { inputs: { typedName } });
    assert.deepEqual(Object.keys(click.invoke.value.action.data).sort(), ['agreementId', 'revision', 'sha256', 'typedName']);
    assert.equal(click.invoke.value.action.data.typedName, typedName);
    await assertInvokeAnsweredWithCard(click, user, SIGN);
    return { click, answer: asMessage(click.response) };
  }

  test('approved by the manager and Legal, accepted by the provider, approved by Management, the agreement awaits signatures: each signatory gets the signing card with the final contract\'s SHA-256', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const started = Date.now();
    const lap = (what) => t.diagnostic(`${what} at +${Date.now() - started} ms`);
    const created = await e2e.bot.api('POST', '/api/v1/agreements', { key: apiKey, body: { name: AGREEMENT, createdBy: ALEX.email, terms: terms() } });
    assert.equal(created.status, 201, `create: ${created.text.slice(0, 500)}`);
    assert.deepEqual(created.json.problems, [], 'the terms are complete');
    agreementId = created.json.id;

    // the final contract, as a file: the raw body, its name and kind in the query
    const q = new URLSearchParams({ kind: 'FinalContract', fileName: CONTRACT_NAME, by: ALEX.email });
    const uploaded = await e2e.bot.api('POST', `/api/v1/agreements/${agreementId}/documents?${q}`, { key: apiKey, body: CONTRACT, contentType: 'application/pdf' });
    assert.equal(uploaded.status, 201, `upload: ${uploaded.text.slice(0, 500)}`);
    assert.equal(uploaded.json.document.sha256, CONTRACT_SHA256, 'the bot records the SHA-256 of the bytes sent');
    assert.equal(uploaded.json.document.kind, 'FinalContract');

    const mark = pg.mark();
    const submitted = await e2e.bot.api('POST', `/api/v1/agreements/${agreementId}/submit`, { key: apiKey, body: { by: ALEX.email } });
    assert.equal(submitted.status, 202, `submit: ${submitted.text.slice(0, 500)}`);
    const requestId = submitted.json.approvalRequestId;
    lap(`agreement #${agreementId} submitted as request #${requestId}`);

    const megan = await approveAs(MEGAN, requestId, 1, mark);
    const adele = await approveAs(ADELE, requestId, 2, megan.mark);
    // After Legal the final draft goes to the provider's contacts reachable in Teams (Megan plays the provider): she
    // accepts it on the negotiation card, and the agreement is "agreed upon" before Management's stage.
    const offer = await pg.waitForMessage((m) => Boolean(findExecuteAction(m, NEGOTIATION_ACCEPT)),
      { since: adele.mark, forUser: MEGAN.id, what: 'the provider\'s negotiation card (Megan)' });
    const accepted = await pg.clickActionAs(MEGAN.id, offer.messageId, NEGOTIATION_ACCEPT);
    await assertInvokeAnsweredWithCard(accepted, MEGAN, NEGOTIATION_ACCEPT);
    lap('the provider accepted the final draft');
    const patti = await approveAs(PATTI, requestId, 3, accepted.mark);
    lap('approved by Megan, Adele and Patti');

    // final approval does not activate it: it awaits the signatures
    const awaiting = await agreementUntil((a) => a.status === 'AwaitingSignatures', 'to await signatures');
    assert.ok(awaiting.activeRevision == null, 'not in force yet');
    const version = awaiting.version;

    for (const user of SIGNATORIES) {
      const msg = await pg.waitForMessage((m) => isSigningCard(m) && offersSign(m),
        { since: patti.mark, forUser: user.id, what: `${user.name}'s signing card` });
      signingCards[user.id] = msg;
      assert.equal(msg.conversationId, pg.chatOf(user.id), `${user.name}'s card is in the personal chat the bot has with ${user.name}`);
      assert.ok(!msg.text, 'the card comes alone');
      const text = textOf(msg);
      assert.ok(text.includes(`SHA-256 of the final contract \u201c${CONTRACT_NAME}\u201d`), `the card says what the hash is of: ${show(msg)}`);
      assert.ok(text.includes(CONTRACT_SHA256), 'the card shows the contract\'s full SHA-256');
      assert.match(text, /Approved, awaiting signatures: 0 of 3 signed\./);
      assert.match(text, /not a qualified electronic signature/, 'the card says what the signature is not');
      for (const s of SIGNATORIES) assert.ok(text.includes(`${s.name} not signed yet`), `${s.name} is listed as a signatory: ${show(msg)}`);
      const action = findExecuteAction(msg, SIGN);
      assert.deepEqual(action.data, { agreementId, revision: 1, sha256: CONTRACT_SHA256 }, 'Sign carries the revision and the hash the card shows');
      const input = card(msg).body.find((e) => e.type === 'Input.Text' && e.id === 'typedName');
      assert.ok(input && input.isRequired, 'a required box for the typed name');
    }
    lap('signing cards received by Patti, Lynne and Megan');
    // nobody else gets one: Adele (Legal) approved but does not sign
    assert.equal(pg.messagesSince(patti.mark, undefined, { forUser: ADELE.id }).filter(isSigningCard).length, 0, 'Adele gets no signing card');
    assert.equal((await getAgreement()).version, version);
  });

  test('a wrongly typed name and a non-signatory\'s attempt are refused with a clear message, and nothing changes', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(signingCards[PATTI.id], 'needs the signing cards of the first test');
    const before = await getAgreement();
    assert.equal(before.status, 'AwaitingSignatures');

    // Patti types a name that is not hers: her card comes back with the error, the box and Sign still there
    const wrong = await sign(PATTI, 'Patricia Fernandez');
    t.diagnostic(`wrong name answered: ${show(wrong.answer)}`);
    assert.match(textOf(wrong.answer), /The name you typed is not your full name as the directory has it/);
    assert.match(textOf(wrong.answer), /Nothing was recorded\./);
    assert.ok(offersSign(wrong.answer), 'she can still sign');
    assert.match(textOf(wrong.answer), /0 of 3 signed/);
    assert.ok(textOf(wrong.answer).includes(`${PATTI.name} not signed yet`));

    // Adele, who is not a signatory, sends Sign with the card's data and her own name, from her chat
    const data = { ...findExecuteAction(signingCards[PATTI.id], SIGN).data, typedName: ADELE.name };
    const foreign = await pg.sendActionAs(ADELE.id, pg.chatOf(ADELE.id), approvalCards[ADELE.id].messageId, SIGN, data);
    await assertInvokeAnsweredWithCard(foreign, ADELE, SIGN);
    const refused = asMessage(foreign.response);
    t.diagnostic(`non-signatory answered: ${show(refused)}`);
    assert.ok(textOf(refused).includes(`You are not a signatory of '${AGREEMENT}': your signature was refused, and the attempt is on record.`), show(refused));
    assert.ok(!offersSign(refused), 'no Sign button for her');

    // nothing changed: still awaiting, the same version, and no signing card was updated by the bot
    const after = await getAgreement();
    assert.equal(after.status, 'AwaitingSignatures');
    assert.equal(after.version, before.version, 'the agreement is unchanged');
    for (const user of SIGNATORIES) {
      const byBot = pg.updatesOf(signingCards[user.id].messageId, wrong.click.mark).filter((u) => u.source !== 'invokeResponse');
      assert.deepEqual(byBot.map(show), [], `${user.name}'s signing card was not updated`);
    }
    // (the next test proves no signature counted: after Patti's, two more are needed)
  });

  test('each signatory signs by typing their name; the last signature makes the agreement Active and every card says so', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(signingCards[MEGAN.id], 'needs the signing cards of the first test');
    const started = Date.now();
    const lap = (what) => t.diagnostic(`${what} at +${Date.now() - started} ms`);

    // case and spacing do not matter
    const patti = await sign(PATTI, '  patti   FERNANDEZ ');
    assert.ok(textOf(patti.answer).includes(`Signed. 2 more signatures are needed before '${AGREEMENT}' becomes Active.`), show(patti.answer));
    assert.ok(!offersSign(patti.answer), 'signed: no Sign button left for her');
    assert.match(textOf(patti.answer), /1 of 3 signed/);
    // who, when, and what she typed, as typed (messageText keeps the spacing; textOf collapses it)
    assert.match(textOf(patti.answer), /Patti Fernandez signed \d{4}-\d\d-\d\d \d\d:\d\d UTC as \u201cpatti FERNANDEZ\u201d/, show(patti.answer));
    assert.ok(messageText(patti.answer).includes('as \u201cpatti   FERNANDEZ\u201d'), 'the typed name is recorded as typed');
    // the other signatories' cards are updated in place (a PUT into their chats)
    for (const user of [LYNNE, MEGAN]) {
      const upd = await pg.waitForUpdate(signingCards[user.id].messageId, (m) => /1 of 3 signed/.test(textOf(m)),
        { since: patti.click.mark, source: 'log', what: `${user.name}'s signing card to show Patti's signature` });
      assert.ok(offersSign(upd), `${user.name} can still sign`);
    }
    lap('Patti signed; the other cards show it');

    const lynne = await sign(LYNNE, LYNNE.name);
    assert.ok(textOf(lynne.answer).includes(`Signed. 1 more signature is needed before '${AGREEMENT}' becomes Active.`), show(lynne.answer));
    assert.equal((await getAgreement()).status, 'AwaitingSignatures', 'not Active before the last signature');
    lap('Lynne signed');

    lastSignature = { mark: pg.mark(), at: Date.now() };
    const megan = await sign(MEGAN, MEGAN.name);
    lap('Megan signed (the last signature)');
    t.diagnostic(`last signature answered: ${show(megan.answer)}`);
    assert.ok(textOf(megan.answer).includes(`Signed. That was the last signature: '${AGREEMENT}' is now Active.`), show(megan.answer));
    assert.ok(textOf(megan.answer).includes(`Signed by every signatory: ${AGREEMENT} is Active.`));
    assert.ok(!offersSign(megan.answer));

    // Active with no admin step
    const active = await getAgreement();
    assert.equal(active.status, 'Active');
    assert.equal(active.activeRevision, 1);
    assert.ok(active.activatedAt, 'activatedAt is set');

    // every copy of the signing card says so, with each signature: who, when, what they typed, on the contract's hash
    for (const user of [PATTI, LYNNE]) {
      const upd = await pg.waitForUpdate(signingCards[user.id].messageId, (m) => textOf(m).includes('Signed by every signatory'),
        { since: lastSignature.mark, source: 'log', what: `${user.name}'s signing card to say the agreement is Active` });
      const text = textOf(upd);
      assert.ok(!offersSign(upd), `${user.name}'s card has no Sign button`);
      assert.ok(text.includes(CONTRACT_SHA256), 'still showing the hash signed');
      for (const [s, typed] of [[PATTI, 'patti FERNANDEZ'], [LYNNE, LYNNE.name], [MEGAN, MEGAN.name]]) {
        assert.ok(new RegExp(`${s.name} signed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC as \u201c${typed}\u201d`).test(text), `${user.name}'s card lists ${s.name}'s signature: ${show(upd)}`);
      }
    }
    lap('every signing card says Active');
  });

  test('the announcement card appears in the channel with Acknowledge, and in the team\'s other channel learnt from its channel list; the channel of a team without the bot is recorded as not reached', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(lastSignature, 'needs the last signature of the previous test');
    announcement = await pg.waitForMessage(isAnnouncement, { since: lastSignature.mark, conversationId: pg.channel, what: 'the announcement in the channel' });
    t.diagnostic(`announcement ${announcement.messageId} posted ${announcement.at - lastSignature.at} ms after the last signature was sent: ${show(announcement)}`);
    assert.ok(announcement.conversationId.startsWith(`${GENERAL};messageid=`), `a new post in the General channel: ${announcement.conversationId}`);
    assert.ok(!announcement.text, 'the card comes alone');
    const text = textOf(announcement);
    assert.ok(text.includes(`${AGREEMENT} is in force from`), `it says the agreement is in force: ${show(announcement)}`);
    assert.match(text, /Read the key terms below and acknowledge for your department\./);
    for (const fact of ['Northwind Traders IT', 'Help desk', 'Response and resolution targets', 'Escalation contacts', 'Communication plan', `escalate ${AGREEMENT} P1 <title>`]) {
      assert.ok(text.toLowerCase().includes(fact.toLowerCase()), `the card has "${fact}": ${show(announcement)}`);
    }
    assert.match(text, /Not acknowledged yet\./);
    const ack = findExecuteAction(announcement, ACK);
    assert.ok(ack, 'Acknowledge is on the card');
    assert.deepEqual(ack.data, { agreementId, revision: 1 });
    assert.equal(pg.messagesSince(lastSignature.mark, pg.channel).filter(isAnnouncement).length, 1, 'one announcement in the channel');

    // the team's other channel, which the bot knows only from the team's channel list, got its copy too (the
    // Playground keeps the current user's channel posts apart from General's stream, so its connector log is read)
    const posted = await pg.waitForExchange((e) => e.from === BOT && e.to === PLAYGROUND && e.activityName === 'message'
      && [e.conversationId, e.request?.body?.conversation?.id].some((id) => String(id || '').split(';')[0] === ANNOUNCEMENTS) && isAnnouncement({ text: e.request?.body?.text, attachments: e.request?.body?.attachments || [] }),
    { since: lastSignature.mark, what: 'the announcement posted in the Announcements channel' });
    assert.ok(posted.response.statusCode >= 200 && posted.response.statusCode < 300, `the Announcements channel's post answered HTTP ${posted.response.statusCode}`);

    // the API says where it went: IT and Operations reached, Finance not (the bot is in no team with that channel)
    const res = await e2e.bot.api('GET', `/api/v1/agreements/${agreementId}/announcement`, { key: apiKey });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    const [current] = res.json.announcements;
    assert.equal(current.revision, 1);
    assert.equal(current.current, true);
    assert.deepEqual(current.channels.map((c) => [c.department, c.channelId, c.reached]), [['IT', GENERAL, true], ['Operations', ANNOUNCEMENTS, true], ['Finance', FINANCE, false]]);
    assert.match(current.channels[2].notReachedReason, /not installed/);
    assert.deepEqual(current.acknowledgements, []);

    // Alex (who asked for the approval and owns the agreement) is told which channel missed it
    const told = await pg.waitForMessage((m) => textOf(m).includes(`Announcement not delivered everywhere: ${AGREEMENT}`),
      { since: lastSignature.mark, conversationId: pg.personalChat, what: 'the notice that Finance was not reached' });
    assert.ok(textOf(told).includes(`Finance (${FINANCE})`), show(told));
  });

  test('Adele acknowledges in the channel: the card is updated in place with her acknowledgement', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    assert.ok(announcement, 'needs the announcement of the previous test');
    const clickedAt = Date.now();
    const click = await pg.clickActionAs(ADELE.id, announcement.messageId, ACK);
    const x = await assertInvokeAnsweredWithCard(click, ADELE, ACK);
    assert.equal(x.request.body.conversation.conversationType, 'channel', 'clicked in the channel');
    assert.equal(x.request.body.conversation.id, announcement.conversationId);

    // her click's answer replaces the card she clicked ...
    const answer = asMessage(click.response);
    const acknowledged = new RegExp(`Acknowledged by • ${ADELE.name} \\(IT\\), `);
    const ackLine = (m) => textOf(m).slice(Math.max(0, textOf(m).indexOf('Acknowledged by')));   // the card's end: who acknowledged
    t.diagnostic(`acknowledge answered with the card: ${ackLine(answer)}`);
    assert.match(textOf(answer), acknowledged, `the card lists her acknowledgement with the department: ${show(answer)}`);
    assert.doesNotMatch(textOf(answer), /Not acknowledged yet/);
    assert.ok(offersAck(answer), 'the others can still acknowledge');

    // ... and the bot updates the channel's post in place for everyone (a PUT: updateMessage on the stream)
    const updated = await pg.waitForUpdate(announcement.messageId, (m) => acknowledged.test(textOf(m)),
      { since: click.mark, source: 'stream', what: 'the channel\'s announcement post to show Adele\'s acknowledgement' });
    t.diagnostic(`post updated in place ${updated.at - clickedAt} ms after the click: ${ackLine(updated)}`);
    assert.ok(isAnnouncement(updated), 'still the announcement');
    assert.equal(pg.messagesSince(click.mark, pg.channel).length, 0, 'updated in place: no new post in the channel');

    const res = await e2e.bot.api('GET', `/api/v1/agreements/${agreementId}/announcement`, { key: apiKey });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.announcements[0].acknowledgements.map((a) => [a.by.name, a.department, a.channelId]), [[ADELE.name, 'IT', GENERAL]]);
  });
});

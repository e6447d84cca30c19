'use strict';
// End-to-end: approvals across several Teams users. Alex (the Playground's current user) drafts and
// submits; Megan, Legal and Management decide from the cards the bot sends to their own chats, which
// the bot opens proactively. The Playground keeps other users' chats off its conversation stream, so
// their cards are read from its log stream (see README, "Other users' chats").
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startE2E } = require('../lib/harness');
const { BOT } = require('../lib/playground');
const { ADAPTIVE, adaptiveCards, cardActions, messageText, findExecuteAction } = require('../lib/cards');

const SETUP_TIMEOUT_MS = 300000; // includes a cold `dotnet build` when BOT_DLL is not given
const TEST_TIMEOUT_MS = 90000;   // every wait inside is bounded by E2E_TIMEOUT_MS (15 s) already

// The mock tenant (src/ApprovalBot/Directory/directory.sample.json maps it): Teams id and aadObjectId.
const ALEX = { id: 'user-id-0', aad: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const MEGAN = { id: 'user-id-1', aad: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };   // Alex's manager
const ADELE = { id: 'user-id-2', aad: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };   // Legal
const ISAIAH = { id: 'user-id-3', aad: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' }; // Legal
const PATTI = { id: 'user-id-4', aad: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' }; // Management
const LYNNE = { id: 'user-id-5', aad: '00000000-0000-0000-0000-0000000000025', name: 'Lynne Robbins' };  // Management

const card = (m) => adaptiveCards(m)[0];
const show = (m) => messageText(m).replace(/\s+/g, ' ').slice(0, 240);
const textOf = (m) => messageText(m).replace(/\s+/g, ' ');
/** The approval request a card is about: its refresh action carries { requestId, revision, stage }. */
const requestOf = (m) => card(m)?.refresh?.action?.data?.requestId;
const stageOf = (m) => card(m)?.refresh?.action?.data?.stage;
const refreshUsers = (m) => [...(card(m)?.refresh?.userIds || [])].sort();
/** Does the card let its reader decide (Approve / Reject)? */
const offersDecision = (m) => Boolean(findExecuteAction(m, 'approval.approve') || findExecuteAction(m, 'approval.reject'));
const isPlainText = (m) => Boolean(m.text) && adaptiveCards(m).length === 0;
const asMessage = (response) => ({ text: undefined, attachments: [{ contentType: response.type, content: response.value }] });

describe('Approvals across users in the Microsoft 365 Agents Playground', () => {
  let e2e;
  let pg;

  before(async () => {
    e2e = await startE2E();
    pg = e2e.pg;
    // Alex installs the app and opens his personal chat (the welcome card shows it is live)
    const { mark } = await pg.installApp(pg.personalChat);
    await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'showHelp')), { since: mark, conversationId: pg.personalChat, what: 'the welcome card' });
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    if (e2e) await e2e.stop();
  });

  /**
   * The exchange in which the bot got this click and what it answered: an invoke adaptiveCard/action
   * from `user` (Teams id and aadObjectId), answered HTTP 200 with { statusCode: 200, type: card, value }.
   */
  async function assertInvokeAnsweredWithCard(click, user, verb) {
    const x = await pg.waitForExchange((e) => e.to === BOT && e.activityName === 'invoke' && e.request?.body?.replyToId === click.invoke.replyToId
      && e.request.body.value?.action?.verb === verb, { since: click.mark, what: `the ${verb} invoke exchange` });
    const activity = x.request.body;
    assert.equal(activity.name, 'adaptiveCard/action');
    assert.equal(activity.from.id, user.id, 'the bot sees the clicking user as sender');
    assert.equal(activity.from.aadObjectId, user.aad, 'with that user\'s aadObjectId');
    assert.equal(x.response.statusCode, 200, `HTTP status of the invoke answer: ${JSON.stringify(x.response.body).slice(0, 300)}`);
    assert.equal(x.response.body?.statusCode, 200, 'invoke response statusCode');
    assert.equal(x.response.body?.type, ADAPTIVE, 'the invoke answer is a card');
    return x;
  }

  /** The approval card the bot sends `user` for request `requestId` at `stage`, in a chat the bot created for them. */
  async function approvalCardFor(user, requestId, stage, since) {
    const msg = await pg.waitForMessage((m) => requestOf(m) === requestId && stageOf(m) === stage && offersDecision(m),
      { since, forUser: user.id, what: `${user.name}'s approval card for request #${requestId}, stage ${stage}` });
    assert.notEqual(msg.conversationId, pg.personalChat, `${user.name}'s card is not in Alex's chat`);
    assert.equal(msg.conversationId, pg.chatOf(user.id), `${user.name}'s card is in the personal chat the bot created for ${user.name}`);
    for (const verb of ['approval.approve', 'approval.reject', 'approval.requestChanges', 'approval.delegate']) {
      const action = findExecuteAction(msg, verb);
      assert.ok(action, `${user.name}'s card offers ${verb}`);
      assert.deepEqual(action.data, { requestId, revision: 1, stage }, `${verb} data`);
    }
    const delegate = cardActions(card(msg)).find((a) => a.type === 'Action.ShowCard' && /^Delegate/.test(a.title));
    assert.ok(delegate && cardActions(delegate.card).some((a) => a.verb === 'approval.delegate'), 'approval.delegate sits in a "Delegate…" ShowCard');
    return msg;
  }

  test('an agreement drafted in chat is approved by the manager, Legal and Management, every card updated in place', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const started = Date.now();
    const lap = (what) => t.diagnostic(`${what} at +${Date.now() - started} ms`);

    // --- Alex drafts the agreement through the form, step by step (each step saves the draft and the next step
    //     replaces the card in place), then submits it from the agreement card
    const typed = await pg.sendMessage(pg.personalChat, 'agreement new');
    const form = await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'agreement.create')), { since: typed.mark, conversationId: pg.personalChat, what: 'the agreement form' });
    assert.match(textOf(form), /Step 1 of 5/);
    const basics = await pg.clickAction(form.messageId, 'agreement.create', { go: 'next' }, {
      inputs: {
        name: 'Contoso help desk',
        provider: 'Contoso Ltd',
        providerContact: 'pat@contoso.example',
        oversight: 'alexw@example.com',
      },
    });
    await assertInvokeAnsweredWithCard(basics, ALEX, 'agreement.create');
    assert.match(textOf(asMessage(basics.response)), /Step 2 of 5/);
    const scope = await pg.clickAction(form.messageId, 'agreement.revise', { go: 'next' }, {
      inputs: { services: ['HelpDesk', 'HardwareTroubleshooting'], coverage: 'Both' },
    });
    await assertInvokeAnsweredWithCard(scope, ALEX, 'agreement.revise');
    assert.match(textOf(asMessage(scope.response)), /Step 3 of 5/);
    const term = await pg.clickAction(form.messageId, 'agreement.revise', { go: 'dataprotection' }, {
      inputs: { startDate: '2026-01-01', endDate: '2026-12-31', pricing: 'MonthlyRetainer', amount: 1200, currency: 'EUR' },
    });
    await assertInvokeAnsweredWithCard(term, ALEX, 'agreement.revise');
    assert.match(textOf(asMessage(term.response)), /Step 5 of 5/);
    const save = await pg.clickAction(form.messageId, 'agreement.revise', { go: 'close' }, {
      inputs: { dpProviderContact: 'privacy@contoso.example', dpDeadlineHours: 48 },
    });
    await assertInvokeAnsweredWithCard(save, ALEX, 'agreement.revise');
    const draft = asMessage(save.response);
    assert.match(textOf(draft), /48 hours after a breach is reported/);
    const submitButton = findExecuteAction(draft, 'agreement.submit');
    assert.ok(submitButton, `the agreement card offers Submit: ${show(draft)}`);
    assert.match(textOf(draft), /Contoso help desk/);
    assert.match(textOf(draft), /Draft/);
    assert.deepEqual(Object.keys(submitButton.data).sort(), ['agreementId', 'revision']);
    lap('draft saved');

    const submit = await pg.clickAction(form.messageId, 'agreement.submit');
    await assertInvokeAnsweredWithCard(submit, ALEX, 'agreement.submit');
    const submitted = textOf(asMessage(submit.response));
    const requestId = Number((/Submitted for approval as request #(\d+)/.exec(submitted) || [])[1]);
    assert.ok(requestId > 0, `the agreement card says it was submitted as request #N: ${submitted.slice(0, 300)}`);
    lap(`submitted as request #${requestId}`);

    // --- Alex's status card: a card without buttons, in his chat
    const status = await pg.waitForMessage((m) => requestOf(m) === requestId, { since: submit.mark, forUser: ALEX.id, what: 'Alex\'s status card' });
    assert.ok(!offersDecision(status), `the requester's status card has no decision buttons: ${show(status)}`);
    assert.match(textOf(status), /Stage 1 of 3/);
    assert.match(textOf(status), /Waiting for Megan Bowen/);

    // --- stage 1: the bot opens a chat with Megan and sends her the card; she approves
    const meganChat = await pg.waitForConversationCreatedFor(MEGAN.id, { since: submit.mark });
    assert.notEqual(meganChat.conversationId, pg.personalChat);
    const megan = await approvalCardFor(MEGAN, requestId, 1, submit.mark);
    assert.deepEqual(refreshUsers(megan), [MEGAN.id], 'refresh.userIds: who can decide now');
    lap('Megan\'s card arrived');

    const meganClick = await pg.clickActionAs(MEGAN.id, megan.messageId, 'approval.approve');
    await assertInvokeAnsweredWithCard(meganClick, MEGAN, 'approval.approve');
    assert.ok(!offersDecision(asMessage(meganClick.response)), `after approving, Megan's card no longer offers a decision: ${show(asMessage(meganClick.response))}`);

    // --- stage 2: Legal (Adele and Isaiah, any one); Adele approves
    const adele = await approvalCardFor(ADELE, requestId, 2, meganClick.mark);
    const isaiah = await approvalCardFor(ISAIAH, requestId, 2, meganClick.mark);
    assert.deepEqual(refreshUsers(adele), [ADELE.id, ISAIAH.id].sort());
    lap('Legal\'s cards arrived');
    const adeleClick = await pg.clickActionAs(ADELE.id, adele.messageId, 'approval.approve');
    await assertInvokeAnsweredWithCard(adeleClick, ADELE, 'approval.approve');

    // --- stage 3: Management (Patti and Lynne, any one); Patti approves
    const patti = await approvalCardFor(PATTI, requestId, 3, adeleClick.mark);
    const lynne = await approvalCardFor(LYNNE, requestId, 3, adeleClick.mark);
    assert.deepEqual(refreshUsers(patti), [PATTI.id, LYNNE.id].sort());
    lap('Management\'s cards arrived');
    const pattiClick = await pg.clickActionAs(PATTI.id, patti.messageId, 'approval.approve');
    await assertInvokeAnsweredWithCard(pattiClick, PATTI, 'approval.approve');
    assert.match(textOf(asMessage(pattiClick.response)), /Approved/);

    // --- Alex's status card was updated in place (PUT -> updateMessage of the same message id): Approved
    const approvedStatus = await pg.waitForUpdate(status.messageId, (m) => /\bApproved\b/.test(textOf(m)),
      { since: pattiClick.mark, source: 'stream', what: 'Alex\'s status card to say Approved (updateMessage)' });
    assert.equal(approvedStatus.messageId, status.messageId);
    assert.equal(approvedStatus.conversationId, pg.personalChat);
    assert.ok(!offersDecision(approvedStatus));
    assert.deepEqual(refreshUsers(approvedStatus), [], 'nobody can decide any more');
    // what the status line of each update said: "In progress Stage N of 3" or the outcome
    const statusLine = (m) => { const x = textOf(m); const s = /In progress Stage (\d) of 3/.exec(x); return s ? `stage ${s[1]}` : /\bApproved\b/.test(x) ? 'Approved' : '?'; };
    const statusStages = pg.updatesOf(status.messageId, submit.mark).filter((u) => u.source === 'stream').map(statusLine);
    t.diagnostic(`Alex's status card updates: ${statusStages.join(' -> ')}`);
    // (an outbox may fold an update into a later one, so intermediate stages are not required; order is)
    assert.equal(statusStages.at(-1), 'Approved');
    const rank = (label) => ['stage 1', 'stage 2', 'stage 3', 'Approved'].indexOf(label);
    assert.ok(statusStages.every((label, i) => rank(label) >= 0 && (i === 0 || rank(label) >= rank(statusStages[i - 1]))),
      `the status card never goes back a stage: ${statusStages.join(', ')}`);
    const statusCopies = pg.messagesSince(submit.mark, undefined, { forUser: ALEX.id }).filter((m) => requestOf(m) === requestId);
    assert.equal(statusCopies.length, 1, 'one status card, updated in place, not a new card per decision');
    lap('Alex\'s status card says Approved');

    // --- every approver's card was updated in place by the bot (PUT, seen in the log) and offers no decision
    for (const [user, msg] of [[MEGAN, megan], [ADELE, adele], [ISAIAH, isaiah], [PATTI, patti], [LYNNE, lynne]]) {
      const upd = await pg.waitForUpdate(msg.messageId, (m) => /\bApproved\b/.test(textOf(m)) && !offersDecision(m),
        { since: pattiClick.mark, source: 'log', what: `${user.name}'s card to be updated in place to Approved, without buttons` });
      assert.equal(upd.conversationId, pg.chatOf(user.id));
      assert.deepEqual(refreshUsers(upd), [], `${user.name}'s card: nobody can decide any more`);
    }

    // --- Alex was told about each decision and the outcome, in plain text
    const expected = [/Megan Bowen approved stage 1/, /Adele Vance approved stage 2/, /Patti Fernandez approved stage 3/, /\bis approved\b/];
    const told = await pg.waitUntil(() => {
      const texts = pg.messagesSince(submit.mark, pg.personalChat).filter(isPlainText).map((m) => m.text);
      return expected.every((re) => texts.some((x) => re.test(x))) ? texts : undefined;
    }, { what: `plain-text messages to Alex matching ${expected.join(', ')}` });
    t.diagnostic(`Alex was told: ${told.join(' | ')}`);
    for (const x of told) assert.match(x, new RegExp(`#${requestId}\\b`), 'each message names the request');
    lap('done');
  });

  test('Reject needs a comment; with one, the requester is told and the status card says Rejected', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // --- Alex asks Megan for an approval through the request form
    const typed = await pg.sendMessage(pg.personalChat, 'request');
    const form = await pg.waitForMessage((m) => Boolean(findExecuteAction(m, 'approval.submit')), { since: typed.mark, conversationId: pg.personalChat, what: 'the request form' });
    const submit = await pg.clickAction(form.messageId, 'approval.submit', {}, {
      inputs: {
        title: 'Laptop refresh for the help desk',
        details: 'Twelve laptops at 1,100 EUR each.',
        link: 'https://example.com/quotes/laptops',
        approvers: 'meganb@example.com',
        rule: 'any',
      },
    });
    await assertInvokeAnsweredWithCard(submit, ALEX, 'approval.submit');
    // the form became Alex's status card (same message, invoke response); it is the copy the bot keeps up to date
    const statusCard = asMessage(submit.response);
    const requestId = requestOf(statusCard);
    assert.ok(requestId > 0, `the form turned into the request's card: ${show(statusCard)}`);
    assert.ok(!offersDecision(statusCard), 'the requester gets no decision buttons');
    assert.match(textOf(statusCard), /Waiting for Megan Bowen/);

    const megan = await approvalCardFor(MEGAN, requestId, 1, submit.mark);
    t.diagnostic(`request #${requestId}: Megan's card ${megan.messageId} in ${megan.conversationId}`);

    // --- Reject without a comment: the answer is her card with an error about the comment; nothing changes
    const bare = await pg.clickActionAs(MEGAN.id, megan.messageId, 'approval.reject');
    await assertInvokeAnsweredWithCard(bare, MEGAN, 'approval.reject');
    assert.equal(bare.invoke.value.action.data.comment, undefined, 'no comment was sent');
    const refused = asMessage(bare.response);
    assert.match(textOf(refused), /comment/i, `the answer explains that a comment is needed: ${show(refused)}`);
    assert.ok(findExecuteAction(refused, 'approval.reject') && findExecuteAction(refused, 'approval.approve'), 'Megan can still decide');
    assert.equal(requestOf(refused), requestId);

    // the request is unchanged: Alex's `status` shows it still waiting for Megan, stage 1
    const asked = await pg.sendMessage(pg.personalChat, `status ${requestId}`);
    const current = await pg.waitForMessage((m) => requestOf(m) === requestId, { since: asked.mark, conversationId: pg.personalChat, what: `the card of request #${requestId} (status)` });
    assert.match(textOf(current), /Waiting for Megan Bowen/, `still waiting for Megan: ${show(current)}`);
    assert.doesNotMatch(textOf(current), /Rejected/);
    assert.equal(stageOf(current), 1);
    assert.deepEqual(refreshUsers(current), [MEGAN.id]);
    assert.equal(pg.messagesSince(bare.mark, pg.personalChat).filter(isPlainText).filter((m) => /reject/i.test(m.text)).length, 0,
      'Alex was not told about a rejection');

    // --- Reject with a comment
    const reject = await pg.clickActionAs(MEGAN.id, megan.messageId, 'approval.reject', {}, { inputs: { comment: 'Too expensive.' } });
    assert.equal(reject.invoke.value.action.data.comment, 'Too expensive.', 'the comment box is merged into the action data');
    await assertInvokeAnsweredWithCard(reject, MEGAN, 'approval.reject');
    const answer = asMessage(reject.response);
    assert.ok(!offersDecision(answer), `after rejecting, Megan's card offers no decision: ${show(answer)}`);
    assert.match(textOf(answer), /Rejected/);

    // Alex is told, with the comment
    const told = await pg.waitForMessage((m) => isPlainText(m) && /rejected/i.test(m.text) && m.text.includes('Too expensive.'),
      { since: reject.mark, conversationId: pg.personalChat, what: 'a plain-text message to Alex that the request was rejected, with the comment' });
    t.diagnostic(`Alex was told: ${told.text}`);

    // Alex's status card (the former form) is updated in place to Rejected, with the comment
    const rejected = await pg.waitForUpdate(form.messageId, (m) => /\bRejected\b/.test(textOf(m)),
      { since: reject.mark, source: 'stream', what: 'Alex\'s status card to say Rejected (updateMessage)' });
    assert.match(textOf(rejected), /Too expensive\./);
    assert.ok(!offersDecision(rejected));
    // and so is the copy `status` posted, and Megan's own card (PUT)
    await pg.waitForUpdate(current.messageId, (m) => /\bRejected\b/.test(textOf(m)), { since: reject.mark, source: 'stream', what: 'the status copy to say Rejected' });
    await pg.waitForUpdate(megan.messageId, (m) => /\bRejected\b/.test(textOf(m)) && !offersDecision(m), { since: reject.mark, source: 'log', what: 'Megan\'s card to be updated in place to Rejected' });
  });
});

'use strict';
// Assertions about the bot's answer to a card click (an Action.Execute invoke), shared by the tests that click.
const assert = require('node:assert/strict');
const { BOT } = require('./playground');
const { ADAPTIVE } = require('./cards');

/** The exchange in which the bot got this click: from `user`, answered HTTP 200 with a card. */
async function assertInvokeAnsweredWithCard(pg, click, user, verb) {
  const x = await pg.waitForExchange((e) => e.to === BOT && e.activityName === 'invoke' && e.request?.body?.replyToId === click.invoke.replyToId
    && e.request.body.value?.action?.verb === verb, { since: click.mark, what: `the ${verb} invoke exchange` });
  assert.equal(x.request.body.from.id, user.id, 'the bot sees the clicking user as sender');
  assert.equal(x.request.body.from.aadObjectId, user.aad, 'with that user\'s aadObjectId');
  assert.equal(x.response.statusCode, 200, `HTTP status of the invoke answer: ${JSON.stringify(x.response.body).slice(0, 300)}`);
  assert.equal(x.response.body?.type, ADAPTIVE, 'the invoke answer is a card');
  return x;
}

module.exports = { assertInvokeAnsweredWithCard };

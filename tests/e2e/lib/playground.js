'use strict';
// Client for a headless Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground 0.2.28).
// It drives the Playground through the same HTTP endpoints its web UI uses, and listens on the two
// websockets the UI listens on. See README.md ("Playground API") for the facts this relies on.
const fs = require('node:fs');
const path = require('node:path');
const WebSocket = require('ws');
const { request } = require('./http');
const { startProcess, stopProcess, tail } = require('./processes');
const { ADAPTIVE, findExecuteAction, messageText, uiActionData } = require('./cards');

const DEFAULT_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 15000);
const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');
// the two ends of an exchange on the Playground's log stream
const BOT = 'User Application';
const PLAYGROUND = 'Microsoft 365 Agents Playground';
const is2xx = (x) => x.response && x.response.statusCode >= 200 && x.response.statusCode < 300;

class Playground {
  constructor({ resultsDir, log }) {
    this.resultsDir = resultsDir;
    this.log = log;
    this.events = [];     // bot output (createMessage/updateMessage) + card replacements from invoke responses
    this.exchanges = [];  // every HTTP exchange between the Playground and the bot (its log stream)
    this.otherChats = new Map(); // conversation id -> user id: personal chats the bot created for other users
    this.waiters = new Set();
    this.sockets = [];
    this.proc = undefined;
    this.baseUrl = undefined;
    this.config = undefined;
    this.failure = undefined; // set when the Playground dies: waits fail fast
  }

  /** Start the Playground headless, pointed at the bot, and wait until its API and websockets are up. */
  async start({ botEndpoint, port, runId, pidFile, timeoutMs = 60000 }) {
    const logFile = path.join(this.resultsDir, 'playground.log');
    const env = {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      // its own log file defaults to ./devTools/…; keep it with ours
      M365_AGENTS_PLAYGROUND_LOGFILE: path.join(this.resultsDir, 'playground-internal.log'),
      // never pick up a stray .m365agentsplayground.yml: use the built-in mock tenant
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(this.resultsDir, 'no-playground-config.yml'),
      TEAMS_APP_TEST_TOOL_CONFIG_PATH: path.join(this.resultsDir, 'no-playground-config.yml'),
    };
    const args = [PLAYGROUND_CLI, '-e', botEndpoint, '-c', 'msteams', '-p', String(port), '--dt'];
    this.proc = startProcess('playground', process.execPath, args, { cwd: this.resultsDir, env, logFile, runId, pidFile });
    this.proc.exited.then(({ code, signal }) => {
      if (!this.stopping) this.fail(new Error(`Playground exited unexpectedly (code=${code} signal=${signal})\n${tail(logFile)}`));
    });

    // it falls back to a random port when ours is taken, and says which on stdout
    const listening = new Promise((resolve) => {
      this.proc.onLine((line) => {
        const m = /Listening on (\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
      });
    });
    const actualPort = await this.within(listening, timeoutMs, 'Playground to print "Listening on <port>"');
    this.baseUrl = `http://127.0.0.1:${actualPort}`;
    await this.within(this.pollUntilReady(), timeoutMs, 'Playground /_debug/ping');
    const cfg = await this.http('GET', '/_internal/v1/testConfig');
    this.config = cfg.config;
    await Promise.all([
      this.connect('/_ws_conversation/v1/conversations/stream', (msg) => this.onConversationEvent(msg), 'conversation-stream.jsonl'),
      this.connect('/_ws/log/stream', (msg) => this.onLogEvent(msg), 'exchanges.jsonl'),
    ]);
    this.log(`playground ready at ${this.baseUrl} (pid ${this.proc.pid})`);
    return this;
  }

  async pollUntilReady() {
    for (;;) {
      if (this.failure) throw this.failure;
      try {
        const res = await request(`${this.baseUrl}/_debug/ping`, { timeoutMs: 2000 });
        if (res.ok && res.text === 'pong') return;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  connect(pathname, onMessage, fileName) {
    const file = fs.openSync(path.join(this.resultsDir, fileName), 'a');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.baseUrl.replace('http', 'ws')}${pathname}`);
      this.sockets.push(ws);
      ws.on('open', resolve);
      ws.on('error', (err) => { reject(err); if (!this.stopping) this.fail(err); });
      ws.on('close', () => { try { fs.closeSync(file); } catch { /* closed */ } });
      ws.on('message', (data) => {
        const text = data.toString('utf8');
        try { fs.writeSync(file, `${text}\n`); } catch { /* closed */ }
        let msg;
        try { msg = JSON.parse(text); } catch { return; }
        onMessage(msg);
      });
    });
  }

  // ---- mock tenant ----------------------------------------------------------------------------
  get me() { return this.config.currentUser; }
  get bot() { return this.config.bot; }
  get personalChat() { return this.config.personalChat.id; }
  get groupChat() { return this.config.groupChats[0].id; }
  /** The General channel of the first team (its id equals the team id, as in Teams). */
  get channel() { return this.config.teams[0].channels[0].id; }
  user(id) {
    if (this.me.id === id) return this.me;
    const u = this.config.users.find((x) => x.id === id);
    if (!u) throw new Error(`no mock user ${id}`);
    return u;
  }

  // ---- driving the Playground -----------------------------------------------------------------
  async http(method, urlPath, body) {
    const res = await request(`${this.baseUrl}${urlPath}`, { method, body });
    const { text } = res;
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
    this.log(`${method} ${urlPath} ${body === undefined ? '' : JSON.stringify(body)} -> ${res.status} ${text.slice(0, 2000)}`);
    if (!res.ok) {
      const err = new Error(`${method} ${urlPath} -> HTTP ${res.status}: ${text.slice(0, 500)}`);
      err.status = res.status;
      err.body = json;
      throw err;
    }
    return json;
  }

  /** A position in the event streams: waits given `since: mark` only look at what came after it. */
  mark() { return { events: this.events.length, exchanges: this.exchanges.length }; }

  /**
   * Install the app into a conversation the way the Playground UI does when a conversation is first
   * opened: POST /_debug/conversation/{id}/installation. The bot then receives installationUpdate
   * (action "add") and conversationUpdate (membersAdded: the user and the bot in personal chat).
   */
  async installApp(conversationId = this.personalChat) {
    const mark = this.mark();
    await this.http('POST', `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
    return { mark, conversationId };
  }

  /** Message text with an @mention of the bot, for group chats and channels. */
  mention(text, whom = this.bot) {
    const at = `<at>${whom.name}</at>`;
    return { text: `${at} ${text}`, mentions: [{ mentioned: { id: whom.id, name: whom.name }, text: at }] };
  }

  /**
   * Send a user message. `message` is a string or the result of mention(). As the Playground's current
   * user this uses the UI's endpoint (which always sends as the current user; in a channel it starts a
   * new post/thread and the bot only gets it when the bot is @mentioned). As another mock user it posts
   * a raw activity through the custom-activity endpoint instead.
   * Returns { mark, conversationId } where conversationId is where the bot is expected to answer.
   */
  async sendMessage(conversationId, message, asUser) {
    const { text, mentions } = typeof message === 'string' ? { text: message, mentions: undefined } : message;
    const mark = this.mark();
    if (!asUser || asUser === this.me.id) {
      const body = { type: 'text', text, textFormat: 'plain', from: { id: this.me.id } };
      if (mentions) body.mentions = mentions;
      const res = await this.http('POST', `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body);
      return { mark, messageId: res.messageId, conversationId: res.postConversationId ?? conversationId };
    }
    const user = this.user(asUser);
    const activity = await this.activityTemplate(conversationId);
    Object.assign(activity, {
      type: 'message',
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      text,
      textFormat: 'plain',
      entities: [
        ...(mentions || []).map((m) => ({ type: 'mention', mentioned: m.mentioned, text: m.text })),
        { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'UTC' },
      ],
    });
    const root = conversationId.split(';')[0];
    const team = this.config.teams.find((t) => t.channels.some((c) => c.id === root));
    activity.channelData = { tenant: { id: this.config.tenantId } };
    if (team) Object.assign(activity.channelData, { team: { id: team.id }, channel: { id: root }, teamsTeamId: team.id, teamsChannelId: root });
    await this.sendCustomActivity(activity);
    return { mark, activityId: activity.id, conversationId };
  }

  /** GET /_internal/v1/customActivities/template: a base activity for a conversation (type: install, botAdded, …). */
  activityTemplate(conversationId, type) {
    const q = new URLSearchParams({ conversationId });
    if (type) q.set('type', type);
    return this.http('GET', `/_internal/v1/customActivities/template?${q}`);
  }

  /** POST /_internal/v1/customActivities: the Playground forwards the body to the bot as is (answers 200 at once). */
  async sendCustomActivity(activity) {
    const mark = this.mark();
    await this.http('POST', '/_internal/v1/customActivities', activity);
    return { mark };
  }

  /**
   * Click an Action.Execute button on a card the bot sent, as the UI does: the button must be on the
   * card; the invoke goes to POST /_conversation/v1/invoke and the Playground forwards it to the bot as
   * invoke "adaptiveCard/action". Its HTTP answer is the bot's invoke response ({type, value}); like the
   * UI, a card in it replaces the clicked card in place — recorded here as an update of that message.
   */
  //
  // opts.inputs: values typed into the card's inputs ({ comment: 'Too expensive.' }); they are merged into
  // the action's data as the renderer does (lib/cards.js uiActionData), and each must be an input of the card.
  // opts.asUser: who clicks (default: the user whose chat the card is in; the current user elsewhere). The
  // Playground honours from.id for an invoke (the bot gets that user's id, name and aadObjectId), but only
  // for a member of the conversation's chat: anyone else gets HTTP 400.
  async clickAction(messageId, verb, data = {}, { asUser, inputs } = {}) {
    const message = this.latest(messageId);
    if (!message) throw new Error(`no message ${messageId} from the bot has been seen`);
    const action = findExecuteAction(message, verb);
    if (!action) throw new Error(`message ${messageId} has no Action.Execute with verb "${verb}": ${messageText(message)}`);
    const mark = this.mark();
    const body = {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', title: action.title, verb, data: { ...uiActionData(message, action, inputs), ...data } } },
      from: { id: asUser || message.chatUser || this.me.id },
      conversation: { id: message.conversationId },
      replyToId: messageId,
    };
    const response = await this.http('POST', '/_conversation/v1/invoke', body);
    if (response && response.type === ADAPTIVE) {
      this.push({
        kind: 'update', source: 'invokeResponse', messageId, conversationId: message.conversationId,
        rootConversationId: message.rootConversationId, chatUser: message.chatUser, fromBot: true, text: undefined,
        attachments: [{ contentType: ADAPTIVE, content: response.value }], raw: response,
      });
    }
    return { mark, response, action, invoke: body };
  }

  /**
   * An Action.Execute that no card of the user shows: what a tampered or forwarded card would send. It goes through
   * the same endpoint as a click (POST /_conversation/v1/invoke, from userId, in a conversation they are a member of,
   * replyToId a message of that conversation), but the button is not looked up and nothing is recorded as an update of
   * replyToId. Resolves { mark, response, invoke } like clickAction. For refusals: a real user cannot click it.
   */
  async sendActionAs(userId, conversationId, replyToId, verb, data = {}) {
    this.user(userId);
    const mark = this.mark();
    const body = {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', title: verb, verb, data } },
      from: { id: userId },
      conversation: { id: conversationId },
      replyToId,
    };
    const response = await this.http('POST', '/_conversation/v1/invoke', body);
    return { mark, response, invoke: body };
  }

  /** clickAction as another mock user (by Teams id, e.g. 'user-id-1'), on a card in a chat they are in. */
  clickActionAs(userId, messageId, verb, data = {}, opts = {}) {
    this.user(userId); // a mock user of the tenant, or throw
    return this.clickAction(messageId, verb, data, { ...opts, asUser: userId });
  }

  // ---- observing --------------------------------------------------------------------------------
  onConversationEvent(msg) {
    if (msg.action !== 'createMessage' && msg.action !== 'updateMessage') return;
    const m = msg.message || {};
    const known = this.latest(m.messageId);
    const conversationId = m.postConversationId ?? known?.conversationId ?? msg.actionConversationId;
    this.push({
      kind: msg.action === 'createMessage' ? 'create' : 'update',
      source: 'stream',
      messageId: m.messageId,
      conversationId,
      rootConversationId: String(conversationId).split(';')[0],
      fromBot: m.from?.id === this.bot.id,
      text: m.text,
      attachments: m.attachments || [],
      raw: msg,
    });
  }

  onLogEvent(msg) {
    if (msg.logAction !== 'appendLog' || !msg.log) return;
    const x = { seq: this.exchanges.length, ...msg.log };
    this.exchanges.push(x);
    this.observeOtherUserChats(x);
    this.notify();
  }

  /**
   * The Playground shows only the current user's chats: what the bot posts into a personal chat it
   * created for another user (POST /v3/conversations with members [{id}]) never reaches the conversation
   * stream, neither createMessage nor updateMessage. The log stream has every such exchange, with the
   * full activity, so the bot's messages there are taken from it:
   *   createConversation (2xx, not a group)       -> that chat belongs to members[0].id
   *   message with conversation.id, 2xx           -> a new message, id = response body id (source 'log')
   *   message without conversation, body.id, 2xx  -> PUT …/activities/{id}: an update of that message
   * Such events carry chatUser (the user whose chat it is). Exchanges are replayed when the
   * createConversation entry comes after the first message into that chat.
   */
  observeOtherUserChats(x) {
    if (x.from !== BOT || x.to !== PLAYGROUND || !is2xx(x)) return;
    const body = x.request?.body || {};
    if (x.activityName === 'createConversation') {
      const userId = body.members?.[0]?.id;
      const conversationId = x.response.body?.id;
      if (body.isGroup || !userId || !conversationId || userId === this.me.id) return;
      this.otherChats.set(conversationId, userId);
      for (const earlier of this.exchanges.slice(0, x.seq)) if (earlier.conversationId === conversationId) this.ingestOtherUserMessage(earlier);
      return;
    }
    this.ingestOtherUserMessage(x);
  }

  ingestOtherUserMessage(x) {
    if (x.from !== BOT || x.activityName !== 'message' || !is2xx(x)) return;
    const body = x.request?.body || {};
    const common = { source: 'log', fromBot: true, text: body.text, attachments: body.attachments || [], raw: x };
    if (x.conversationId) {
      const userId = this.otherChats.get(x.conversationId);
      const messageId = x.response.body?.id;
      if (!userId || !messageId || this.latest(messageId)) return;
      this.push({ kind: 'create', messageId, conversationId: x.conversationId, rootConversationId: x.conversationId, chatUser: userId, ...common });
    } else if (body.id) {
      const known = this.latest(body.id);
      if (!known || !known.chatUser) return; // the current user's chats: the stream has the update
      this.push({ kind: 'update', messageId: body.id, conversationId: known.conversationId, rootConversationId: known.rootConversationId, chatUser: known.chatUser, ...common });
    }
  }

  /** The personal chat the bot created for another user (known once it was created), or undefined. */
  chatOf(userId) {
    if (userId === this.me.id) return this.personalChat;
    for (const [conversationId, owner] of this.otherChats) if (owner === userId) return conversationId;
    return undefined;
  }

  /**
   * Wait until the bot has created a personal chat for userId (POST /_connector/v3/conversations,
   * members [{id: userId}], answered 2xx). Resolves { conversationId, userId, exchange }.
   */
  async waitForConversationCreatedFor(userId, opts = {}) {
    const exchange = await this.waitForExchange((x) => x.from === BOT && x.activityName === 'createConversation' && is2xx(x)
      && x.request?.body?.members?.[0]?.id === userId, { ...opts, what: opts.what || `the bot to create a personal chat for ${userId}` });
    return { conversationId: exchange.response.body.id, userId, exchange };
  }

  push(event) {
    this.events.push({ seq: this.events.length, at: Date.now(), ...event });
    this.notify();
  }

  /** Latest known state of a message (its creation, or its last update). */
  latest(messageId) {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i].messageId === messageId) return this.events[i];
    return undefined;
  }

  notify() { for (const w of [...this.waiters]) w(); }

  fail(err) {
    this.failure = err;
    this.log(`FAILURE: ${err.message}`);
    this.notify();
  }

  /**
   * Resolve with the first truthy value of check(), re-evaluated whenever something arrives.
   * Bounded: rejects after timeout with a description of what was seen.
   */
  waitUntil(check, { timeout = DEFAULT_TIMEOUT_MS, what = 'condition' } = {}) {
    return new Promise((resolve, reject) => {
      let timer;
      const done = (fn, v) => { clearTimeout(timer); this.waiters.delete(waiter); fn(v); };
      const waiter = () => {
        if (this.failure) return done(reject, this.failure);
        let v;
        try { v = check(); } catch (err) { return done(reject, err); }
        if (v) done(resolve, v);
      };
      timer = setTimeout(() => {
        const seen = this.events.slice(-8).map((e) => `  #${e.seq} ${e.kind}/${e.source} ${e.messageId} in ${e.conversationId}: ${messageText(e).replace(/\s+/g, ' ').slice(0, 160)}`);
        done(reject, new Error(`timed out after ${timeout} ms waiting for ${what}; last bot output:\n${seen.join('\n') || '  (none)'}`));
      }, timeout);
      this.waiters.add(waiter);
      waiter();
    });
  }

  /**
   * Wait for a new message from the bot. opts: { since: mark, conversationId, timeout, what }.
   * conversationId matches the message's conversation or, for a channel, the channel it was posted in.
   */
  //
  // opts.forUser: only messages in that user's personal chat (the current user's, or one the bot created).
  waitForMessage(predicate = () => true, opts = {}) {
    if (typeof opts === 'number') opts = { timeout: opts };
    const from = opts.since ? opts.since.events : 0;
    const where = opts.conversationId ? ` in ${opts.conversationId}` : opts.forUser ? ` for ${opts.forUser}` : '';
    return this.waitUntil(() => this.events.slice(from).find((e) => e.kind === 'create' && e.fromBot
      && this.isIn(e, opts) && predicate(e)), { timeout: opts.timeout, what: opts.what || `a bot message${where}` });
  }

  isIn(e, { conversationId, forUser } = {}) {
    if (conversationId && e.conversationId !== conversationId && e.rootConversationId !== conversationId) return false;
    if (forUser && !(e.chatUser === forUser || (forUser === this.me.id && e.conversationId === this.personalChat))) return false;
    return true;
  }

  /** All bot messages (creations) after a mark, optionally in one conversation. */
  messagesSince(mark, conversationId, { forUser } = {}) {
    return this.events.slice(mark ? mark.events : 0).filter((e) => e.kind === 'create' && e.fromBot && this.isIn(e, { conversationId, forUser }));
  }

  /** Updates of message messageId after a mark (stream, log or invoke response), oldest first. */
  updatesOf(messageId, mark) {
    return this.events.slice(mark ? mark.events : 0).filter((e) => e.kind === 'update' && e.messageId === messageId);
  }

  /**
   * Wait until message messageId is replaced in place (updateMessage on the stream after a PUT by the
   * bot, the PUT itself from the log for other users' chats, or the card of an Action.Execute invoke
   * response) and the new content satisfies predicate. opts.source: only updates of that source
   * ('stream' | 'log' | 'invokeResponse', or an array of them).
   */
  waitForUpdate(messageId, predicate = () => true, opts = {}) {
    if (typeof opts === 'number') opts = { timeout: opts };
    const from = opts.since ? opts.since.events : 0;
    const sources = opts.source ? [].concat(opts.source) : undefined;
    return this.waitUntil(() => this.events.slice(from).find((e) => e.kind === 'update' && e.messageId === messageId
      && (!sources || sources.includes(e.source)) && predicate(e)),
      { timeout: opts.timeout, what: opts.what || `an update of message ${messageId}` });
  }

  /** Wait for an exchange with the bot (an entry of the Playground's log stream). */
  waitForExchange(predicate, opts = {}) {
    const from = opts.since ? opts.since.exchanges : 0;
    return this.waitUntil(() => this.exchanges.slice(from).find(predicate), { timeout: opts.timeout, what: opts.what || 'an exchange with the bot' });
  }

  async stop() {
    this.stopping = true;
    for (const ws of this.sockets) { try { ws.terminate(); } catch { /* gone */ } }
    await stopProcess(this.proc);
  }

  within(promise, ms, what) {
    let timer;
    const failed = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    const died = this.proc.exited.then(({ code, signal }) => { throw new Error(`Playground exited (code=${code} signal=${signal}) while waiting for ${what}\n${tail(path.join(this.resultsDir, 'playground.log'))}`); });
    return Promise.race([promise, failed, died]).finally(() => clearTimeout(timer));
  }
}

module.exports = { Playground, DEFAULT_TIMEOUT_MS, BOT, PLAYGROUND };

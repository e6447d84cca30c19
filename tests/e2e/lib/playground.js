'use strict';
// Client for a headless Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground 0.2.28).
// It drives the Playground through the same HTTP endpoints its web UI uses, and listens on the two
// websockets the UI listens on. See README.md ("Playground API") for the facts this relies on.
const fs = require('node:fs');
const path = require('node:path');
const WebSocket = require('ws');
const { request } = require('./http');
const { startProcess, stopProcess, tail } = require('./processes');
const { ADAPTIVE, findExecuteAction, messageText } = require('./cards');

const DEFAULT_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 15000);
const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

class Playground {
  constructor({ resultsDir, log }) {
    this.resultsDir = resultsDir;
    this.log = log;
    this.events = [];     // bot output (createMessage/updateMessage) + card replacements from invoke responses
    this.exchanges = [];  // every HTTP exchange between the Playground and the bot (its log stream)
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
  async clickAction(messageId, verb, data = {}, { asUser } = {}) {
    const message = this.latest(messageId);
    if (!message) throw new Error(`no message ${messageId} from the bot has been seen`);
    const action = findExecuteAction(message, verb);
    if (!action) throw new Error(`message ${messageId} has no Action.Execute with verb "${verb}": ${messageText(message)}`);
    const mark = this.mark();
    const body = {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', title: action.title, verb, data: { ...(action.data || {}), ...data } } },
      from: { id: asUser || this.me.id },
      conversation: { id: message.conversationId },
      replyToId: messageId,
    };
    const response = await this.http('POST', '/_conversation/v1/invoke', body);
    if (response && response.type === ADAPTIVE) {
      this.push({
        kind: 'update', source: 'invokeResponse', messageId, conversationId: message.conversationId,
        rootConversationId: message.rootConversationId, fromBot: true, text: undefined,
        attachments: [{ contentType: ADAPTIVE, content: response.value }], raw: response,
      });
    }
    return { mark, response, action };
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
    this.exchanges.push({ seq: this.exchanges.length, ...msg.log });
    this.notify();
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
  waitForMessage(predicate = () => true, opts = {}) {
    if (typeof opts === 'number') opts = { timeout: opts };
    const from = opts.since ? opts.since.events : 0;
    return this.waitUntil(() => this.events.slice(from).find((e) => e.kind === 'create' && e.fromBot
      && (!opts.conversationId || e.conversationId === opts.conversationId || e.rootConversationId === opts.conversationId)
      && predicate(e)), { timeout: opts.timeout, what: opts.what || `a bot message${opts.conversationId ? ` in ${opts.conversationId}` : ''}` });
  }

  /** All bot messages (creations) after a mark, optionally in one conversation. */
  messagesSince(mark, conversationId) {
    return this.events.slice(mark ? mark.events : 0).filter((e) => e.kind === 'create' && e.fromBot
      && (!conversationId || e.conversationId === conversationId || e.rootConversationId === conversationId));
  }

  /**
   * Wait until message messageId is replaced in place (updateMessage on the stream after a PUT by the
   * bot, or the card of an Action.Execute invoke response) and the new content satisfies predicate.
   */
  waitForUpdate(messageId, predicate = () => true, opts = {}) {
    if (typeof opts === 'number') opts = { timeout: opts };
    const from = opts.since ? opts.since.events : 0;
    return this.waitUntil(() => this.events.slice(from).find((e) => e.kind === 'update' && e.messageId === messageId && predicate(e)),
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

module.exports = { Playground, DEFAULT_TIMEOUT_MS };

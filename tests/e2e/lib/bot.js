'use strict';
// Starting the real ApprovalBot for the e2e run: a built dll (BOT_DLL), or build src/ApprovalBot first.
const fs = require('node:fs');
const path = require('node:path');
const { request } = require('./http');
const { startProcess, stopProcess, tail, raceTimeout, TIMEOUT } = require('./processes');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const PROJECT_DIR = path.join(REPO_ROOT, 'src', 'ApprovalBot');
const BUILT_DLL = path.join(PROJECT_DIR, 'bin', 'Release', 'net10.0', 'ApprovalBot.dll');

/**
 * dotnet build -c Release (output to build.log); returns the dll path. Build servers are disabled so
 * that no MSBuild/Roslyn server outlives the build, and the build's process group is swept afterwards.
 */
async function buildBot({ resultsDir, log, runId, pidFile, timeoutMs = 300000 }) {
  const logFile = path.join(resultsDir, 'build.log');
  if (!fs.existsSync(PROJECT_DIR)) throw new Error(`no bot project at ${PROJECT_DIR} and BOT_DLL is not set`);
  log(`building ${PROJECT_DIR} (log: ${logFile})`);
  const proc = startProcess('build', 'dotnet', ['build', PROJECT_DIR, '-c', 'Release', '-nologo', '--disable-build-servers'], {
    cwd: REPO_ROOT, env: { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' }, logFile, runId, pidFile,
  });
  const result = await raceTimeout(proc.exited, timeoutMs);
  await stopProcess(proc, 1000); // sweeps the group when it has exited; kills it on timeout
  if (result === TIMEOUT) throw new Error(`dotnet build timed out after ${timeoutMs} ms\n${tail(logFile, 30)}`);
  if (result.code !== 0 || !fs.existsSync(BUILT_DLL)) throw new Error(`dotnet build failed (code=${result.code})\n${tail(logFile, 30)}`);
  return BUILT_DLL;
}

/**
 * Environment of the bot: local development mode (no app id), SQLite in a temp dir, plus `extra` (configuration a
 * test file needs, as ASP.NET Core environment variables such as `Scheduling__IdleWaitTime`).
 */
function botEnv(dataDir, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // no app id / password / tenant from the caller's environment: that would switch local development mode off
    if (/microsoftapp/i.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    ASPNETCORE_ENVIRONMENT: 'Development',
    DOTNET_ENVIRONMENT: 'Development',
    Storage__Provider: 'Sqlite',
    Storage__Sqlite__Path: path.join(dataDir, 'e2e.db'),
    DOTNET_NOLOGO: '1',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    ...extra,
  };
}

class Bot {
  constructor({ resultsDir, log }) {
    this.resultsDir = resultsDir;
    this.log = log;
  }

  get endpoint() { return `${this.baseUrl}/api/messages`; }

  /**
   * Start the bot. BOT_URL (optional): use a bot that is already running there (not started/stopped here).
   * Otherwise run `dotnet <dll> --urls http://127.0.0.1:<port>` with dll = BOT_DLL or a fresh build.
   * env: extra environment variables (configuration) for the bot; they cannot be applied to a BOT_URL bot.
   */
  async start({ port, dataDir, runId, pidFile, env = {}, timeoutMs = 90000 }) {
    if (process.env.BOT_URL) {
      this.baseUrl = process.env.BOT_URL.replace(/\/+$/, '');
      this.log(`using the already running bot at ${this.baseUrl} (BOT_URL)${Object.keys(env).length ? `; it must already have ${Object.keys(env).join(', ')}` : ''}`);
      this.health = await this.waitHealthy(timeoutMs);
      return this;
    }
    // a relative BOT_DLL is relative to where `npm test` was typed (npm sets INIT_CWD), not to tests/e2e
    const dll = process.env.BOT_DLL ? path.resolve(process.env.INIT_CWD || process.cwd(), process.env.BOT_DLL) : await buildBot({ resultsDir: this.resultsDir, log: this.log, runId, pidFile });
    if (!fs.existsSync(dll)) throw new Error(`BOT_DLL ${dll} does not exist`);
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.logFile = path.join(this.resultsDir, 'bot.log');
    this.proc = startProcess('bot', 'dotnet', [dll, '--urls', this.baseUrl], {
      cwd: path.dirname(dll), env: botEnv(dataDir, env), logFile: this.logFile, runId, pidFile,
    });
    this.proc.exited.then(({ code, signal }) => { this.exitedWith = { code, signal }; });
    this.health = await this.waitHealthy(timeoutMs);
    this.log(`bot ready at ${this.baseUrl} (pid ${this.proc.pid}): ${JSON.stringify(this.health)}`);
    return this;
  }

  /** Poll GET /healthz until 200 with authMode LocalDevelopment; fail fast if the process dies. */
  async waitHealthy(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.exitedWith) {
        throw new Error(`bot exited before it was healthy (code=${this.exitedWith.code} signal=${this.exitedWith.signal})\n${tail(this.logFile)}`);
      }
      try {
        const res = await request(`${this.baseUrl}/healthz`, { timeoutMs: 2000 });
        const { text } = res;
        last = `HTTP ${res.status} ${text.slice(0, 300)}`;
        if (res.ok) {
          const json = JSON.parse(text);
          if (json.authMode !== 'LocalDevelopment') {
            throw new Error(`bot is healthy but authMode is ${JSON.stringify(json.authMode)}, not "LocalDevelopment": the Playground sends no Authorization header`);
          }
          return json;
        }
      } catch (err) {
        if (/authMode/.test(err.message)) throw err;
        last = err.message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`bot not healthy within ${timeoutMs} ms (last: ${last})\n${this.logFile ? tail(this.logFile) : ''}`);
  }

  /**
   * A call to the bot's REST API (/api/v1/...) with an API key: resolves { status, json, text }, whatever the status.
   * The key must be configured for the bot (startE2E({ botEnv: apiKeyEnv(key, roles) })). body: an object (JSON) or a
   * Buffer (a file, sent as is with contentType, e.g. a document upload).
   */
  async api(method, urlPath, { key, body, contentType } = {}) {
    const headers = { ...(key ? { 'x-api-key': key } : {}), ...(contentType ? { 'content-type': contentType } : {}) };
    const res = await request(`${this.baseUrl}${urlPath}`, { method, body, headers });
    let json;
    try { json = res.text ? JSON.parse(res.text) : undefined; } catch { json = undefined; }
    this.log(`API ${method} ${urlPath} -> ${res.status} ${res.text.slice(0, 2000)}`);
    return { status: res.status, json, text: res.text };
  }

  async stop() { if (this.proc) await stopProcess(this.proc, 10000); }
}

/**
 * Configuration of one API key with a plain secret (fine in Development; see src/ApprovalBot/Api/README.md), as
 * environment variables for the bot: `Api__Keys__0__Name`, `…__Key`, `…__Roles__N`.
 */
function apiKeyEnv(key, roles = ['write'], name = 'e2e') {
  const env = { Api__Keys__0__Name: name, Api__Keys__0__Key: key };
  roles.forEach((role, i) => { env[`Api__Keys__0__Roles__${i}`] = role; });
  return env;
}

module.exports = { Bot, buildBot, apiKeyEnv, REPO_ROOT, BUILT_DLL };

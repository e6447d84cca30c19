'use strict';
// The e2e harness: the real bot + a headless Agents Playground pointed at it, logs in .results/.
//   const e2e = await startE2E();   // e2e.pg is the Playground client, e2e.bot the bot
//   ...
//   await e2e.stop();               // idempotent; also runs on exit/SIGINT/SIGTERM
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort, reapStale, installExitHandlers } = require('./processes');
const { Bot } = require('./bot');
const { Playground } = require('./playground');

const RESULTS_DIR = path.resolve(__dirname, '..', '.results');
const PID_FILE = path.join(RESULTS_DIR, 'pids.json');
const RUN_FILE = path.join(RESULTS_DIR, 'run.json');
const SESSION_FILE = path.join(RESULTS_DIR, 'session.json');
const keepLogs = () => /^(1|true|yes)$/i.test(process.env.E2E_KEEP_LOGS || '');

function openHarnessLog() {
  const file = path.join(RESULTS_DIR, 'harness.log');
  return (line) => {
    try { fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`); } catch { /* dir removed */ }
  };
}

/**
 * `node --test` runs each test file in its own child process, one after the other, and each starts its own
 * bot and Playground. The logs of one `npm test` run are kept together: the first file of the run removes
 * the previous run's logs, later files append to them (the runner's pid identifies the run).
 * Returns true when this is the first file of the run.
 */
function startOfRun() {
  const runner = process.env.NODE_TEST_CONTEXT ? process.ppid : undefined;
  let previous;
  try { previous = JSON.parse(fs.readFileSync(SESSION_FILE, 'utf8')); } catch { /* none */ }
  fs.writeFileSync(SESSION_FILE, JSON.stringify({ runner: runner ?? null, pid: process.pid }));
  return !(runner && previous && previous.runner === runner);
}

/** Remove the previous run's logs (not summary.json, which the reporter owns). */
function resetResultsDir() {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  if (!startOfRun()) return;
  for (const f of fs.readdirSync(RESULTS_DIR)) {
    if (/\.(log|jsonl)$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f), { force: true });
  }
}

/** The temp data dir of an earlier run that was killed before its teardown (unless logs were to be kept). */
function removeStaleDataDir(log) {
  let previous;
  try { previous = JSON.parse(fs.readFileSync(RUN_FILE, 'utf8')); } catch { return; }
  fs.rmSync(RUN_FILE, { force: true });
  const dir = previous && previous.dataDir;
  if (!dir || keepLogs() || path.dirname(dir) !== os.tmpdir() || !path.basename(dir).startsWith('approvalbot-e2e-')) return;
  fs.rmSync(dir, { recursive: true, force: true });
  log(`removed the bot data of an earlier, interrupted run: ${dir}`);
}

/**
 * options.botEnv: extra environment variables (configuration) for the bot process, e.g.
 * `{ Scheduling__IdleWaitTime: '00:00:01', ...apiKeyEnv(key) }`.
 */
async function startE2E({ botEnv = {} } = {}) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const reaped = reapStale(PID_FILE);
  resetResultsDir();
  installExitHandlers();
  const log = openHarnessLog();
  if (reaped.length) log(`killed leftovers of an earlier, interrupted run: ${reaped.join(', ')}`);
  const runId = `${process.pid}-${Date.now()}`;
  removeStaleDataDir(log);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvalbot-e2e-'));
  fs.writeFileSync(RUN_FILE, JSON.stringify({ runId, dataDir }));
  log(`run ${runId} (${path.basename(process.argv[1] || '?')}), bot data in ${dataDir}`);

  const bot = new Bot({ resultsDir: RESULTS_DIR, log });
  const pg = new Playground({ resultsDir: RESULTS_DIR, log });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await pg.stop().catch((e) => log(`stopping the Playground: ${e.message}`));
    await bot.stop().catch((e) => log(`stopping the bot: ${e.message}`));
    if (keepLogs()) log(`kept bot data in ${dataDir}`);
    else {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(RUN_FILE, { force: true });
    }
    log('stopped');
  };

  const timings = {};
  try {
    let t0 = Date.now();
    await bot.start({ port: await freePort(), dataDir, runId, pidFile: PID_FILE, env: botEnv });
    timings.botStartMs = Date.now() - t0;
    t0 = Date.now();
    await pg.start({ botEndpoint: bot.endpoint, port: await freePort(), runId, pidFile: PID_FILE });
    timings.playgroundStartMs = Date.now() - t0;
  } catch (err) {
    log(`start failed: ${err.stack || err.message}`);
    await stop();
    throw err;
  }
  log(`started: ${JSON.stringify(timings)}`);
  return { bot, pg, stop, log, timings, resultsDir: RESULTS_DIR };
}

module.exports = { startE2E, RESULTS_DIR };

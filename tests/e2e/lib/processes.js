'use strict';
// Child-process plumbing for the e2e harness: every process we start gets its own process group
// (detached), a log file, a marker in its environment, and is stopped by PID (group) only.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const MARKER_VAR = 'APPROVALBOT_E2E_RUN';
const live = new Map(); // pid -> { name, child, exited }

/** A free TCP port on 127.0.0.1 (the OS picks it; tiny race until the child binds it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Start a process in a new process group, stdout+stderr appended to logFile.
 * Returns { pid, child, exited: Promise<{code, signal}>, onLine(fn) }.
 */
function startProcess(name, command, args, { cwd, env, logFile, runId, pidFile }) {
  const out = fs.openSync(logFile, 'a');
  fs.writeSync(out, `# ${new Date().toISOString()} ${name}: ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd,
    env: { ...env, [MARKER_VAR]: runId },
    detached: true, // own process group: we can stop it and its children with kill(-pid)
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listeners = [];
  let buffered = '';
  const onData = (chunk) => {
    fs.writeSync(out, chunk);
    buffered += chunk.toString('utf8');
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      for (const fn of listeners) fn(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      try { fs.writeSync(out, `\n# ${new Date().toISOString()} ${name} exited code=${code} signal=${signal}\n`); } catch { /* closed */ }
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      try { fs.writeSync(out, `\n# ${name} failed to start: ${err.message}\n`); } catch { /* closed */ }
      resolve({ code: -1, signal: null, error: err });
    });
  });
  exited.then(() => {
    live.delete(child.pid);
    setTimeout(() => { try { fs.closeSync(out); } catch { /* already */ } }, 200).unref();
    writePidFile(pidFile);
  });
  if (child.pid) {
    live.set(child.pid, { name, child, exited });
    writePidFile(pidFile);
  }
  return { name, pid: child.pid, child, exited, onLine: (fn) => listeners.push(fn) };
}

function writePidFile(pidFile) {
  if (!pidFile) return;
  try {
    fs.writeFileSync(pidFile, JSON.stringify([...live.entries()].map(([pid, p]) => ({ pid, name: p.name }))));
  } catch { /* results dir may be gone at the very end */ }
}

function signalGroup(pid, signal) {
  try { process.kill(-pid, signal); return true; } catch { /* group gone */ }
  try { process.kill(pid, signal); return true; } catch { return false; }
}

const TIMEOUT = Symbol('timeout');
/** promise's value, or TIMEOUT after ms; the timer never outlives the race. */
async function raceTimeout(promise, ms) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((r) => { timer = setTimeout(r, ms, TIMEOUT); })]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * SIGTERM the process group, SIGKILL it after graceMs if it is still there. Also when the leader has
 * already exited, the group is swept once, so that no child it left behind survives.
 */
async function stopProcess(proc, graceMs = 5000) {
  if (!proc || !proc.pid) return;
  if (live.has(proc.pid)) {
    signalGroup(proc.pid, 'SIGTERM');
    if ((await raceTimeout(proc.exited, graceMs)) === TIMEOUT) {
      signalGroup(proc.pid, 'SIGKILL');
      await raceTimeout(proc.exited, 2000);
    }
  }
  try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* no member of the group is left */ }
}

/** Synchronous last resort (process 'exit' handler): SIGKILL every group we still know. */
function killAllSync() {
  for (const pid of live.keys()) signalGroup(pid, 'SIGKILL');
  live.clear();
}

/**
 * A previous run that was SIGKILLed cannot clean up after itself. Its pid file names the groups
 * it started; kill a group only if its leader still carries a marker of a harness run in its environment.
 */
function reapStale(pidFile) {
  let entries = [];
  try { entries = JSON.parse(fs.readFileSync(pidFile, 'utf8')); } catch { return []; }
  const reaped = [];
  for (const { pid, name } of entries) {
    let environ = '';
    try { environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8'); } catch { continue; }
    if (!environ.split('\0').some((kv) => kv.startsWith(`${MARKER_VAR}=`))) continue;
    signalGroup(pid, 'SIGKILL');
    reaped.push(`${name}(${pid})`);
  }
  try { fs.unlinkSync(pidFile); } catch { /* fine */ }
  return reaped;
}

let handlersInstalled = false;
/** Make sure children die with us, also on Ctrl-C / SIGTERM of the test process. */
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      killAllSync();
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig]));
    });
  }
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch { return `(no ${path.basename(file)})`; }
}

module.exports = { TIMEOUT, raceTimeout, freePort, startProcess, stopProcess, killAllSync, reapStale, installExitHandlers, tail, MARKER_VAR };

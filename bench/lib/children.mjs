// Starts the bench's child processes (optionally pinned with taskset) and guarantees every one is killed on exit.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set();
let hasTaskset;

/** True when `taskset` can be run (util-linux); without it the bench runs unpinned and says so. */
export function tasksetAvailable() {
  if (hasTaskset === undefined) hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return hasTaskset;
}

/**
 * Spawns `cmd args` pinned to `core` (null = unpinned). stdout+stderr go to `logFile`, or stdout is piped when
 * `pipeStdout` (stderr then goes to the log). stdin is a pipe our own scripts watch, so they exit if we die.
 */
export function startChild({ name, cmd, args, core, logFile, pipeStdout = false, env = process.env, cwd = undefined }) {
  const [file, argv] = core == null ? [cmd, args] : ['taskset', ['-c', String(core), cmd, ...args]];
  const fd = openSync(logFile, 'w');
  let child;
  try {
    child = spawn(file, argv, { stdio: ['pipe', pipeStdout ? 'pipe' : fd, fd], env, cwd });
  } finally {
    closeSync(fd);
  }
  child.benchName = name;
  child.logFile = logFile;
  child.exited = false;
  live.add(child);
  child.on('exit', (code, signal) => {
    child.exited = true;
    child.exitInfo = signal ?? code;
    live.delete(child);
  });
  child.on('error', (err) => {
    child.exited = true;
    child.exitInfo = err.message;
    live.delete(child);
  });
  return child;
}

/** Polls the child's log until `regex` matches; rejects if the child exits or `timeoutMs` passes. */
export async function waitForLog(child, regex, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = readLog(child);
    const m = regex.exec(text);
    if (m) return m;
    if (child.exited) throw new Error(`${child.benchName} exited (${child.exitInfo}) before it was ready:\n${tail(text)}`);
    await sleep(25);
  }
  throw new Error(`${child.benchName} not ready after ${timeoutMs} ms:\n${tail(readLog(child))}`);
}

/** The last lines of a child's log, for error messages. */
export function logTail(child) {
  return tail(readLog(child));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export async function stopChild(child, graceMs = 2000) {
  if (child.exited) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Synchronous last resort: SIGKILL every child still alive. */
export function killAllChildren() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  live.clear();
}

/** Installs exit/signal/error hooks so no child outlives the bench; `cleanup` runs synchronously after the kills. */
export function killChildrenOnExit(cleanup = () => {}) {
  const finish = () => {
    killAllChildren();
    cleanup();
  };
  process.on('exit', finish);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, stopping children\n`);
      finish();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
  const fatal = (err) => {
    process.stderr.write(`bench: fatal: ${err?.stack ?? err}\n`);
    finish();
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

/** Used by our own child scripts: exit when the parent's end of stdin closes (the parent died or stopped us). */
export function exitWhenParentGoes() {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

function readLog(child) {
  try {
    return readFileSync(child.logFile, 'utf8');
  } catch {
    return '';
  }
}

function tail(text, lines = 15) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

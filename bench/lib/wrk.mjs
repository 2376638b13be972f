// Closed-loop max throughput with wrk (C, far cheaper per request than a Node generator) when it is installed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let version;

/** wrk's version string, or null when wrk is not on PATH (the bench then uses loadgen's closed loop). */
export function wrkVersion() {
  if (version === undefined) {
    const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
    version = r.error ? null : (/wrk\s+(\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown');
  }
  return version;
}

/** Writes the Lua script that makes wrk POST our body with our headers; returns its path. */
export function writeWrkScript(dir, name, body, headers) {
  const lines = ['wrk.method = "POST"', `wrk.body = ${luaString(body)}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
  const file = join(dir, `${name}.lua`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** wrk arguments for one run of `seconds` against `url` (must be 127.0.0.1). */
export function wrkArgs({ url, script, connections, seconds, timeoutS = 10 }) {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`wrk targets 127.0.0.1 only, got ${url}`);
  return ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, `--timeout`, `${timeoutS}s`, '-s', script, url];
}

/** Parses wrk's summary into { rps, requests, errorCount, errors }. */
export function parseWrk(text) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1]);
  const errors = {};
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  if (sock) ['connect', 'read', 'write', 'timeout'].forEach((k, i) => { if (Number(sock[i + 1])) errors[k] = Number(sock[i + 1]); });
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  if (non2xx) errors.non_2xx = Number(non2xx[1]);
  if (!Number.isFinite(rps)) throw new Error(`could not parse wrk output:\n${text}`);
  return { rps, requests, errorCount: Object.values(errors).reduce((a, b) => a + b, 0), errors };
}

function luaString(s) {
  // A long bracket with enough '=' that the content cannot close it.
  let eq = '';
  while (s.includes(`]${eq}]`)) eq += '=';
  return `[${eq}[${s}]${eq}]`;
}

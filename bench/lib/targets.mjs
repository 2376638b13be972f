// Starts the processes under test (mock provider, bare proxy, Sluice) and checks each answers before load begins.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { startChild, waitForLog, logTail } from './children.mjs';
import { CHAT_PATH, MODEL, chatBody, chatHeaders } from './workload.mjs';

const BENCH_DIR = new URL('..', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const SLUICE_CLI = join(ROOT, 'dist/cli.js');
const READY = /listening on (https?:\/\/\S+)/;
const CORE_PROXY = 0;
const CORE_LOAD = 1;

/** The mock provider on the load core; resolves to { child, origin, kind }. */
export async function startMock(s, logDir) {
  const env = {
    ...process.env, BENCH_CHILD: '1',
    MOCK_LATENCY_MS: String(s.mockLatencyMs), MOCK_CHUNKS: String(s.streamChunks), MOCK_CHUNK_DELAY_MS: String(s.chunkDelayMs),
  };
  const child = startChild({
    name: 'mock', cmd: process.execPath, args: [join(BENCH_DIR, 'mock-process.mjs')],
    core: s.pin ? CORE_LOAD : null, logFile: join(logDir, 'mock.log'), env,
  });
  const m = await waitForLog(child, /bench mock (.+) listening on (http:\/\/\S+)/, 15_000);
  return { child, origin: loopbackOrigin(m[2]), kind: m[1] };
}

/** bench/bare-proxy.mjs on the proxy core, forwarding to the mock. */
export async function startBare(s, mockOrigin, logFile) {
  const child = startChild({
    name: 'bare proxy', cmd: process.execPath, args: [join(BENCH_DIR, 'bare-proxy.mjs'), mockOrigin],
    core: s.pin ? CORE_PROXY : null, logFile, env: { ...process.env, BENCH_CHILD: '1' },
  });
  const m = await waitForLog(child, READY, 15_000);
  return { child, origin: loopbackOrigin(m[1]) };
}

/** The Sluice gateway (dist/cli.js) on the proxy core with a generated (or BENCH_SLUICE_CONFIG) config. */
export async function startSluice(s, mockOrigin, logFile, tmpDir) {
  if (!existsSync(SLUICE_CLI)) throw new Error(`dist/cli.js not found: build Sluice first (npm run build), or leave "sluice" out of BENCH_TARGETS`);
  const configFile = join(tmpDir, 'sluice-bench.yaml');
  writeFileSync(configFile, sluiceConfig(s, mockOrigin));
  const port = await freePort();
  const child = startChild({
    // How `npm start` and the `sluice` binary start node (package.json, scripts/bundle.mjs).
    name: 'sluice', cmd: process.execPath, args: ['--max-semi-space-size=2', SLUICE_CLI, '--config', configFile, '--host', '127.0.0.1', '--port', String(port), ...s.sluiceArgs],
    core: s.pin ? CORE_PROXY : null, logFile, env: { MALLOC_ARENA_MAX: '2', ...process.env },
  });
  const m = await waitForLog(child, READY, 30_000);
  const origin = loopbackOrigin(m[1]);
  const live = await request(`${origin}/health/liveliness`, { headers: chatHeaders(s.apiKey) }).catch((e) => ({ statusCode: e.code ?? e.message, body: null }));
  await live.body?.dump();
  if (live.statusCode !== 200) throw new Error(`sluice /health/liveliness answered ${live.statusCode}\n${logTail(child)}`);
  return { child, origin };
}

/** One non-stream and one stream request; throws with the reply when the target is not serving `bench-model`. */
export async function probe(origin, apiKey, stream) {
  const res = await request(`${origin}${CHAT_PATH}`, {
    method: 'POST', headers: chatHeaders(apiKey), body: chatBody(stream), headersTimeout: 10_000, bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  const ok = res.statusCode === 200 && (stream ? text.includes('[DONE]') : text.includes('"choices"'));
  if (!ok) throw new Error(`probe ${stream ? 'stream' : 'non-stream'} request to ${origin} got ${res.statusCode}: ${text.slice(0, 300)}`);
}

function sluiceConfig(s, mockOrigin) {
  const port = new URL(mockOrigin).port;
  if (s.sluiceConfig) {
    return readFileSync(s.sluiceConfig, 'utf8')
      .replaceAll('{{MOCK_BASE}}', `${mockOrigin}/v1`).replaceAll('{{MOCK_ORIGIN}}', mockOrigin).replaceAll('{{MOCK_PORT}}', port);
  }
  return [
    'model_list:',
    `  - model_name: ${MODEL}`,
    '    litellm_params:',
    '      model: openai/gpt-4o-mini',
    `      api_base: ${mockOrigin}/v1`,
    '      api_key: sk-bench',
    'general_settings:',
    `  master_key: ${s.apiKey}`,
    '',
  ].join('\n');
}

/** Whatever host a child printed, the bench only talks to 127.0.0.1 on that port. */
function loopbackOrigin(printed) {
  const url = new URL(printed);
  return `http://127.0.0.1:${url.port}`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

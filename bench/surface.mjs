// Added latency of the surface routes (images, speech, a 1 MB transcription upload, rerank): the same sequential
// requests straight to `sluice mock` and through Sluice, both as child processes; medians and p99 over N requests.
// The upload is measured twice: spooled to disk for retries (the default, num_retries 2) and not (num_retries 0).
// Run: npm run build && node bench/surface.mjs [N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';

const N = Number(process.argv[2] ?? 200);
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sluice-surface-bench-'));
const children = [];

function start(args, pattern) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SLUICE_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = pattern.exec(out);
      if (found) resolve(Number(found[1]));
    });
  });
}

const mockPort = await start(['mock', '--port', '0'], /listening on http:\/\/[^:]+:(\d+)/);
const mockUrl = `http://127.0.0.1:${mockPort}`;
const config = join(dir, 'config.yaml');
const models = {
  model_list: [
    { model_name: 'dall-e-3', litellm_params: { model: 'openai/dall-e-3', api_base: `${mockUrl}/v1`, api_key: 'k' } },
    { model_name: 'tts-1', litellm_params: { model: 'openai/tts-1', api_base: `${mockUrl}/v1`, api_key: 'k' } },
    { model_name: 'whisper-1', litellm_params: { model: 'openai/whisper-1', api_base: `${mockUrl}/v1`, api_key: 'k' } },
    { model_name: 'rerank-v3.5', litellm_params: { model: 'cohere/rerank-v3.5', api_base: mockUrl, api_key: 'k' } },
  ],
  general_settings: { max_request_size_mb: 16 },
};
writeFileSync(config, JSON.stringify(models));
const gatewayPort = await start(['-c', config, '--port', '0', '--host', '127.0.0.1'], /listening on http:\/\/[^:]+:(\d+)/);
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const noRetries = join(dir, 'no-retries.yaml');
writeFileSync(noRetries, JSON.stringify({ ...models, router_settings: { num_retries: 0 } }));
const noRetriesUrl = `http://127.0.0.1:${await start(['-c', noRetries, '--port', '0', '--host', '127.0.0.1'], /listening on http:\/\/[^:]+:(\d+)/)}`;

const boundary = 'benchBoundary';
const upload = Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`),
  Buffer.alloc(1024 * 1024, 1),
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);
const cases = [
  ['images/generations', '/v1/images/generations', 'application/json', JSON.stringify({ model: 'dall-e-3', prompt: 'a fox', n: 1 })],
  ['audio/speech (64 KB streamed)', '/v1/audio/speech', 'application/json', JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'hello there' })],
  ['audio/transcriptions (1 MB, spooled)', '/v1/audio/transcriptions', `multipart/form-data; boundary=${boundary}`, upload],
  ['audio/transcriptions (1 MB, no spool)', '/v1/audio/transcriptions', `multipart/form-data; boundary=${boundary}`, upload, noRetriesUrl],
  ['rerank (Cohere)', '/v2/rerank', 'application/json', JSON.stringify({ model: 'rerank-v3.5', query: 'cats', documents: ['dogs', 'cats', 'fish'], top_n: 2 })],
];

async function timed(base, path, type, body) {
  const times = [];
  for (let i = 0; i < N; i++) {
    const started = performance.now();
    const response = await request(`${base}${path}`, { method: 'POST', headers: { 'content-type': type, authorization: 'Bearer k' }, body });
    await response.body.arrayBuffer();
    if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(N / 2)], p99: times[Math.floor(N * 0.99)] };
}

console.log(`surface routes, ${N} sequential requests each (ms): direct to mock | through Sluice | added (median)`);
for (const [name, path, type, body, through = gatewayUrl] of cases) {
  await timed(through, path, type, body); // warm-up round, not reported
  const direct = await timed(mockUrl, path, type, body);
  const viaSluice = await timed(through, path, type, body);
  console.log(`${name.padEnd(36)} ${direct.median.toFixed(2)} (p99 ${direct.p99.toFixed(2)}) | ${viaSluice.median.toFixed(2)} (p99 ${viaSluice.p99.toFixed(2)}) | +${(viaSluice.median - direct.median).toFixed(2)}`);
}
for (const child of children) child.kill();
rmSync(dir, { recursive: true, force: true });

// A 20 MB transcription upload through the gateway: streamed (and, with the default num_retries, spooled to disk for
// a retry), so the gateway's live memory barely moves.
// The mock (`sluice mock`, which buffers uploads) and the official openai client run as their own processes; only the
// gateway runs here, and memory is sampled right after a forced GC every few ms, so garbage that V8 has not
// collected yet is not counted as held.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startCli, startGateway, type RunningCli, type RunningGateway } from '../support/gateway.js';

const UPLOAD_BYTES = 20 * 1024 * 1024;
/** Live-memory growth allowed while the upload flows: a buffered body alone would add 20 MB. */
const MAX_GROWTH_BYTES = 4 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let mock: RunningCli;
let gateway: RunningGateway;

before(async () => {
  mock = await startCli(['mock', '--port', '0'], {}, /mock listening on http:\/\/[^:]+:(\d+)/);
  gateway = await startGateway({
    model_list: [{ model_name: 'whisper', litellm_params: { model: 'openai/whisper-1', api_base: `${mock.url}/v1`, api_key: 'sk-up' } }],
    general_settings: { max_request_size_mb: 64 },
  });
});

after(async () => {
  await gateway?.close();
  await mock?.stop();
});

function live(): { rss: number; buffers: number } {
  gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, buffers: usage.arrayBuffers };
}

/** The client: a child process uploading `bytes` (every 4096th byte set) with the official openai client. */
const CLIENT = `
import OpenAI, { toFile } from 'openai';
const [url, size] = process.argv.slice(1);
const audio = Buffer.alloc(Number(size));
for (let at = 0; at < audio.length; at += 4096) audio[at] = at & 0xff;
const client = new OpenAI({ baseURL: url, apiKey: 'none', maxRetries: 0 });
const result = await client.audio.transcriptions.create({ model: 'whisper', file: await toFile(audio, 'long.wav') });
process.stdout.write(result.text);
`;

async function upload(size: number): Promise<string> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CLIENT, `${gateway.url}/v1`, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, 'the client failed');
  return out;
}

test('a 20 MB upload is streamed: live buffer memory grows by less than 4 MB, bytes arrive intact', async () => {
  await upload(1024);
  const audio = Buffer.alloc(UPLOAD_BYTES);
  for (let at = 0; at < audio.length; at += 4096) audio[at] = at & 0xff;
  const digest = createHash('sha256').update(audio).digest('hex');
  const base = live();
  let peak = base;
  const sampler = setInterval(() => {
    const now = live();
    if (now.buffers > peak.buffers) peak = now;
  }, 10);
  let text: string;
  try {
    text = await upload(UPLOAD_BYTES);
  } finally {
    clearInterval(sampler);
  }
  assert.ok(text.includes(digest), 'the provider saw the exact bytes');
  assert.ok(text.includes(`${UPLOAD_BYTES} bytes`));
  const growth = peak.buffers - base.buffers;
  console.log(`# upload 20 MB: live buffers ${(base.buffers / 1048576).toFixed(1)} → peak ${(peak.buffers / 1048576).toFixed(1)} MB (+${(growth / 1048576).toFixed(2)} MB); rss at that peak ${(peak.rss / 1048576).toFixed(1)} MB`);
  assert.ok(growth < MAX_GROWTH_BYTES, `live buffer memory grew by ${(growth / 1048576).toFixed(1)} MB`);
});

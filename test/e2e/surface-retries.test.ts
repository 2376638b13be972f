// Retries, fallbacks and waits on the surface routes, with the official openai client against `sluice mock` faults:
// JSON routes as chat, streamed speech only before its first byte, uploads replayed from the spool, files pinned.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { speechBytes } from '../../src/mockserver/openai/audio.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { startMockServer, type MockServer } from '../support/mock.js';

const MASTER = 'sk-master-retries';
let mock: MockServer;
let gateway: RunningGateway;
let client: OpenAI;

function at(name: string, model: string, scenario: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = scenario === null ? `${mock.url}/v1` : `${mock.url}/mock/${scenario}/v1`;
  return { model_name: name, litellm_params: { model: model.includes('/') ? model : `openai/${model}`, api_base: base, api_key: 'sk-upstream', ...extra } };
}

interface Recorded {
  path: string;
  body: { fields?: Record<string, string>; files?: Record<string, { size: number; sha256: string }> } | null;
}

/** Requests the mock received whose path starts with `prefix` (the scenario prefix names the deployment). */
async function upstreamCalls(prefix: string): Promise<Recorded[]> {
  const all = (await (await fetch(`${mock.url}/mock/requests`)).json()) as Recorded[];
  return all.filter((request) => request.path.startsWith(prefix));
}

before(async () => {
  mock = await startMockServer();
  gateway = await startGateway({
    model_list: [
      // The first OpenAI deployment holds files and batches; its first call fails.
      at('files-home', 'gpt-4o-mini', 'fail_first=1,status=500,usage=1'),
      at('painter-flaky', 'dall-e-3', 'fail_first=1,status=500'),
      at('painter-down', 'dall-e-3', 'status=503'),
      at('painter-up', 'dall-e-2', null),
      at('speech-flaky', 'tts-1', 'fail_first=1,status=500,latency=0'),
      at('speech-dead', 'tts-1', 'drop_after=0'),
      at('speech-cut', 'tts-1', 'drop_after=4'),
      at('whisper-flaky', 'whisper-1', 'fail_first=1,status=502'),
      at('whisper-down', 'whisper-1', 'status=500'),
      at('whisper-up', 'gpt-4o-transcribe', null),
      at('moderation-limited', 'omni-moderation-latest', 'fail_first=1,status=429,retry_after=1'),
      { model_name: 'rerank-flaky', litellm_params: { model: 'cohere/rerank-v3.5', api_base: `${mock.url}/mock/fail_first=1,status=504`, api_key: 'co' } },
    ],
    router_settings: { num_retries: 2, fallbacks: [{ 'painter-down': ['painter-up'] }, { 'whisper-down': ['whisper-up'] }] },
    general_settings: { master_key: MASTER, max_request_size_mb: 30 },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER, maxRetries: 0 });
});

after(async () => {
  await gateway?.close();
  await mock?.close();
});

describe('JSON routes', () => {
  test('a 5xx is retried on the group, and the answer says so', async () => {
    const { data, response } = await client.images.generate({ model: 'painter-flaky', prompt: 'a lighthouse' }).withResponse();
    assert.equal(data.data!.length, 1);
    assert.equal(response.headers.get('x-litellm-attempted-retries'), '1');
    assert.equal(response.headers.get('x-litellm-max-retries'), '2');
    assert.equal((await upstreamCalls('/mock/fail_first=1,status=500/')).length, 2);
  });

  test('a group that keeps failing falls back to the configured group', async () => {
    const { data, response } = await client.images.generate({ model: 'painter-down', prompt: 'a fox' }).withResponse();
    assert.match(data.data![0]!.revised_prompt!, /model=dall-e-2/);
    assert.equal(response.headers.get('x-litellm-attempted-fallbacks'), '1');
    assert.equal(response.headers.get('x-litellm-model-group'), 'painter-up');
    assert.equal(response.headers.get('x-litellm-attempted-retries'), '2', 'num_retries were used up first');
  });

  test('a 429 with retry-after waits that long before the retry', async () => {
    const started = Date.now();
    const { data, response } = await client.moderations.create({ model: 'moderation-limited', input: 'hello' }).withResponse();
    assert.equal(data.results.length, 1);
    assert.equal(response.headers.get('x-litellm-attempted-retries'), '1');
    assert.ok(Date.now() - started >= 900, `retried after ${Date.now() - started} ms, before the provider's retry-after of 1 s`);
  });

  test('rerank (Cohere) is retried too; num_retries in the body limits it', async () => {
    const answer = await fetch(`${gateway.url}/v1/rerank`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: JSON.stringify({ model: 'rerank-flaky', query: 'q', documents: ['a', 'b'] }) });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-litellm-attempted-retries'), '1');
    const none = await fetch(`${gateway.url}/v1/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: JSON.stringify({ model: 'painter-down', prompt: 'x', num_retries: 0, fallbacks: [] }) });
    assert.equal(none.status, 503);
    assert.equal(none.headers.get('x-litellm-attempted-retries'), '0');
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, '503');
  });
});

describe('streamed speech', () => {
  test('a failure before the first audio byte is retried; the bytes arrive unchanged', async () => {
    const input = 'Retry me before you speak. '.repeat(20);
    const response = await client.audio.speech.create({ model: 'speech-flaky', voice: 'alloy', input });
    assert.equal(response.headers.get('x-litellm-attempted-retries'), '1');
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(speechBytes(input, 'alloy')));
  });

  test('a connection lost before the first byte is retried, then answered as a JSON error', async () => {
    const response = await fetch(`${gateway.url}/v1/audio/speech`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: JSON.stringify({ model: 'speech-dead', voice: 'alloy', input: 'x', num_retries: 1 }) });
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('x-litellm-attempted-retries'), '1');
    assert.equal(((await response.json()) as { error: { type: string } }).error.type, 'api_connection_error');
    assert.equal((await upstreamCalls('/mock/drop_after=0/')).length, 2);
  });

  test('after the first byte nothing is retried: the client sees a broken transfer, not a complete file', async () => {
    const response = await fetch(`${gateway.url}/v1/audio/speech`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: JSON.stringify({ model: 'speech-cut', voice: 'alloy', input: 'y'.repeat(2000) }) });
    assert.equal(response.status, 200);
    await assert.rejects(response.arrayBuffer());
    assert.equal((await upstreamCalls('/mock/drop_after=4/')).length, 1);
  });
});

describe('uploads', () => {
  const audio = Buffer.alloc(600_000);
  for (let index = 0; index < audio.length; index++) audio[index] = (index * 7) % 256;
  const digest = createHash('sha256').update(audio).digest('hex');

  test('a failed upload is replayed from the spool: same bytes, the model rewritten again', async () => {
    const { data, response } = await client.audio.transcriptions.create({ model: 'whisper-flaky', file: await toFile(audio, 'long.wav') }).withResponse();
    assert.equal(response.headers.get('x-litellm-attempted-retries'), '1');
    assert.ok(data.text.includes(digest), 'the provider saw the exact bytes on the retry');
    const calls = await upstreamCalls('/mock/fail_first=1,status=502/');
    assert.equal(calls.length, 2);
    for (const call of calls) assert.equal(call.body?.files?.file?.sha256, digest);
  });

  test('a fallback replays the upload with the fallback deployment\'s model name', async () => {
    const { data, response } = await client.audio.transcriptions.create({ model: 'whisper-down', file: await toFile(audio, 'long.wav') }).withResponse();
    assert.match(data.text, /^transcribe by gpt-4o-transcribe of long\.wav: 600000 bytes/);
    assert.ok(data.text.includes(digest));
    assert.equal(response.headers.get('x-litellm-attempted-fallbacks'), '1');
    assert.equal(response.headers.get('x-litellm-model-group'), 'whisper-up');
  });

  test('files: the upload and the calls on it are retried against the deployment that holds them', async () => {
    const line = JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } });
    const { data: file, response } = await client.files.create({ file: await toFile(Buffer.from(line), 'in.jsonl'), purpose: 'batch' }).withResponse();
    assert.equal(response.headers.get('x-litellm-attempted-retries'), '1');
    assert.equal(await (await client.files.content(file.id)).text(), line, 'the replayed upload arrived whole');
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    assert.equal((await client.batches.retrieve(batch.id)).status, 'completed');
  });
});

describe('without retries', () => {
  test('nothing is spooled and a failed upload is answered at once', async () => {
    const single = await startGateway({
      model_list: [at('whisper-once', 'whisper-1', 'fail_first=1,status=502,latency=0')],
      router_settings: { num_retries: 0 },
    });
    try {
      const once = new OpenAI({ baseURL: `${single.url}/v1`, apiKey: 'none', maxRetries: 0 });
      await assert.rejects(once.audio.transcriptions.create({ model: 'whisper-once', file: await toFile(Buffer.alloc(1000), 'a.wav') }), (error: { status: number }) => error.status === 502);
      assert.equal((await upstreamCalls('/mock/fail_first=1,status=502,latency=0/')).length, 1);
    } finally {
      await single.close();
    }
  });
});

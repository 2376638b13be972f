// Images, audio, moderations, rerank, files and batches through Sluice to the mock, with the official openai client.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import OpenAI, { AzureOpenAI, toFile } from 'openai';
import { speechBytes } from '../../src/mockserver/openai/audio.js';
import type { RequestOutcome } from '../../src/dataplane/request-outcome.js';
import { InMemoryOwnershipStore } from '../../src/surface/ownership-store.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { lastUpstreamRequest, startMockServer, type MockServer } from '../support/mock.js';

const MASTER = 'sk-master-surface';
let mock: MockServer;
let gateway: RunningGateway;
let client: OpenAI;
const store = new InMemoryOwnershipStore();
const outcomes: RequestOutcome[] = [];

function openai(model: string, name = model, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model_name: name, litellm_params: { model: `openai/${model}`, api_base: `${mock.url}/v1`, api_key: 'sk-upstream', ...extra } };
}

before(async () => {
  mock = await startMockServer();
  gateway = await startGateway({
    model_list: [
      openai('gpt-4o-mini'),
      openai('dall-e-3'),
      openai('tts-1'),
      openai('whisper-1'),
      openai('whisper-1', 'my-whisper'),
      openai('omni-moderation-latest'),
      openai('gpt-image-1', 'painter', {}),
      { model_name: 'azure-whisper', litellm_params: { model: 'azure/whisper-deploy', api_base: mock.url, api_key: 'az-key', api_version: '2024-06-01' } },
      { model_name: 'moderation-pair', litellm_params: { model: 'openai/omni-moderation-latest', api_base: `${mock.url}/mock/status=429/v1`, api_key: 'sk-upstream' } },
      { model_name: 'moderation-pair', litellm_params: { model: 'openai/omni-moderation-latest', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
      { model_name: 'speech-429', litellm_params: { model: 'openai/tts-1', api_base: `${mock.url}/mock/status=429/v1`, api_key: 'sk-upstream' } },
      { model_name: 'imagen', litellm_params: { model: 'gemini/imagen-3.0-generate-002', api_base: mock.url, api_key: 'g-key' } },
      { model_name: 'vertex-imagen', litellm_params: { model: 'vertex_ai/imagen-3.0-generate-002', api_base: mock.url, api_key: 'vertex-token', vertex_project: 'proj', vertex_location: 'us-central1' } },
      { model_name: 'titan-image', litellm_params: { model: 'bedrock/amazon.titan-image-generator-v2:0', aws_bedrock_runtime_endpoint: mock.url, aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'secret', aws_region_name: 'us-east-1', output_cost_per_image: 0.01 } },
      { model_name: 'cohere-rerank', litellm_params: { model: 'cohere/rerank-v3.5', api_base: mock.url, api_key: 'co-key' } },
      { model_name: 'jina-rerank', litellm_params: { model: 'jina_ai/jina-reranker-v2-base-multilingual', api_base: `${mock.url}/v1`, api_key: 'jina-key' } },
      { model_name: 'voyage-rerank', litellm_params: { model: 'voyage/rerank-2', api_base: `${mock.url}/v1`, api_key: 'voyage-key' } },
      { model_name: 'vllm-rerank', litellm_params: { model: 'hosted_vllm/BAAI/bge-reranker-v2-m3', api_base: `${mock.url}/v1` } },
      { model_name: 'bedrock-rerank', litellm_params: { model: 'bedrock/amazon.rerank-v1:0', aws_bedrock_runtime_endpoint: mock.url, aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'secret', aws_region_name: 'us-west-2' } },
    ],
    general_settings: { master_key: MASTER, max_request_size_mb: 30 },
  }, { ownershipStore: store, observers: [{ onRequestFinished: (outcome) => outcomes.push(outcome) }] });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: MASTER, maxRetries: 0 });
});

after(async () => {
  await gateway?.close();
  await mock?.close();
});

async function rerank(model: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${gateway.url}/v1/rerank`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, query: 'cats purr', documents: ['dogs bark loudly', 'cats purr softly', { text: 'fish swim' }], top_n: 2, return_documents: true, ...extra }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe('images', () => {
  test('generation returns n images and a per-image cost', async () => {
    const { data, response } = await client.images.generate({ model: 'dall-e-3', prompt: 'a lighthouse', n: 2, size: '1024x1792' }).withResponse();
    assert.equal(data.data!.length, 2);
    assert.match(data.data![0]!.revised_prompt!, /model=dall-e-3/);
    assert.equal(response.headers.get('x-litellm-model-group'), 'dall-e-3');
    assert.equal(Number(response.headers.get('x-litellm-response-cost')), 0.16);
    const outcome = outcomes.find((o) => o.callId === response.headers.get('x-litellm-call-id'));
    assert.equal(outcome?.endpoint, 'image_generation');
    assert.equal(outcome?.responseCost, 0.16);
  });

  test('Imagen (Gemini, Vertex) and Bedrock image models answer in OpenAI\'s shape', async () => {
    const gemini = await client.images.generate({ model: 'imagen', prompt: 'a fox', n: 2, size: '1792x1024' });
    assert.equal(gemini.data!.length, 2);
    assert.ok(gemini.data![0]!.b64_json!.length > 20);
    let upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1beta/models/imagen-3.0-generate-002:predict');
    assert.deepEqual((upstream.body as { parameters: unknown }).parameters, { sampleCount: 2, aspectRatio: '16:9' });
    const vertex = await client.images.generate({ model: 'vertex-imagen', prompt: 'a fox' });
    assert.equal(vertex.data!.length, 1);
    upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/projects/proj/locations/us-central1/publishers/google/models/imagen-3.0-generate-002:predict');
    const { data: titan, response } = await client.images.generate({ model: 'titan-image', prompt: 'a fox', n: 3 }).withResponse();
    assert.equal(titan.data!.length, 3);
    assert.equal(Number(response.headers.get('x-litellm-response-cost')), 0.03);
    upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/model/amazon.titan-image-generator-v2%3A0/invoke');
    assert.match(String(upstream.headers.authorization), /^AWS4-HMAC-SHA256/);
    assert.equal((upstream.body as { taskType: string }).taskType, 'TEXT_IMAGE');
  });

  test('edits stream the multipart body with the model rewritten', async () => {
    const image = await toFile(Buffer.from('not really a png'), 'in.png', { type: 'image/png' });
    const result = await client.images.edit({ model: 'painter', image, prompt: 'add a hat' });
    assert.match(result.data![0]!.revised_prompt!, /model=gpt-image-1/);
    assert.match(result.data![0]!.revised_prompt!, new RegExp(createHash('sha256').update('not really a png').digest('hex')));
  });
});

describe('audio', () => {
  test('speech bytes arrive unchanged, streamed', async () => {
    const input = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
    const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
    assert.equal(response.headers.get('content-type'), 'audio/mpeg');
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.ok(bytes.equals(speechBytes(input, 'alloy')), 'audio differs from what the provider sent');
    assert.ok(bytes.length > 100_000);
  });

  test('a provider error before the first byte is an OpenAI error with its status', async () => {
    await assert.rejects(client.audio.speech.create({ model: 'speech-429', voice: 'alloy', input: 'x' }), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 429);
  });

  test('transcription: model rewritten, file bytes intact, cost from the reported duration', async () => {
    const audio = Buffer.alloc(160_000, 7);
    const { data, response } = await client.audio.transcriptions.create({ model: 'my-whisper', file: await toFile(audio, 'talk.wav') }).withResponse();
    assert.match(data.text, /^transcribe by whisper-1 of talk\.wav: 160000 bytes/);
    assert.ok(data.text.includes(createHash('sha256').update(audio).digest('hex')));
    assert.equal(Number(response.headers.get('x-litellm-response-cost')), 0.001);
  });

  test('model after the file is found within the lookahead; translation and Azure work too', async () => {
    const file = await toFile(Buffer.alloc(50_000, 1), 'late.wav');
    const late = await client.audio.translations.create({ file, model: 'whisper-1' });
    assert.match(late.text, /^translate by whisper-1 .* fields file,model$/);
    const azure = await client.audio.transcriptions.create({ model: 'azure-whisper', file: await toFile(Buffer.alloc(10, 2), 'a.wav'), response_format: 'text' });
    assert.match(String(azure), /by whisper-deploy/);
    const upstream = await lastUpstreamRequest(mock);
    assert.match(upstream.path, /^\/openai\/deployments\/whisper-deploy\/audio\/transcriptions\?api-version=2024-06-01/);
    assert.equal(upstream.headers['api-key'], 'az-key');
  });

  test('the AzureOpenAI client\'s deployment paths route by the path\'s model', async () => {
    const azure = new AzureOpenAI({ endpoint: gateway.url, apiKey: MASTER, apiVersion: '2024-06-01', deployment: 'my-whisper', maxRetries: 0 });
    const text = await azure.audio.transcriptions.create({ model: 'ignored', file: await toFile(Buffer.alloc(100, 4), 'az.wav') });
    assert.match(text.text, /^transcribe by whisper-1 of az\.wav/);
    const speech = new AzureOpenAI({ endpoint: gateway.url, apiKey: MASTER, apiVersion: '2024-06-01', deployment: 'tts-1', maxRetries: 0 });
    const audio = Buffer.from(await (await speech.audio.speech.create({ model: 'ignored', voice: 'alloy', input: 'hi there' })).arrayBuffer());
    assert.ok(audio.equals(speechBytes('hi there', 'alloy')));
    assert.equal((await lastUpstreamRequest(mock)).path, '/v1/audio/speech');
  });

  test('an upload over max_request_size_mb is a 413; a multipart body without model is a 400', async () => {
    const big = await toFile(Buffer.alloc(31 * 1024 * 1024), 'big.wav');
    await assert.rejects(client.audio.transcriptions.create({ model: 'whisper-1', file: big }), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 413);
    // Chunked (no content-length): the limit is enforced while the body streams upstream.
    const boundary = 'sluice-test-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n`);
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 5);
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        if (sent >= 31) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const streamed = await fetch(`${gateway.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: chunked, duplex: 'half' } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(((await streamed.json()) as { error: { code: string } }).error.code, '413');
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(10)]), 'x.wav');
    const response = await fetch(`${gateway.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: form });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { param: string; code: string } };
    assert.equal(body.error.param, 'model');
    assert.equal(body.error.code, '400');
  });
});

describe('moderations', () => {
  test('without a model the first moderation deployment answers', async () => {
    const result = await client.moderations.create({ input: ['I will kill the process', 'hello'] });
    assert.equal(result.results.length, 2);
    assert.equal(result.results[0]!.flagged, true);
    assert.equal(result.results[1]!.flagged, false);
    assert.equal((await lastUpstreamRequest(mock)).path, '/v1/moderations');
  });
});

describe('routing', () => {
  test('a deployment that fails a surface call cools down like a chat deployment', async () => {
    let failures = 0;
    for (let i = 0; i < 12; i++) {
      await client.moderations.create({ model: 'moderation-pair', input: 'hello' }).catch((error: { status: number }) => {
        assert.equal(error.status, 429);
        failures++;
      });
    }
    assert.ok(failures <= 1, `the 429 deployment kept being picked (${failures} failures)`);
  });
});

describe('rerank (Cohere format in)', () => {
  test('Cohere: /v2/rerank upstream, search-unit cost, documents attached', async () => {
    const { status, body, headers } = await rerank('cohere-rerank');
    assert.equal(status, 200);
    const results = body.results as Array<{ index: number; relevance_score: number; document: { text: string } }>;
    assert.equal(results.length, 2);
    assert.equal(results[0]!.index, 1);
    assert.equal(results[0]!.document.text, 'cats purr softly');
    assert.equal(Number(headers.get('x-litellm-response-cost')), 0.002);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v2/rerank');
    assert.deepEqual((upstream.body as { documents: string[] }).documents, ['dogs bark loudly', 'cats purr softly', 'fish swim']);
  });

  test('Jina, Voyage, vLLM and Bedrock answers come back in Cohere shape', async () => {
    for (const [model, path, field] of [['jina-rerank', '/v1/rerank', 'top_n'], ['voyage-rerank', '/v1/rerank', 'top_k'], ['vllm-rerank', '/v1/rerank', 'top_n']] as const) {
      const { status, body } = await rerank(model);
      assert.equal(status, 200, model);
      const results = body.results as Array<{ index: number; document: { text: string } }>;
      assert.equal(results[0]!.index, 1, model);
      assert.equal(results.length, 2, model);
      const upstream = await lastUpstreamRequest(mock);
      assert.equal(upstream.path, path, model);
      assert.equal((upstream.body as Record<string, unknown>)[field], 2, model);
    }
    const bedrock = await rerank('bedrock-rerank');
    assert.equal(bedrock.status, 200);
    assert.equal((bedrock.body.results as Array<{ index: number }>)[0]!.index, 1);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/rerank');
    assert.match(String(upstream.headers.authorization), /^AWS4-HMAC-SHA256/);
    const configuration = (upstream.body as { rerankingConfiguration: { bedrockRerankingConfiguration: { modelConfiguration: { modelArn: string } } } }).rerankingConfiguration.bedrockRerankingConfiguration;
    assert.equal(configuration.modelConfiguration.modelArn, 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0');
  });

  test('/v2/rerank is the same route; bad documents are a 400 naming the field', async () => {
    const response = await fetch(`${gateway.url}/v2/rerank`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: JSON.stringify({ model: 'cohere-rerank', query: 'q', documents: [] }) });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { param: string } }).error.param, 'documents');
  });
});

describe('files and batches', () => {
  test('file → batch → result, with ownership enforced', async () => {
    const lines = ['a', 'b'].map((id) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }] } })).join('\n');
    const file = await client.files.create({ file: await toFile(Buffer.from(lines), 'input.jsonl'), purpose: 'batch' });
    assert.match(file.id, /^file-/);
    assert.equal((await client.files.retrieve(file.id)).filename, 'input.jsonl');
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const { data: done, response: retrieved } = await client.batches.retrieve(batch.id).withResponse();
    assert.equal(done.status, 'completed');
    // gpt-4o-mini's batch price from the table: 20 input tokens at $0.075/M, 10 output tokens at $0.30/M.
    assert.ok(Math.abs(Number(retrieved.headers.get('x-litellm-response-cost')) - (20 * 7.5e-8 + 10 * 3e-7)) < 1e-12);
    const output = await (await client.files.content(done.output_file_id!)).text();
    assert.match(output, /batch answer for a/);
    assert.equal((await store.get('file', done.output_file_id!))?.owner, (await store.get('batch', batch.id))?.owner, 'the output file belongs to the batch owner');
    const listed = await client.files.list();
    assert.ok(listed.data.some((f) => f.id === file.id));
    assert.ok((await client.batches.list()).data.some((b) => b.id === batch.id));
    const outcome = outcomes.findLast((o) => o.endpoint === 'batch_retrieve');
    assert.equal(outcome?.usage?.totalTokens, 30);
    assert.ok(Math.abs(outcome!.responseCost! - 4.5e-6) < 1e-12, 'priced at the batch price, not the synchronous one');
    await client.batches.retrieve(batch.id);
    assert.equal(outcomes.findLast((o) => o.endpoint === 'batch_retrieve')?.usage, null, 'a completed batch is counted once');

    // Another key's object: re-own the file and batch as someone else; this key must no longer see them.
    const other = createHash('sha256').update('sk-someone-else').digest('hex');
    const record = (await store.get('file', file.id))!;
    await store.delete('file', file.id);
    await store.put({ ...record, owner: other });
    const batchRecord = (await store.get('batch', batch.id))!;
    await store.delete('batch', batch.id);
    await store.put({ ...batchRecord, owner: other });
    await assert.rejects(client.files.retrieve(file.id), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 404);
    await assert.rejects(client.files.content(file.id), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 404);
    await assert.rejects(client.files.delete(file.id), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 404);
    await assert.rejects(client.batches.cancel(batch.id), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 404);
    await assert.rejects(client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 404);
    assert.ok(!(await client.files.list()).data.some((f) => f.id === file.id));
    assert.ok(!(await client.batches.list()).data.some((b) => b.id === batch.id));
  });

  test('delete removes ownership', async () => {
    const file = await client.files.create({ file: await toFile(Buffer.from('{}'), 'x.jsonl'), purpose: 'batch' });
    const deleted = await client.files.delete(file.id);
    assert.equal(deleted.deleted, true);
    assert.equal(await store.get('file', file.id), undefined);
  });
});

describe('modes and errors', () => {
  test('/v1/models and /model/info report each model\'s mode', async () => {
    const models = (await (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${MASTER}` } })).json()) as { data: Array<{ id: string; mode: string }> };
    const mode = new Map(models.data.map((m) => [m.id, m.mode]));
    assert.equal(mode.get('dall-e-3'), 'image_generation');
    assert.equal(mode.get('tts-1'), 'audio_speech');
    assert.equal(mode.get('my-whisper'), 'audio_transcription');
    assert.equal(mode.get('omni-moderation-latest'), 'moderation');
    assert.equal(mode.get('jina-rerank'), 'rerank');
    assert.equal(mode.get('gpt-4o-mini'), 'chat');
    const info = (await (await fetch(`${gateway.url}/model/info`, { headers: { authorization: `Bearer ${MASTER}` } })).json()) as { data: Array<{ model_name: string; model_info: { mode: string } }> };
    assert.equal(info.data.find((d) => d.model_name === 'painter')!.model_info.mode, 'image_generation');
  });

  test('a route the model\'s mode cannot serve is a 400 naming model and mode', async () => {
    await assert.rejects(client.images.generate({ model: 'gpt-4o-mini', prompt: 'x' }), (error: InstanceType<typeof OpenAI.APIError>) => {
      assert.equal(error.status, 400);
      assert.match(error.message, /'gpt-4o-mini' has mode 'chat'.*\/v1\/images\/generations/);
      return true;
    });
    await assert.rejects(client.chat.completions.create({ model: 'dall-e-3', messages: [{ role: 'user', content: 'hi' }] }), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 400 && /mode 'image_generation'/.test(error.message));
    await assert.rejects(client.images.generate({ model: 'nope', prompt: 'x' }), (error: InstanceType<typeof OpenAI.APIError>) => error.status === 400 && /Invalid model name/.test(error.message));
  });

  test('keys are checked, unknown ids are 404, wrong methods are 405', async () => {
    const anonymous = await fetch(`${gateway.url}/v1/images/generations`, { method: 'POST', body: '{}' });
    assert.equal(anonymous.status, 401);
    const missing = await fetch(`${gateway.url}/v1/files/file-doesnotexist`, { headers: { authorization: `Bearer ${MASTER}` } });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
    const huge = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Buffer.from(JSON.stringify({ model: 'dall-e-3', prompt: 'x'.repeat(31 * 1024 * 1024) })));
        controller.close();
      },
    });
    const tooLarge = await fetch(`${gateway.url}/v1/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: huge, duplex: 'half' } as RequestInit);
    assert.equal(tooLarge.status, 413);
    const wrong = await fetch(`${gateway.url}/v1/moderations`, { headers: { authorization: `Bearer ${MASTER}` } });
    assert.equal(wrong.status, 405);
  });
});

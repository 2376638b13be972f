// The official openai client through Sluice to the mock provider: every route of the core gateway.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI, { AzureOpenAI } from 'openai';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { lastUpstreamRequest, startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let gateway: RunningGateway;
let client: OpenAI;

before(async () => {
  mock = await startMockServer();
  gateway = await startGateway({
    model_list: [
      { model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o-2024-08-06', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
      { model_name: 'embedder', litellm_params: { model: 'openai/text-embedding-3-small', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
      { model_name: 'instruct', litellm_params: { model: 'text-completion-openai/gpt-3.5-turbo-instruct', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
      { model_name: 'openai/*', litellm_params: { model: 'openai/*', api_base: `${mock.url}/v1`, api_key: 'sk-wild' } },
      { model_name: 'canned', litellm_params: { model: 'openai/gpt-4o', mock_response: 'canned answer', api_base: `${mock.url}/v1` } },
      { model_name: 'azure-gpt', litellm_params: { model: 'azure/my-deployment', api_base: mock.url, api_key: 'az-key', api_version: '2024-06-01' } },
    ],
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
});

after(async () => {
  await gateway?.close();
  await mock?.close();
});

describe('chat completions', () => {
  test('non-streaming answer, with the gateway headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    assert.match(data.choices[0]!.message.content!, /^Mock response to: Say hello/);
    assert.equal(data.choices[0]!.finish_reason, 'stop');
    assert.ok(data.usage!.total_tokens > 0);
    assert.equal(response.headers.get('x-litellm-model-group'), 'gpt-4o');
    assert.equal(response.headers.get('x-litellm-model-api-base'), `${mock.url}/v1`);
    assert.match(response.headers.get('x-litellm-model-id')!, /^[0-9a-f]{64}$/);
    assert.match(response.headers.get('x-litellm-call-id')!, /^[0-9a-f-]{36}$/);
    assert.ok(Number(response.headers.get('x-litellm-response-duration-ms')) >= 0);
    assert.ok(Number(response.headers.get('x-litellm-overhead-duration-ms')) >= 0);
  });

  test('the upstream gets the provider model name and the deployment key, never the client key', async () => {
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], metadata: { team: 'x' } });
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/chat/completions');
    assert.equal(upstream.headers.authorization, 'Bearer sk-upstream');
    const body = upstream.body as Record<string, unknown>;
    assert.equal(body.model, 'gpt-4o-2024-08-06');
    assert.equal(body.metadata, undefined, 'gateway-only fields are not forwarded');
  });

  test('a body forwarded as the client sent it still names the provider model, also beside nested "model" keys', async () => {
    const text = '{\n  "messages": [{"role": "user", "content": "the \\"model\\": field"}],\n  "tools": [{"type": "function", "function": {"name": "pick", "parameters": {"type": "object", "properties": {"model": {"type": "string"}}}}}],\n  "model" : "gpt-4o", "temperature": 0.5\n}';
    const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer anything' }, body: text });
    assert.equal(res.status, 200, await res.clone().text());
    await res.text();
    const body = (await lastUpstreamRequest(mock)).body as Record<string, unknown>;
    assert.deepEqual(body, { ...(JSON.parse(text) as Record<string, unknown>), model: 'gpt-4o-2024-08-06' }, 'the same body but for the provider model');
  });

  test('x-litellm-call-id is echoed when the client sends one', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-litellm-call-id': 'my-call-42' } })
      .withResponse();
    assert.equal(response.headers.get('x-litellm-call-id'), 'my-call-42');
  });

  test('streaming: chunks reassemble to the full text and the final usage arrives', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Stream please' }],
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const whole = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Stream please' }] });
    assert.equal(text, whole.choices[0]!.message.content);
    assert.ok(chunks >= 4, `expected several chunks, got ${chunks}`);
    assert.ok(usage !== undefined && usage !== null && usage.completion_tokens > 0);
  });

  test('streaming without include_usage sends no usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] });
    for await (const chunk of stream) assert.equal(chunk.usage ?? null, null);
  });

  test('tool calls, non-streaming and streaming', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
    ];
    const result = await client.chat.completions.create({ model: 'gpt-4o', tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const call = result.choices[0]!.message.tool_calls![0]!;
    assert.equal(result.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(call.type === 'function' && call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.type === 'function' ? call.function.arguments : '{}'), { city: 'mock' });

    const stream = client.chat.completions.stream({ model: 'gpt-4o', tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]!.message.tool_calls![0]!;
    assert.equal(streamed.type === 'function' && streamed.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(streamed.type === 'function' ? streamed.function.arguments : '{}'), { city: 'mock' });
  });

  test('mock_response in litellm_params and in the request body answer without the upstream', async () => {
    const before = mock.stats().requests;
    const canned = await client.chat.completions.create({ model: 'canned', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(canned.choices[0]!.message.content, 'canned answer');
    const fromBody = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], mock_response: 'from body' } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    assert.equal(fromBody.choices[0]!.message.content, 'from body');
    assert.equal(mock.stats().requests, before, 'no upstream call was made');
  });
});

describe('other routes', () => {
  test('embeddings with the client’s default base64 encoding', async () => {
    const result = await client.embeddings.create({ model: 'embedder', input: ['the cat sat', 'on the mat'] });
    assert.equal(result.data.length, 2);
    assert.ok(result.data[0]!.embedding.length > 100);
    assert.ok(result.data[0]!.embedding.every((value) => Number.isFinite(value)));
    assert.equal((await lastUpstreamRequest(mock)).path, '/v1/embeddings');
  });

  test('legacy completions', async () => {
    const result = await client.completions.create({ model: 'instruct', prompt: 'Once upon a time' });
    assert.equal(result.object, 'text_completion');
    assert.ok(result.choices[0]!.text.length > 0);
  });

  test('routes also answer without the /v1 prefix', async () => {
    const bare = new OpenAI({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
    const result = await bare.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'no prefix' }] });
    assert.match(result.choices[0]!.message.content!, /no prefix/);
  });

  test('model list names the configured model_names', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ['gpt-4o', 'embedder', 'instruct', 'canned', 'azure-gpt', 'openai/*']);
  });

  test('/model/info lists deployments without secrets', async () => {
    const text = await (await fetch(`${gateway.url}/model/info`)).text();
    assert.doesNotMatch(text, /sk-upstream|az-key|sk-wild/);
    const info = JSON.parse(text) as { data: Array<{ model_name: string; litellm_params: Record<string, unknown>; model_info: { id: string } }> };
    const entry = info.data.find((item) => item.model_name === 'gpt-4o')!;
    assert.equal(entry.litellm_params.model, 'openai/gpt-4o-2024-08-06');
    assert.equal(entry.litellm_params.api_key, undefined);
    assert.match(entry.model_info.id, /^[0-9a-f]{64}$/);
  });

  test('wildcard routes send the matched model upstream', async () => {
    const result = await client.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'wild' }] });
    assert.match(result.choices[0]!.message.content!, /wild/);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal((upstream.body as { model: string }).model, 'gpt-4.1-nano');
    assert.equal(upstream.headers.authorization, 'Bearer sk-wild');
  });

  test('Azure-style deployment route, through the AzureOpenAI client, to an Azure deployment', async () => {
    const azure = new AzureOpenAI({ endpoint: gateway.url, apiKey: 'anything', apiVersion: '2024-06-01', deployment: 'azure-gpt', maxRetries: 0 });
    const result = await azure.chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'azure' }] });
    assert.match(result.choices[0]!.message.content!, /azure/);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/openai/deployments/my-deployment/chat/completions?api-version=2024-06-01');
    assert.equal(upstream.headers['api-key'], 'az-key');
  });

  test('health routes', async () => {
    for (const path of ['/health/liveliness', '/health/liveness']) {
      const response = await fetch(`${gateway.url}${path}`);
      assert.equal(response.status, 200);
      assert.equal(await response.json(), "I'm alive!");
    }
    const readiness = await fetch(`${gateway.url}/health/readiness`);
    assert.equal(readiness.status, 200);
    assert.equal(((await readiness.json()) as { status: string }).status, 'healthy');
  });
});

// The official openai client through Sluice to every native provider protocol served by the mock: chat, stream, tools, embeddings, errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { lastUpstreamRequest, startMockServer, type MockServer } from '../support/mock.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';

let mock: MockServer;
let tokens: TokenServer;
let gateway: RunningGateway;
let client: OpenAI;

interface ProviderCase {
  name: string;
  /** The upstream path a chat call must hit. */
  chatPath: RegExp;
  streamPath: RegExp;
  embeddingModel: string | null;
}

const CASES: ProviderCase[] = [
  { name: 'anthropic', chatPath: /^\/v1\/messages$/, streamPath: /^\/v1\/messages$/, embeddingModel: null },
  { name: 'gemini', chatPath: /^\/v1beta\/models\/gemini-2\.5-flash:generateContent$/, streamPath: /:streamGenerateContent\?alt=sse$/, embeddingModel: 'gemini-embed' },
  { name: 'vertex', chatPath: /^\/v1\/projects\/proj-1\/locations\/europe-west4\/publishers\/google\/models\/gemini-2\.5-pro:generateContent$/, streamPath: /:streamGenerateContent\?alt=sse$/, embeddingModel: null },
  { name: 'bedrock', chatPath: /^\/model\/anthropic\.claude-3-5-sonnet-20240620-v1%3A0\/converse$/, streamPath: /\/converse-stream$/, embeddingModel: 'titan-embed' },
  { name: 'cohere', chatPath: /^\/v2\/chat$/, streamPath: /^\/v2\/chat$/, embeddingModel: 'cohere-embed' },
  { name: 'ollama', chatPath: /^\/api\/chat$/, streamPath: /^\/api\/chat$/, embeddingModel: 'ollama-embed' },
];

const WEATHER_TOOL = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

before(async () => {
  mock = await startMockServer();
  tokens = await startTokenServer();
  const aws = { aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', aws_region_name: 'us-west-2', aws_bedrock_runtime_endpoint: mock.url };
  gateway = await startGateway({
    model_list: [
      { model_name: 'anthropic', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant-test' } },
      { model_name: 'anthropic-429', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: `${mock.url}/mock/status=429,retry_after=3`, api_key: 'sk-ant-test' } },
      { model_name: 'anthropic-ctx', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: `${mock.url}/mock/context_window=1`, api_key: 'sk-ant-test' } },
      { model_name: 'anthropic-midstream', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: `${mock.url}/mock/error_after=2`, api_key: 'sk-ant-test' } },
      { model_name: 'anthropic-drop', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: `${mock.url}/mock/drop_after=2`, api_key: 'sk-ant-test' } },
      { model_name: 'anthropic-lenient', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant-test', drop_params: true } },
      { model_name: 'gemini', litellm_params: { model: 'gemini/gemini-2.5-flash', api_base: mock.url, api_key: 'g-key' } },
      { model_name: 'gemini-embed', litellm_params: { model: 'gemini/text-embedding-004', api_base: mock.url, api_key: 'g-key' } },
      { model_name: 'gemini-safety', litellm_params: { model: 'gemini/gemini-2.5-flash', api_base: `${mock.url}/mock/content_policy=1`, api_key: 'g-key' } },
      { model_name: 'vertex', litellm_params: { model: 'vertex_ai/gemini-2.5-pro', api_base: mock.url, vertex_project: 'proj-1', vertex_location: 'europe-west4', vertex_credentials: tokens.serviceAccountJson } },
      { model_name: 'vertex-refused', litellm_params: { model: 'vertex_ai/gemini-2.5-pro', api_base: mock.url, vertex_project: 'proj-1', vertex_credentials: tokens.serviceAccountJson.replace('sluice-test@', 'someone-else@') } },
      { model_name: 'bedrock', litellm_params: { model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', ...aws } },
      { model_name: 'bedrock-503', litellm_params: { model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', ...aws, aws_bedrock_runtime_endpoint: `${mock.url}/mock/status=503` } },
      { model_name: 'bedrock-midstream', litellm_params: { model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', ...aws, aws_bedrock_runtime_endpoint: `${mock.url}/mock/error_after=2` } },
      { model_name: 'titan-embed', litellm_params: { model: 'bedrock/amazon.titan-embed-text-v2:0', ...aws } },
      { model_name: 'bedrock-cohere-embed', litellm_params: { model: 'bedrock/cohere.embed-english-v3', ...aws } },
      { model_name: 'cohere', litellm_params: { model: 'cohere/command-r-plus', api_base: mock.url, api_key: 'co-key' } },
      { model_name: 'cohere-embed', litellm_params: { model: 'cohere/embed-english-v3.0', api_base: mock.url, api_key: 'co-key' } },
      { model_name: 'ollama', litellm_params: { model: 'ollama_chat/llama3.1', api_base: mock.url } },
      { model_name: 'ollama-embed', litellm_params: { model: 'ollama/nomic-embed-text', api_base: mock.url } },
    ],
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
});

after(async () => {
  await gateway?.close();
  await mock?.close();
  await tokens?.close();
});

for (const c of CASES) {
  describe(`${c.name} through the openai client`, () => {
    test('chat: text answer, finish_reason and usage', async () => {
      const answer = await client.chat.completions.create({ model: c.name, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] });
      assert.match(answer.choices[0]!.message.content ?? '', /Say hello/);
      assert.equal(answer.choices[0]!.finish_reason, 'stop');
      assert.equal(answer.object, 'chat.completion');
      assert.ok(answer.usage!.prompt_tokens > 0 && answer.usage!.completion_tokens > 0);
      const upstream = await lastUpstreamRequest(mock);
      assert.match(upstream.path, c.chatPath);
    });

    test('stream: chunks reassemble to the answer, usage only when asked', async () => {
      const stream = await client.chat.completions.create({ model: c.name, messages: [{ role: 'user', content: 'Count to three' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      assert.match(text, /Count to three/);
      assert.equal(finish, 'stop');
      assert.ok(usage !== undefined && usage !== null && usage.total_tokens > 0, 'usage chunk present');
      assert.match((await lastUpstreamRequest(mock)).path, c.streamPath);
      const plain = await client.chat.completions.create({ model: c.name, messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const chunk of plain) assert.equal(chunk.usage ?? undefined, undefined, 'no usage chunk unless asked');
    });

    test('tools: the call comes back in OpenAI shape, and its result goes back up', async () => {
      const answer = await client.chat.completions.create({ model: c.name, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [WEATHER_TOOL] });
      const call = answer.choices[0]!.message.tool_calls![0]!;
      assert.equal(answer.choices[0]!.finish_reason, 'tool_calls');
      assert.equal(call.type, 'function');
      assert.ok(call.type === 'function' && call.function.name === 'get_weather');
      assert.equal(typeof JSON.parse(call.type === 'function' ? call.function.arguments : '').city, 'string');
      const followUp = await client.chat.completions.create({
        model: c.name,
        tools: [WEATHER_TOOL],
        messages: [{ role: 'user', content: 'Weather in Paris?' }, answer.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21C' }],
      });
      assert.equal(followUp.choices[0]!.finish_reason, 'stop');
      assert.ok((followUp.choices[0]!.message.content ?? '').length > 0);
    });

    test('tool-call streaming: arguments reassemble', async () => {
      const stream = await client.chat.completions.create({ model: c.name, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [WEATHER_TOOL], stream: true });
      let name = '';
      let args = '';
      let finish: string | null = null;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        for (const call of delta?.tool_calls ?? []) {
          name += call.function?.name ?? '';
          args += call.function?.arguments ?? '';
        }
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      assert.equal(name, 'get_weather');
      assert.equal(typeof JSON.parse(args).city, 'string');
      assert.equal(finish, 'tool_calls');
    });

    if (c.embeddingModel !== null) {
      test('embeddings', async () => {
        const result = await client.embeddings.create({ model: c.embeddingModel!, input: 'hello world' });
        assert.equal(result.object, 'list');
        assert.equal(result.data.length, 1);
        assert.ok(result.data[0]!.embedding.length > 10);
      });
    }
  });
}

describe('provider specifics', () => {
  test('anthropic: headers, system, max_tokens default, stop and json mode', async () => {
    const answer = await client.chat.completions.create({
      model: 'anthropic',
      messages: [{ role: 'system', content: 'Reply in JSON.' }, { role: 'user', content: 'A city' }],
      stop: 'END',
      response_format: { type: 'json_object' },
    });
    assert.doesNotThrow(() => JSON.parse(answer.choices[0]!.message.content!));
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.headers['x-api-key'], 'sk-ant-test');
    assert.equal(upstream.headers['anthropic-version'], '2023-06-01');
    const body = upstream.body as Record<string, unknown>;
    assert.equal(body.max_tokens, 4096);
    assert.deepEqual(body.system, [{ type: 'text', text: 'Reply in JSON.' }]);
    assert.deepEqual(body.stop_sequences, ['END']);
  });

  test('anthropic: an unsupported parameter is a 400 naming it, dropped with drop_params', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'anthropic', messages: [{ role: 'user', content: 'hi' }], logit_bias: { '1': 2 } }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal((error.error as { param?: string }).param, 'logit_bias');
      return true;
    });
    const answer = await client.chat.completions.create({ model: 'anthropic-lenient', messages: [{ role: 'user', content: 'hi' }], logit_bias: { '1': 2 } });
    assert.equal(answer.choices[0]!.finish_reason, 'stop');
  });

  test('anthropic: 429 keeps status, type and retry-after; context window errors are recognisable', async () => {
    const limited = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'anthropic-429', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    const body = (await limited.json()) as { error: { type: string; code: string } };
    assert.equal(body.error.type, 'rate_limit_error');
    await assert.rejects(client.chat.completions.create({ model: 'anthropic-ctx', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /prompt is too long/);
      return true;
    });
  });

  test('error event mid-stream ends the stream with one OpenAI error event', async () => {
    for (const model of ['anthropic-midstream', 'bedrock-midstream']) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Tell me a long story please' }] }) });
      assert.equal(response.status, 200);
      const text = await response.text();
      const events = text.split('\n\n').filter((event) => event.startsWith('data: '));
      const last = JSON.parse(events[events.length - 1]!.slice(6)) as { error?: { message: string; code: string } };
      assert.ok(last.error !== undefined, `${model}: last event is an error: ${text.slice(-300)}`);
      assert.ok(!text.includes('[DONE]'));
    }
  });

  test('a stream cut mid-event ends with an error event, never a hang', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'anthropic-drop', stream: true, messages: [{ role: 'user', content: 'Tell me a long story please' }] }) });
    const text = await response.text();
    assert.match(text, /"error":/);
  });

  test('gemini: safety block is finish_reason content_filter', async () => {
    const answer = await client.chat.completions.create({ model: 'gemini-safety', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(answer.choices[0]!.finish_reason, 'content_filter');
  });

  test('vertex: the OAuth token is fetched once and reused', async () => {
    const before = tokens.requests;
    await client.chat.completions.create({ model: 'vertex', messages: [{ role: 'user', content: 'hi' }] });
    await client.chat.completions.create({ model: 'vertex', messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(tokens.requests - before <= 1);
    const upstream = await lastUpstreamRequest(mock);
    assert.match(String(upstream.headers.authorization), /^Bearer ya29\.token-\d+$/);
  });

  test('vertex: concurrent first requests share one token fetch; refused credentials are a 401', async () => {
    const before = tokens.requests;
    const refused = await Promise.all([1, 2, 3].map(() => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'vertex-refused', messages: [{ role: 'user', content: 'hi' }] }) })));
    for (const response of refused) {
      assert.equal(response.status, 401);
      const body = (await response.json()) as { error: { type: string; message: string } };
      assert.equal(body.error.type, 'auth_error');
      assert.match(body.error.message, /Vertex AI credentials were refused/);
    }
    assert.equal(tokens.requests - before, 1, 'one token request for three concurrent calls');
  });

  test('bedrock: SigV4 signed, 503 kept and retryable status', async () => {
    const { response } = await client.chat.completions.create({ model: 'bedrock', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(response.headers.get('x-litellm-model-api-base'), mock.url);
    const upstream = await lastUpstreamRequest(mock);
    assert.match(String(upstream.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request/);
    assert.ok(upstream.headers['x-amz-date']);
    await assert.rejects(client.chat.completions.create({ model: 'bedrock-503', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 503);
      return true;
    });
  });

  test('bedrock: Cohere embeddings via invoke', async () => {
    const result = await client.embeddings.create({ model: 'bedrock-cohere-embed', input: ['a', 'b'] });
    assert.equal(result.data.length, 2);
    assert.match((await lastUpstreamRequest(mock)).path, /\/model\/cohere\.embed-english-v3\/invoke$/);
  });
});

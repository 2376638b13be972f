// The official @anthropic-ai/sdk through /v1/messages: translated to an OpenAI-format deployment, native to an Anthropic one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { RequestOutcome } from '../../src/dataplane/request-outcome.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { expectError, postJson } from '../support/http.js';
import { lastUpstreamRequest, startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let gateway: RunningGateway;
let client: Anthropic;
const outcomes: RequestOutcome[] = [];

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

before(async () => {
  mock = await startMockServer();
  gateway = await startGateway({
    model_list: [
      { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
      { model_name: 'gpt-broken', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/error_after=2,chunks=6/v1`, api_key: 'sk-upstream' } },
      { model_name: 'gpt-cut', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/drop_after=2,chunks=6/v1`, api_key: 'sk-upstream' } },
      { model_name: 'gpt-429', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/status=429,retry_after=3/v1`, api_key: 'sk-upstream' } },
      { model_name: 'claude', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant-upstream' } },
      { model_name: 'claude-429', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: `${mock.url}/mock/status=429`, api_key: 'sk-ant-upstream' } },
      { model_name: 'gemini', litellm_params: { model: 'gemini/gemini-2.5-flash', api_base: mock.url, api_key: 'g-upstream' } },
      { model_name: 'gemini-broken', litellm_params: { model: 'gemini/gemini-2.5-flash', api_base: `${mock.url}/mock/error_after=2,chunks=6`, api_key: 'g-upstream' } },
      { model_name: 'canned', litellm_params: { model: 'openai/gpt-4o', mock_response: 'canned answer', api_base: `${mock.url}/v1` } },
    ],
    general_settings: { master_key: 'sk-master' },
  }, { observers: [{ onRequestFinished: (outcome) => outcomes.push(outcome) }] });
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-master', maxRetries: 0 });
});

after(async () => {
  await gateway?.close();
  await mock?.close();
});

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('/v1/messages to an OpenAI-format deployment (translated)', () => {
  test('text: an Anthropic message comes back, and the upstream got a chat request', async () => {
    const message = await client.messages.create({
      model: 'gpt',
      max_tokens: 200,
      system: [{ type: 'text', text: 'Be brief.' }],
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    assert.match(message.id, /^msg_/);
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(message.model, 'gpt');
    assert.match(textOf(message), /^Mock response to: Say hello/);
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/chat/completions');
    assert.equal(upstream.headers.authorization, 'Bearer sk-upstream');
    const body = upstream.body as Record<string, unknown>;
    assert.equal(body.model, 'gpt-4o');
    assert.deepEqual(body.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }]);
    assert.deepEqual(body.stop, ['END']);
    assert.equal(body.user, 'user-7');
    assert.equal(body.max_tokens, 200);
  });

  test('images are sent as image_url parts', async () => {
    await client.messages.create({
      model: 'gpt',
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] }],
    });
    const body = (await lastUpstreamRequest(mock)).body as { messages: Array<{ content: unknown }> };
    assert.deepEqual(body.messages[0]!.content, [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ]);
  });

  test('stream: the SDK assembles the same text, with stop_reason and usage', async () => {
    const stream = client.messages.stream({ model: 'gpt', max_tokens: 200, messages: [{ role: 'user', content: 'Stream please' }] });
    const types: string[] = [];
    let deltas = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas += event.delta.text;
    }
    const final = await stream.finalMessage();
    assert.match(textOf(final), /^Mock response to: Stream please/);
    assert.equal(deltas, textOf(final));
    assert.equal(final.stop_reason, 'end_turn');
    assert.ok(final.usage.output_tokens > 0);
    assert.equal(types[0], 'message_start');
    assert.equal(types[1], 'content_block_start');
    assert.ok(types.filter((type) => type === 'content_block_delta').length > 1, 'translated incrementally');
    assert.deepEqual(types.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  });

  test('raw stream: event names and a ping, as Anthropic sends them', async () => {
    const response = await postJson(`${gateway.url}/v1/messages`, { model: 'gpt', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }, { 'x-api-key': 'sk-master' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /text\/event-stream/);
    const text = await response.text();
    const names = [...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);
    assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start']);
    assert.equal(names.at(-1), 'message_stop');
  });

  test('tool use round trip: tool_use block out, tool_result back in, text answer', async () => {
    const first = await client.messages.create({
      model: 'gpt',
      max_tokens: 200,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    assert.ok(call !== undefined && call.type === 'tool_use');
    assert.equal(call.name, 'get_weather');
    assert.equal(typeof (call.input as { city: unknown }).city, 'string');
    const sent = (await lastUpstreamRequest(mock)).body as Record<string, unknown>;
    assert.equal(sent.tool_choice, 'required');
    assert.deepEqual(sent.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: WEATHER_TOOL.input_schema } }]);

    const second = await client.messages.create({
      model: 'gpt',
      max_tokens: 200,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 21C' }] },
      ],
    });
    assert.equal(second.stop_reason, 'end_turn');
    assert.ok(textOf(second).length > 0);
    const body = (await lastUpstreamRequest(mock)).body as { messages: Array<Record<string, unknown>> };
    assert.deepEqual(body.messages[1], {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: call.id, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify(call.input) } }],
    });
    assert.deepEqual(body.messages[2], { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21C' });
  });

  test('tool use, streamed: input_json_delta pieces assemble into the input', async () => {
    const stream = client.messages.stream({ model: 'gpt', max_tokens: 200, tools: [WEATHER_TOOL], tool_choice: { type: 'tool', name: 'get_weather' }, messages: [{ role: 'user', content: 'Weather?' }] });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const call = final.content.find((block) => block.type === 'tool_use');
    assert.ok(call !== undefined && call.type === 'tool_use');
    assert.equal(typeof (call.input as { city: unknown }).city, 'string');
  });

  test('a mock_response deployment answers in Anthropic format too', async () => {
    const message = await client.messages.create({ model: 'canned', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(textOf(message), 'canned answer');
    const stream = await client.messages.stream({ model: 'canned', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.equal(textOf(stream), 'canned answer');
  });
});

describe('/v1/messages to a native non-Anthropic deployment (two translations: Anthropic → chat → Gemini and back)', () => {
  test('text, stream and tool use', async () => {
    const message = await client.messages.create({ model: 'gemini', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
    assert.match(textOf(message), /^Mock response to: Say hello/);
    assert.equal(message.stop_reason, 'end_turn');
    assert.match((await lastUpstreamRequest(mock)).path, /^\/v1beta\/models\/gemini-2\.5-flash:generateContent/);
    const streamed = await client.messages.stream({ model: 'gemini', max_tokens: 100, messages: [{ role: 'user', content: 'Stream please' }] }).finalMessage();
    assert.match(textOf(streamed), /^Mock response to: Stream please/);
    assert.ok(streamed.usage.output_tokens > 0);
    const tool = await client.messages.stream({ model: 'gemini', max_tokens: 100, tools: [WEATHER_TOOL], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'Weather?' }] }).finalMessage();
    assert.equal(tool.stop_reason, 'tool_use');
    const call = tool.content.find((block) => block.type === 'tool_use');
    assert.ok(call !== undefined && call.type === 'tool_use' && typeof (call.input as { city: unknown }).city === 'string');
  });

  test('a Gemini stream failing mid-way ends with one Anthropic-framed error event', async () => {
    const response = await postJson(`${gateway.url}/v1/messages`, { model: 'gemini-broken', max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'Stream please' }] }, { 'x-api-key': 'sk-master' });
    const text = await response.text();
    assert.match(text, /event: content_block_delta/);
    assert.match(text.trimEnd().split('\n\n').at(-1)!, /^event: error\ndata: \{"error":\{/);
    await assert.rejects(client.messages.stream({ model: 'gemini-broken', max_tokens: 200, messages: [{ role: 'user', content: 'Stream please' }] }).finalMessage(), Anthropic.APIError);
  });
});

describe('/v1/messages to an Anthropic deployment (native)', () => {
  test('text: the body is forwarded unchanged apart from the model, with the deployment key', async () => {
    const request = {
      model: 'claude',
      max_tokens: 100,
      system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const } }],
      metadata: { user_id: 'u-1' },
      top_k: 5,
      messages: [{ role: 'user' as const, content: 'Say hello' }],
    };
    const message = await client.messages.create(request, { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } });
    assert.match(message.id, /^msg_/);
    assert.equal(message.model, 'claude-sonnet-4-5', 'the provider answer is piped as-is');
    assert.match(textOf(message), /^Mock response to: Say hello/);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/messages');
    assert.equal(upstream.headers['x-api-key'], 'sk-ant-upstream');
    assert.equal(upstream.headers['anthropic-version'], '2023-06-01');
    assert.equal(upstream.headers['anthropic-beta'], 'prompt-caching-2024-07-31');
    assert.equal(upstream.headers.authorization, undefined);
    assert.deepEqual(upstream.body, { ...request, model: 'claude-sonnet-4-5' });
  });

  test('stream: bytes piped as Anthropic sent them', async () => {
    const stream = client.messages.stream({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'Stream please' }] });
    const final = await stream.finalMessage();
    assert.match(textOf(final), /^Mock response to: Stream please/);
    assert.equal(final.stop_reason, 'end_turn');
    assert.equal((await lastUpstreamRequest(mock)).path, '/v1/messages');
  });

  test('tool use: tool_use block and tool_result round trip', async () => {
    const first = await client.messages.create({ model: 'claude', max_tokens: 200, tools: [WEATHER_TOOL], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'Weather in Oslo?' }] });
    assert.equal(first.stop_reason, 'tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    assert.ok(call !== undefined && call.type === 'tool_use');
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Snow' }] },
    ];
    const second = await client.messages.create({ model: 'claude', max_tokens: 200, tools: [WEATHER_TOOL], messages });
    assert.equal(second.stop_reason, 'end_turn');
    const upstream = (await lastUpstreamRequest(mock)).body as { messages: unknown };
    assert.deepEqual(upstream.messages, JSON.parse(JSON.stringify(messages)));
  });

  test('server tools, which have no chat equivalent, still reach an Anthropic deployment', async () => {
    const response = await postJson(`${gateway.url}/v1/messages`, { model: 'claude', max_tokens: 50, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'hi' }] }, { 'x-api-key': 'sk-master' });
    assert.equal(response.status, 200);
  });

  test('an upstream error keeps its status, in the contract shape', async () => {
    const response = await postJson(`${gateway.url}/v1/messages`, { model: 'claude-429', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { 'x-api-key': 'sk-master' });
    await expectError(response, 429, 'rate_limit_error');
  });
});

describe('usage reaches observers (spend, metrics)', () => {
  async function lastOutcome(): Promise<RequestOutcome> {
    for (let attempt = 0; attempt < 50 && outcomes.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
    return outcomes.at(-1)!;
  }

  for (const model of ['gpt', 'claude']) {
    for (const stream of [false, true]) {
      test(`${model}, ${stream ? 'streamed' : 'not streamed'}`, async () => {
        outcomes.length = 0;
        const request = { model, max_tokens: 100, messages: [{ role: 'user' as const, content: 'Count me' }] };
        if (stream) await client.messages.stream(request).finalMessage();
        else await client.messages.create(request);
        const outcome = await lastOutcome();
        assert.equal(outcome.status, 200);
        assert.equal(outcome.modelGroup, model);
        assert.ok(outcome.usage !== null && outcome.usage.promptTokens > 0 && outcome.usage.completionTokens > 0, JSON.stringify(outcome.usage));
        assert.equal(outcome.usage.totalTokens, outcome.usage.promptTokens + outcome.usage.completionTokens);
      });
    }
  }
});

describe('/v1/messages/count_tokens', () => {
  test('a token count is not charged as a model call', async () => {
    for (const model of ['gpt', 'claude']) {
      outcomes.length = 0;
      await client.messages.countTokens({ model, messages: [{ role: 'user', content: 'hello there' }] });
      for (let attempt = 0; attempt < 50 && outcomes.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(outcomes.at(-1)!.status, 200);
      assert.equal(outcomes.at(-1)!.usage, null, model);
    }
  });

  test('an estimate for an OpenAI-format deployment', async () => {
    const short = await client.messages.countTokens({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
    const long = await client.messages.countTokens({ model: 'gpt', system: 'You are a helpful assistant.', tools: [WEATHER_TOOL], messages: [{ role: 'user', content: 'hello there, how are you doing today?' }] });
    assert.ok(short.input_tokens > 0);
    assert.ok(long.input_tokens > short.input_tokens + 10);
  });

  test('forwarded natively to an Anthropic deployment', async () => {
    const counted = await client.messages.countTokens({ model: 'claude', messages: [{ role: 'user', content: 'hello there' }] });
    assert.ok(counted.input_tokens > 0);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/messages/count_tokens');
    assert.equal((upstream.body as { model: string }).model, 'claude-sonnet-4-5');
  });
});

describe('/v1/messages errors', () => {
  const headers = { 'x-api-key': 'sk-master' };

  test('no key → 401; malformed JSON → 400', async () => {
    await expectError(await postJson(`${gateway.url}/v1/messages`, { model: 'gpt', max_tokens: 5, messages: [] }), 401, 'auth_error');
    await expectError(await postJson(`${gateway.url}/v1/messages`, '{"model": "gpt",', headers), 400, 'invalid_request_error');
  });

  test('wrong types name the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ model: 'gpt', max_tokens: '5', messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens'],
      [{ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens'],
      [{ model: 'gpt', max_tokens: 5, messages: 'hi' }, 'messages'],
      [{ model: 'gpt', max_tokens: 5, messages: [] }, 'messages'],
      [{ model: 'gpt', max_tokens: 5, messages: [{ role: 'system', content: 'hi' }] }, 'messages[0].role'],
      [{ model: 'gpt', max_tokens: 5, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
      [{ model: 'gpt', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text'],
      [{ model: 'gpt', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file' } }] }] }, 'messages[0].content[0].source.type'],
      [{ model: 'gpt', max_tokens: 5, temperature: 'hot', messages: [{ role: 'user', content: 'hi' }] }, 'temperature'],
      [{ model: 'gpt', max_tokens: 5, tool_choice: { type: 'sometimes' }, messages: [{ role: 'user', content: 'hi' }] }, 'tool_choice.type'],
      [{ model: 'gpt', max_tokens: 5, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'hi' }] }, 'tools[0]'],
      [{ max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, 'model'],
    ];
    for (const [body, param] of cases) {
      await expectError(await postJson(`${gateway.url}/v1/messages`, body, headers), 400, 'invalid_request_error', param);
    }
  });

  test('unknown model → 400 naming model', async () => {
    await expectError(await postJson(`${gateway.url}/v1/messages`, { model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, headers), 400, 'invalid_request_error', 'model');
  });

  test('an upstream error before the stream starts keeps its status', async () => {
    await expectError(await postJson(`${gateway.url}/v1/messages`, { model: 'gpt-429', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] }, headers), 429, 'rate_limit_error');
  });

  test('a stream that fails mid-way ends with one error event the SDK raises', async () => {
    const stream = client.messages.stream({ model: 'gpt-broken', max_tokens: 200, messages: [{ role: 'user', content: 'Stream please' }] });
    await assert.rejects(stream.finalMessage(), (error: unknown) => error instanceof Anthropic.APIError);
    const response = await postJson(`${gateway.url}/v1/messages`, { model: 'gpt-broken', max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'Stream please' }] }, headers);
    const text = await response.text();
    assert.match(text, /event: content_block_delta/);
    const tail = text.trimEnd().split('\n\n').at(-1)!;
    assert.match(tail, /^event: error\ndata: /);
    const error = JSON.parse(tail.split('\ndata: ')[1]!) as { error: { message: string; type: string; code: string } };
    assert.deepEqual(Object.keys(error), ['error']);
    assert.equal(typeof error.error.message, 'string');
  });

  test('a stream cut off before it finished ends with an error event, not a hang', async () => {
    const response = await postJson(`${gateway.url}/v1/messages`, { model: 'gpt-cut', max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'Stream please' }] }, headers);
    const text = await response.text();
    assert.doesNotMatch(text, /event: message_stop/);
    assert.match(text, /event: error\ndata: \{"error":/);
  });
});

describe('/v1/messages with router fallbacks between native and translated deployments', () => {
  test('each attempt gets its own treatment: native then translated, translated then native', async () => {
    const routed = await startGateway({
      model_list: [
        { model_name: 'claude-down', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: `${mock.url}/mock/status=503`, api_key: 'sk-ant' } },
        { model_name: 'gpt-down', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/status=503/v1`, api_key: 'sk-up' } },
        { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-up' } },
        { model_name: 'claude', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant' } },
      ],
      router_settings: { num_retries: 0, fallbacks: [{ 'claude-down': ['gpt'] }, { 'gpt-down': ['claude'] }] },
    });
    try {
      const routedClient = new Anthropic({ baseURL: routed.url, apiKey: 'x', maxRetries: 0 });
      for (const stream of [false, true]) {
        const request = { model: 'claude-down', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Say hello' }] };
        const viaGpt = stream ? await routedClient.messages.stream(request).finalMessage() : await routedClient.messages.create(request);
        assert.match(textOf(viaGpt), /^Mock response to: Say hello/);
        assert.equal(viaGpt.model, 'claude-down', 'translated by the fallback attempt, echoing the requested name');
        assert.equal((await lastUpstreamRequest(mock)).path, '/v1/chat/completions');
        const viaClaude = stream ? await routedClient.messages.stream({ ...request, model: 'gpt-down' }).finalMessage() : await routedClient.messages.create({ ...request, model: 'gpt-down' });
        assert.match(textOf(viaClaude), /^Mock response to: Say hello/);
        assert.equal(viaClaude.model, 'claude-sonnet-4-5', 'piped natively by the fallback attempt');
        assert.equal((await lastUpstreamRequest(mock)).path, '/v1/messages');
      }
    } finally {
      await routed.close();
    }
  });
});

describe('/v1/messages with the response cache on', () => {
  test('inbound answers are never served from, or stored as, OpenAI-shaped cache entries', async () => {
    const cached = await startGateway({
      model_list: [
        { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-up' } },
        { model_name: 'claude', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant' } },
      ],
      litellm_settings: { cache: true, cache_params: { type: 'local' } },
    });
    try {
      const cachedClient = new Anthropic({ baseURL: cached.url, apiKey: 'x', maxRetries: 0 });
      for (const model of ['gpt', 'claude', 'gpt', 'claude']) {
        const message = await cachedClient.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'Cache me' }] });
        assert.equal(message.type, 'message');
        assert.match(textOf(message), /^Mock response to: Cache me/);
        const streamed = await cachedClient.messages.stream({ model, max_tokens: 50, messages: [{ role: 'user', content: 'Cache me' }] }).finalMessage();
        assert.match(textOf(streamed), /^Mock response to: Cache me/);
      }
      const chat = (await (await postJson(`${cached.url}/v1/chat/completions`, { model: 'gpt', max_tokens: 50, messages: [{ role: 'user', content: 'Cache me' }] })).json()) as { object: string };
      assert.equal(chat.object, 'chat.completion');
    } finally {
      await cached.close();
    }
  });
});

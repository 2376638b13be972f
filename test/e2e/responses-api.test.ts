// The official openai client's Responses API through /v1/responses: native to OpenAI, translated to chat for others.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { expectError, postJson } from '../support/http.js';
import { lastUpstreamRequest, startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let gateway: RunningGateway;
let client: OpenAI;

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

before(async () => {
  mock = await startMockServer();
  gateway = await startGateway({
    model_list: [
      { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
      // groq speaks OpenAI chat but not the Responses API: requests are translated.
      { model_name: 'llama', litellm_params: { model: 'groq/llama-3.3-70b', api_base: `${mock.url}/v1`, api_key: 'gsk-upstream' } },
      { model_name: 'claude', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant' } },
      { model_name: 'llama-broken', litellm_params: { model: 'groq/llama-3.3-70b', api_base: `${mock.url}/mock/error_after=2,chunks=6/v1`, api_key: 'gsk-upstream' } },
    ],
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
});

after(async () => {
  await gateway?.close();
  await mock?.close();
});

describe('/v1/responses to an OpenAI deployment (native)', () => {
  test('create: forwarded to /v1/responses with only the model swapped', async () => {
    const request = { model: 'gpt', input: 'Say hello', instructions: 'Be brief.', metadata: { team: 'a' }, store: false };
    const response = await client.responses.create(request);
    assert.match(response.id, /^resp_/);
    assert.match(response.output_text, /^Mock response to: Say hello/);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/responses');
    assert.equal(upstream.headers.authorization, 'Bearer sk-upstream');
    assert.deepEqual(upstream.body, { ...request, model: 'gpt-4o' });
  });

  test('stream: the SDK reads the provider events piped as-is', async () => {
    const stream = client.responses.stream({ model: 'gpt', input: 'Stream please' });
    let deltas = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') deltas += event.delta;
    const final = await stream.finalResponse();
    assert.match(final.output_text, /^Mock response to: Stream please/);
    assert.equal(deltas, final.output_text);
  });

  test('previous_response_id is forwarded', async () => {
    await client.responses.create({ model: 'gpt', input: 'again', previous_response_id: 'resp_abc' });
    const body = (await lastUpstreamRequest(mock)).body as { previous_response_id: string };
    assert.equal(body.previous_response_id, 'resp_abc');
  });
});

describe('/v1/responses to an Anthropic deployment (Responses → chat → Messages and back)', () => {
  test('create, stream and a function call', async () => {
    const response = await client.responses.create({ model: 'claude', instructions: 'Be brief.', input: 'Say hello' });
    assert.match(response.output_text, /^Mock response to: Say hello/);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/messages');
    assert.equal((upstream.body as { system: unknown }).system !== undefined, true);
    const final = await client.responses.stream({ model: 'claude', input: 'Stream please' }).finalResponse();
    assert.match(final.output_text, /^Mock response to: Stream please/);
    assert.ok(final.usage!.input_tokens > 0 && final.usage!.output_tokens > 0);
    const called = await client.responses.stream({ model: 'claude', input: 'Weather?', tools: [WEATHER_TOOL], tool_choice: 'required' }).finalResponse();
    const call = called.output.find((item) => item.type === 'function_call');
    assert.ok(call !== undefined && call.type === 'function_call');
    assert.equal(typeof JSON.parse(call.arguments).city, 'string');
  });
});

describe('/v1/responses to a chat-only deployment (translated)', () => {
  test('create: a response object from a chat completion', async () => {
    const response = await client.responses.create({ model: 'llama', instructions: 'Be brief.', input: 'Say hello', max_output_tokens: 300, temperature: 0.2 });
    assert.match(response.id, /^resp_/);
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.equal(response.model, 'llama');
    assert.match(response.output_text, /^Mock response to: Say hello/);
    assert.equal(response.output[0]!.type, 'message');
    assert.ok(response.usage!.input_tokens > 0 && response.usage!.output_tokens > 0);
    assert.equal(response.usage!.total_tokens, response.usage!.input_tokens + response.usage!.output_tokens);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/chat/completions');
    const body = upstream.body as Record<string, unknown>;
    assert.deepEqual(body.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }]);
    assert.equal(body.max_tokens, 300);
    assert.equal(body.temperature, 0.2);
  });

  test('input items: messages with parts become chat messages', async () => {
    await client.responses.create({
      model: 'llama',
      input: [
        { role: 'developer', content: 'Rules.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Look:' }, { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' }] },
      ],
    });
    const body = (await lastUpstreamRequest(mock)).body as { messages: unknown };
    assert.deepEqual(body.messages, [
      { role: 'developer', content: 'Rules.' },
      { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } }] },
    ]);
  });

  test('stream: events in order, numbered, assembling the text', async () => {
    const stream = client.responses.stream({ model: 'llama', input: 'Stream please' });
    const types: string[] = [];
    const numbers: number[] = [];
    let deltas = '';
    for await (const event of stream) {
      types.push(event.type);
      numbers.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') deltas += event.delta;
    }
    const final = await stream.finalResponse();
    assert.match(final.output_text, /^Mock response to: Stream please/);
    assert.equal(deltas, final.output_text);
    assert.deepEqual(numbers, numbers.map((_, index) => index));
    assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    assert.ok(types.filter((type) => type === 'response.output_text.delta').length > 1);
    assert.deepEqual(types.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    assert.ok(final.usage!.output_tokens > 0);
  });

  test('function tools round trip: function_call item, then function_call_output', async () => {
    const first = await client.responses.create({ model: 'llama', input: 'Weather in Rome?', tools: [WEATHER_TOOL], tool_choice: 'required' });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call !== undefined && call.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.equal(typeof JSON.parse(call.arguments).city, 'string');
    const sent = (await lastUpstreamRequest(mock)).body as Record<string, unknown>;
    assert.deepEqual(sent.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Current weather for a city', parameters: WEATHER_TOOL.parameters, strict: false } }]);
    assert.equal(sent.tool_choice, 'required');

    const second = await client.responses.create({
      model: 'llama',
      tools: [WEATHER_TOOL],
      input: [{ role: 'user', content: 'Weather in Rome?' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'Hot' }],
    });
    assert.ok(second.output_text.length > 0);
    const body = (await lastUpstreamRequest(mock)).body as { messages: Array<Record<string, unknown>> };
    assert.deepEqual(body.messages[1], { role: 'assistant', content: null, tool_calls: [{ id: call.call_id, type: 'function', function: { name: 'get_weather', arguments: call.arguments } }] });
    assert.deepEqual(body.messages[2], { role: 'tool', tool_call_id: call.call_id, content: 'Hot' });
  });

  test('function call, streamed: argument deltas and the done events', async () => {
    const stream = client.responses.stream({ model: 'llama', input: 'Weather?', tools: [WEATHER_TOOL], tool_choice: { type: 'function', name: 'get_weather' } });
    const types = new Set<string>();
    for await (const event of stream) types.add(event.type);
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === 'function_call');
    assert.ok(call !== undefined && call.type === 'function_call');
    assert.equal(typeof JSON.parse(call.arguments).city, 'string');
    assert.ok(types.has('response.function_call_arguments.delta'));
    assert.ok(types.has('response.function_call_arguments.done'));
  });

  test('previous_response_id → 400 naming it', async () => {
    const response = await postJson(`${gateway.url}/v1/responses`, { model: 'llama', input: 'hi', previous_response_id: 'resp_1' });
    await expectError(response, 400, 'invalid_request_error', 'previous_response_id');
  });

  test('built-in tools → 400 naming the tool', async () => {
    const response = await postJson(`${gateway.url}/v1/responses`, { model: 'llama', input: 'hi', tools: [{ type: 'web_search' }] });
    await expectError(response, 400, 'invalid_request_error', 'tools[0].type');
  });

  test('bad input names the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ model: 'llama' }, 'input'],
      [{ model: 'llama', input: 5 }, 'input'],
      [{ model: 'llama', input: [] }, 'input'],
      [{ model: 'llama', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role'],
      [{ model: 'llama', input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
      [{ model: 'llama', input: 'hi', max_output_tokens: 'many' }, 'max_output_tokens'],
      [{ model: 'gpt', input: 'hi', temperature: 'warm' }, 'temperature'],
    ];
    for (const [body, param] of cases) await expectError(await postJson(`${gateway.url}/v1/responses`, body), 400, 'invalid_request_error', param);
  });

  test('a stream failing mid-way ends with one error event the SDK raises', async () => {
    const stream = client.responses.stream({ model: 'llama-broken', input: 'Stream please' });
    await assert.rejects(stream.finalResponse(), (error: unknown) => error instanceof OpenAI.APIError);
    const text = await (await postJson(`${gateway.url}/v1/responses`, { model: 'llama-broken', input: 'Stream please', stream: true })).text();
    const tail = text.trimEnd().split('\n\n').at(-1)!;
    assert.match(tail, /^data: \{"error":\{/);
  });
});

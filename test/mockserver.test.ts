// Mock provider server: the OpenAI wire format and every scenario prefix key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMockServer, type MockServer } from '../src/mockserver/index.js';
import { parseSse } from '../src/mockserver/wire-parse.js';

type Json = Record<string, any>;

let mock: MockServer;

before(async () => {
  mock = await startMockServer();
});
after(async () => {
  await mock.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(mock.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', ...headers },
    body: JSON.stringify(body),
  });
}

async function postJson(path: string, body: unknown, headers?: Record<string, string>): Promise<Json> {
  const res = await post(path, body, headers);
  assert.equal(res.status, 200, `status of ${path}`);
  return (await res.json()) as Json;
}

/** SSE `data:` payloads, with the literal [DONE] kept as a string. */
async function sseData(res: Response): Promise<Array<Json | string>> {
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  return parseSse(await res.text()).map((e) => (e.data === '[DONE]' ? e.data : (JSON.parse(e.data) as Json)));
}

/** Reads a body until it ends or the connection dies; returns what arrived and whether it died. */
async function readUntilDeath(res: Response): Promise<{ text: string; died: boolean }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, died: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, died: true };
  }
}

const USER = [{ role: 'user', content: 'What is the capital of France?' }];
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' }, metric: { type: 'boolean' }, note: { type: 'string' } },
      required: ['city', 'days', 'metric'],
    },
  },
};

describe('openai chat completions', () => {
  test('non-stream reply has the real shape and deterministic text and usage', async () => {
    const body = await postJson('/v1/chat/completions', { model: 'gpt-4o-mini', messages: USER });
    assert.match(body.id, /^chatcmpl-/);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(typeof body.created, 'number');
    const choice = body.choices[0];
    assert.equal(choice.message.role, 'assistant');
    assert.ok(choice.message.content.startsWith('Mock response to: What is the capital of France?'));
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(body.usage.prompt_tokens, Math.ceil(USER[0].content.length / 4));
    assert.equal(body.usage.completion_tokens, Math.ceil(choice.message.content.length / 4));
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
    const again = await postJson('/chat/completions', { model: 'gpt-4o-mini', messages: USER });
    assert.equal(again.choices[0].message.content, choice.message.content, 'bare path works and text is deterministic');
  });

  test('stream: role chunk, N content chunks, finish chunk, usage chunk, [DONE]', async () => {
    const plain = await postJson('/v1/chat/completions', { model: 'gpt-4o', messages: USER });
    const events = await sseData(
      await post('/v1/chat/completions', { model: 'gpt-4o', messages: USER, stream: true, stream_options: { include_usage: true } }),
    );
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1) as Json[];
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id && c.model === 'gpt-4o'));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const content = chunks.slice(1, -2);
    assert.equal(content.length, 8, 'default chunks = 8');
    assert.equal(content.map((c) => c.choices[0].delta.content).join(''), plain.choices[0].message.content);
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.equal(chunks.at(-1)?.usage.total_tokens, plain.usage.total_tokens);
  });

  test('max_tokens truncates with finish_reason length', async () => {
    const body = await postJson('/v1/chat/completions', { model: 'm', messages: USER, max_tokens: 5 });
    assert.equal(body.choices[0].finish_reason, 'length');
    assert.equal(body.choices[0].message.content.length, 20);
    assert.equal(body.usage.completion_tokens, 5);
  });

  test('tools: calls the first tool with schema-derived arguments', async () => {
    const body = await postJson('/v1/chat/completions', { model: 'm', messages: USER, tools: [WEATHER_TOOL] });
    const choice = body.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    const call = choice.message.tool_calls[0];
    assert.match(call.id, /^call_/);
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'mock', days: 1, metric: true });
  });

  test('tools: tool_choice none, a named tool, and answering after a tool result', async () => {
    const other = { type: 'function', function: { name: 'other', parameters: { type: 'object', properties: {} } } };
    const none = await postJson('/v1/chat/completions', { model: 'm', messages: USER, tools: [WEATHER_TOOL], tool_choice: 'none' });
    assert.equal(none.choices[0].finish_reason, 'stop');
    const named = await postJson('/v1/chat/completions', {
      model: 'm',
      messages: USER,
      tools: [WEATHER_TOOL, other],
      tool_choice: { type: 'function', function: { name: 'other' } },
    });
    assert.equal(named.choices[0].message.tool_calls[0].function.name, 'other');
    const messages = [...USER, { role: 'assistant', tool_calls: [] }, { role: 'tool', tool_call_id: 'x', content: '20C' }];
    const done = await postJson('/v1/chat/completions', { model: 'm', messages, tools: [WEATHER_TOOL] });
    assert.equal(done.choices[0].finish_reason, 'stop');
  });

  test('tools stream: id and name first, then argument fragments', async () => {
    const events = await sseData(await post('/v1/chat/completions', { model: 'm', messages: USER, tools: [WEATHER_TOOL], stream: true }));
    const chunks = events.slice(0, -1) as Json[];
    const first = chunks[0].choices[0].delta.tool_calls[0];
    assert.deepEqual([first.index, first.type, first.function.name, first.function.arguments], [0, 'function', 'get_weather', '']);
    assert.match(first.id, /^call_/);
    const args = chunks
      .slice(1, -1)
      .map((c) => c.choices[0].delta.tool_calls[0].function.arguments)
      .join('');
    assert.deepEqual(JSON.parse(args), { city: 'mock', days: 1, metric: true });
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');
  });

  test('response_format json_schema and json_object give valid JSON content', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } }, required: ['name', 'age'] };
    const body = await postJson('/v1/chat/completions', {
      model: 'm',
      messages: USER,
      response_format: { type: 'json_schema', json_schema: { name: 'p', schema, strict: true } },
    });
    assert.deepEqual(JSON.parse(body.choices[0].message.content), { name: 'mock', age: 1 });
    const obj = await postJson('/v1/chat/completions', { model: 'm', messages: USER, response_format: { type: 'json_object' } });
    assert.equal(typeof JSON.parse(obj.choices[0].message.content), 'object');
  });

  test('Bearer invalid is rejected with 401 invalid_api_key; unknown paths 404', async () => {
    const res = await post('/v1/chat/completions', { model: 'm', messages: USER }, { authorization: 'Bearer invalid' });
    assert.equal(res.status, 401);
    const body = (await res.json()) as Json;
    assert.equal(body.error.code, 'invalid_api_key');
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
    const missing = await post('/v1/nothing', {});
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as Json).error.message, 'Invalid URL (POST /v1/nothing)');
  });
});

describe('openai embeddings, completions, responses, models, azure', () => {
  const decode = (b64: string): number[] => {
    const bytes = Buffer.from(b64, 'base64');
    return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  };
  const cos = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * b[i], 0);

  test('embeddings: float and base64 agree, dimensions honoured, similar texts closer', async () => {
    const input = ['The cat sat on the mat', 'A cat sat on the mat today', 'Quarterly revenue grew by eight percent'];
    const floats = await postJson('/v1/embeddings', { model: 'text-embedding-3-small', input, encoding_format: 'float' });
    const b64 = await postJson('/v1/embeddings', { model: 'text-embedding-3-small', input, encoding_format: 'base64' });
    assert.equal(floats.object, 'list');
    assert.equal(floats.data.length, 3);
    assert.equal(floats.data[0].embedding.length, 1536);
    assert.deepEqual(decode(b64.data[1].embedding), floats.data[1].embedding);
    const [a, b, c] = floats.data.map((d: Json) => d.embedding as number[]);
    assert.ok(Math.abs(cos(a, a) - 1) < 1e-5, 'unit length');
    assert.ok(cos(a, b) > 0.5 && cos(a, b) > cos(a, c) + 0.3, `similar ${cos(a, b)} vs unrelated ${cos(a, c)}`);
    assert.ok(floats.usage.prompt_tokens > 0);
    const small = await postJson('/v1/embeddings', { model: 'x', input: 'hello', dimensions: 64 });
    assert.equal(small.data[0].embedding.length, 64);
    const tokens = await postJson('/v1/embeddings', { model: 'x', input: [[1, 2, 3], [4, 5]], encoding_format: 'float' });
    assert.equal(tokens.data.length, 2);
    assert.equal(tokens.usage.prompt_tokens, 5);
    assert.equal((await post('/v1/embeddings', { model: 'x', input: 42 })).status, 400);
  });

  test('legacy completions: text_completion JSON and stream', async () => {
    const body = await postJson('/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' });
    assert.equal(body.object, 'text_completion');
    assert.match(body.id, /^cmpl-/);
    assert.ok(body.choices[0].text.startsWith('Mock response to: Say hi'));
    const events = await sseData(await post('/v1/completions', { model: 'x', prompt: 'Say hi', stream: true }));
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1) as Json[];
    assert.equal(chunks.map((c) => c.choices[0].text).join(''), body.choices[0].text);
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');
  });

  test('responses: JSON object and typed event stream with sequence numbers', async () => {
    const body = await postJson('/v1/responses', { model: 'gpt-4.1', input: 'Tell me a joke' });
    assert.match(body.id, /^resp_/);
    assert.equal(body.object, 'response');
    assert.equal(body.status, 'completed');
    const part = body.output[0].content[0];
    assert.deepEqual([body.output[0].type, body.output[0].role, part.type], ['message', 'assistant', 'output_text']);
    assert.deepEqual(part.annotations, []);
    assert.equal(body.usage.total_tokens, body.usage.input_tokens + body.usage.output_tokens);

    const res = await post('/v1/responses', { model: 'gpt-4.1', input: [{ role: 'user', content: 'Tell me a joke' }], stream: true });
    const events = parseSse(await res.text());
    const types = events.map((e) => e.event);
    assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    assert.deepEqual(types.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    const data = events.map((e) => JSON.parse(e.data) as Json);
    data.forEach((d, i) => {
      assert.equal(d.type, events[i].event);
      assert.equal(d.sequence_number, i);
    });
    const deltas = data.filter((d) => d.type === 'response.output_text.delta').map((d) => d.delta as string);
    assert.equal(deltas.join(''), part.text);
    assert.equal(data.at(-1)?.response.output[0].content[0].text, part.text);
  });

  test('responses: function tools give a function_call item', async () => {
    const tools = [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } }];
    const body = await postJson('/v1/responses', { model: 'm', input: 'find it', tools });
    assert.equal(body.output[0].type, 'function_call');
    assert.equal(body.output[0].name, 'lookup');
    assert.deepEqual(JSON.parse(body.output[0].arguments), { q: 'mock' });
  });

  test('models list', async () => {
    const body = (await (await fetch(`${mock.url}/v1/models`)).json()) as Json;
    assert.equal(body.object, 'list');
    assert.ok(body.data.length > 0 && body.data.every((m: Json) => m.object === 'model' && typeof m.id === 'string' && m.owned_by));
  });

  test('azure deployment paths need api-version; content filter uses Azure shape', async () => {
    const path = '/openai/deployments/my-gpt/chat/completions';
    const body = await postJson(`${path}?api-version=2024-10-21`, { messages: USER }, { 'api-key': 'k' });
    assert.equal(body.model, 'my-gpt');
    const emb = await postJson('/openai/deployments/emb/embeddings?api-version=2024-10-21', { input: 'x', encoding_format: 'float' });
    assert.equal(emb.data[0].embedding.length, 1536);
    assert.equal((await post(path, { messages: USER })).status, 404);
    const filtered = await post(`/mock/content_policy=1${path}?api-version=2024-10-21`, { messages: USER });
    assert.equal(filtered.status, 400);
    assert.equal(((await filtered.json()) as Json).error.code, 'content_filter');
  });
});

describe('scenario prefixes', () => {
  const chat = { model: 'm', messages: USER };

  test('status + retry_after', async () => {
    const res = await post('/mock/status=429,retry_after=2/v1/chat/completions', chat);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    const body = (await res.json()) as Json;
    assert.equal(body.error.code, 'rate_limit_exceeded');
    const server = await post('/mock/status=503/v1/chat/completions', chat);
    assert.equal(server.status, 503);
    assert.equal(((await server.json()) as Json).error.type, 'server_error');
  });

  test('hang keeps the request open until the client aborts', async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    await assert.rejects(
      fetch(`${mock.url}/mock/hang=1/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat), signal: controller.signal }),
      { name: 'AbortError' },
    );
    clearTimeout(timer);
    assert.ok(Date.now() - started >= 140);
  });

  test('latency delays the response headers', async () => {
    const started = Date.now();
    await postJson('/mock/latency=120/v1/chat/completions', chat);
    assert.ok(Date.now() - started >= 110);
  });

  test('drop_after cuts a stream after N content chunks, and a plain reply before its body', async () => {
    const res = await post('/mock/drop_after=2/v1/chat/completions', { ...chat, stream: true });
    assert.equal(res.status, 200);
    const { text, died } = await readUntilDeath(res);
    assert.ok(died, 'connection must die');
    const chunks = parseSse(text).map((e) => JSON.parse(e.data) as Json);
    assert.equal(chunks.length, 3, 'role chunk + 2 content chunks');
    assert.equal(chunks.filter((c) => c.choices[0].delta.content).length, 2);
    const plain = await post('/mock/drop_after=0/v1/chat/completions', chat);
    assert.equal(plain.status, 200);
    assert.ok((await readUntilDeath(plain)).died);
  });

  test('error_after sends the in-stream error event after N chunks and no [DONE]', async () => {
    const events = await sseData(await post('/mock/error_after=3/v1/chat/completions', { ...chat, stream: true }));
    assert.equal(events.length, 5, 'role + 3 content + error');
    const last = events.at(-1) as Json;
    assert.equal(last.error.type, 'server_error');
    assert.ok(!events.includes('[DONE]'));
  });

  test('fail_first fails the first N requests per prefix, then succeeds', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post('/mock/fail_first=2,status=503/v1/chat/completions', chat)).status);
    assert.deepEqual(statuses, [503, 503, 200, 200]);
    assert.equal((await post('/mock/fail_first=1/v1/chat/completions', chat)).status, 500, 'default status 500, own counter');
    assert.equal((await post('/mock/fail_first=1/v1/chat/completions', chat)).status, 200);
  });

  test('context_window and content_policy return the real OpenAI error codes', async () => {
    const ctx = await post('/mock/context_window=1/v1/chat/completions', chat);
    assert.equal(ctx.status, 400);
    const ctxBody = (await ctx.json()) as Json;
    assert.equal(ctxBody.error.code, 'context_length_exceeded');
    assert.equal(ctxBody.error.type, 'invalid_request_error');
    const policy = await post('/mock/content_policy=1/v1/chat/completions', chat);
    assert.equal(policy.status, 400);
    assert.equal(((await policy.json()) as Json).error.code, 'content_policy_violation');
  });

  test('chunks, chunk_delay, usage=0 and truncate', async () => {
    const started = Date.now();
    const events = await sseData(
      await post('/mock/chunks=3,chunk_delay=40,usage=0/v1/chat/completions', { ...chat, stream: true, stream_options: { include_usage: true } }),
    );
    assert.ok(Date.now() - started >= 75, 'two gaps between three chunks');
    const chunks = events.slice(0, -1) as Json[];
    assert.equal(chunks.length, 1 + 3 + 1, 'role + 3 content + finish, no usage chunk');
    assert.ok(chunks.every((c) => c.choices.length === 1));
    const truncated = await post('/mock/truncate=1/v1/chat/completions', chat);
    assert.equal(truncated.status, 200);
    const text = await truncated.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
  });

  test('an unknown scenario key is a 400, not silently ignored', async () => {
    const res = await post('/mock/statuss=500/v1/chat/completions', chat);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as Json).error.message, /statuss/);
  });

  test('faultRate with a seed is deterministic and sends Retry-After on 503', async () => {
    const runs: number[][] = [];
    for (let r = 0; r < 2; r++) {
      const faulty = await startMockServer({ faultRate: 0.5, faultStatus: 503, retryAfter: 7, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${faulty.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(chat) });
        if (res.status === 503) assert.equal(res.headers.get('retry-after'), '7');
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      await faulty.close();
      runs.push(statuses);
    }
    assert.deepEqual(runs[0], runs[1]);
    assert.ok(runs[0].includes(503) && runs[0].includes(200), runs[0].join(','));
  });
});

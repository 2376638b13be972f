// Mock provider server: Anthropic, Gemini/Vertex, Bedrock, Cohere and Ollama wire formats.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMockServer, type MockServer } from '../src/mockserver/index.js';
import { decodeEventStream, parseNdjson, parseSse } from '../src/mockserver/wire-parse.js';

type Json = Record<string, any>;

let mock: MockServer;

before(async () => {
  mock = await startMockServer({ chunks: 4 });
});
after(async () => {
  await mock.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(mock.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function json(res: Response, status = 200): Promise<Json> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return JSON.parse(text) as Json;
}

const SCHEMA = { type: 'object', properties: { city: { type: 'string' }, n: { type: 'number' } }, required: ['city', 'n'] };
const ARGS = { city: 'mock', n: 1 };

describe('anthropic messages', () => {
  const headers = { 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01' };
  const base = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hello Claude' }] };

  test('message shape, usage, and cache reads for a cached system block', async () => {
    const body = await json(await post('/v1/messages', base, headers));
    assert.match(body.id, /^msg_/);
    assert.deepEqual([body.type, body.role, body.model, body.stop_reason, body.stop_sequence], ['message', 'assistant', base.model, 'end_turn', null]);
    assert.equal(body.content[0].type, 'text');
    assert.ok(body.content[0].text.startsWith('Mock response to: Hello Claude'));
    assert.equal(body.usage.cache_read_input_tokens, 0);
    const system = [{ type: 'text', text: 'Long cached instructions: please cache me. '.repeat(10), cache_control: { type: 'ephemeral' } }];
    const cached = await json(await post('/v1/messages', { ...base, system }, headers));
    assert.ok(cached.usage.cache_read_input_tokens > 0);
    assert.equal(cached.usage.cache_creation_input_tokens, 0);
  });

  test('auth and version headers are required, max_tokens too', async () => {
    const noKey = await json(await post('/v1/messages', base, { 'anthropic-version': '2023-06-01' }), 401);
    assert.deepEqual(noKey.error.type, 'authentication_error');
    assert.equal(noKey.type, 'error');
    const noVersion = await json(await post('/v1/messages', base, { 'x-api-key': 'k' }), 400);
    assert.equal(noVersion.error.type, 'invalid_request_error');
    const noMax = await json(await post('/v1/messages', { ...base, max_tokens: undefined }, headers), 400);
    assert.match(noMax.error.message, /max_tokens/);
    const overloaded = await json(await post('/mock/status=529/v1/messages', base, headers), 529);
    assert.equal(overloaded.error.type, 'overloaded_error');
    const tooLong = await json(await post('/mock/context_window=1/v1/messages', base, headers), 400);
    assert.match(tooLong.error.message, /prompt is too long/);
  });

  test('stream events in order, text deltas rebuild the text', async () => {
    const plain = await json(await post('/v1/messages', base, headers));
    const res = await post('/v1/messages', { ...base, stream: true }, headers);
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    assert.deepEqual(names.slice(0, 3), ['message_start', 'content_block_start', 'ping']);
    assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    const data = events.map((e) => JSON.parse(e.data) as Json);
    data.forEach((d, i) => assert.equal(d.type, names[i]));
    const text = data.filter((d) => d.type === 'content_block_delta').map((d) => d.delta.text as string);
    assert.equal(text.length, 4);
    assert.equal(text.join(''), plain.content[0].text);
    const delta = data.at(-2) as Json;
    assert.equal(delta.delta.stop_reason, 'end_turn');
    assert.equal(delta.usage.output_tokens, plain.usage.output_tokens);
  });

  test('tool_use block, streamed as input_json_delta; text after a tool_result', async () => {
    const tools = [{ name: 'weather', description: 'w', input_schema: SCHEMA }];
    const body = await json(await post('/v1/messages', { ...base, tools }, headers));
    assert.equal(body.stop_reason, 'tool_use');
    assert.match(body.content[0].id, /^toolu_/);
    assert.deepEqual([body.content[0].type, body.content[0].name, body.content[0].input], ['tool_use', 'weather', ARGS]);
    const events = parseSse(await (await post('/v1/messages', { ...base, tools, stream: true }, headers)).text()).map((e) => JSON.parse(e.data) as Json);
    assert.deepEqual(events[1].content_block, { type: 'tool_use', id: events[1].content_block.id, name: 'weather', input: {} });
    const partial = events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json as string);
    assert.deepEqual(JSON.parse(partial.join('')), ARGS);
    const messages = [
      ...base.messages,
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'weather', input: ARGS }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' }] },
    ];
    const answer = await json(await post('/v1/messages', { ...base, tools, messages }, headers));
    assert.equal(answer.stop_reason, 'end_turn');
  });

  test('count_tokens and in-stream error event', async () => {
    const count = await json(await post('/v1/messages/count_tokens', { model: 'c', messages: base.messages }, headers));
    assert.equal(count.input_tokens, Math.ceil('Hello Claude'.length / 4));
    const events = parseSse(await (await post('/mock/error_after=1/v1/messages', { ...base, stream: true }, headers)).text());
    assert.equal(events.at(-1)?.event, 'error');
    assert.equal((JSON.parse(events.at(-1)?.data ?? '') as Json).error.type, 'overloaded_error');
    assert.equal(events.filter((e) => e.event === 'content_block_delta').length, 1);
  });
});

describe('gemini and vertex', () => {
  const key = { 'x-goog-api-key': 'g-key' };
  const base = { contents: [{ role: 'user', parts: [{ text: 'Hello Gemini' }] }] };
  const model = '/v1beta/models/gemini-2.5-flash';

  test('generateContent shape; key via header or ?key=; missing and bad keys', async () => {
    const body = await json(await post(`${model}:generateContent`, base, key));
    const cand = body.candidates[0];
    assert.deepEqual([cand.content.role, cand.finishReason, cand.index], ['model', 'STOP', 0]);
    assert.ok(cand.content.parts[0].text.startsWith('Mock response to: Hello Gemini'));
    assert.ok(Array.isArray(cand.safetyRatings));
    const u = body.usageMetadata;
    assert.equal(u.totalTokenCount, u.promptTokenCount + u.candidatesTokenCount);
    assert.equal(body.modelVersion, 'gemini-2.5-flash');
    await json(await post(`${model}:generateContent?key=abc`, base));
    const missing = await json(await post(`${model}:generateContent`, base), 403);
    assert.equal(missing.error.status, 'PERMISSION_DENIED');
    const bad = await json(await post(`${model}:generateContent?key=invalid`, base), 400);
    assert.equal(bad.error.status, 'INVALID_ARGUMENT');
    const limited = await json(await post(`/mock/status=429${model}:generateContent`, base, key), 429);
    assert.deepEqual(limited.error, { code: 429, message: limited.error.message, status: 'RESOURCE_EXHAUSTED' });
  });

  test('streamGenerateContent?alt=sse: data-only events, last carries finishReason and usage', async () => {
    const plain = await json(await post(`${model}:generateContent`, base, key));
    const res = await post(`${model}:streamGenerateContent?alt=sse`, base, key);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const raw = await res.text();
    assert.ok(raw.includes('\r\n\r\n'));
    const events = parseSse(raw);
    assert.ok(events.every((e) => e.event === undefined));
    const chunks = events.map((e) => JSON.parse(e.data) as Json);
    assert.equal(chunks.length, 4);
    assert.equal(chunks.map((c) => c.candidates[0].content.parts[0].text).join(''), plain.candidates[0].content.parts[0].text);
    assert.equal(chunks.at(-1)?.candidates[0].finishReason, 'STOP');
    assert.deepEqual(chunks.at(-1)?.usageMetadata, plain.usageMetadata);
    const arrayRes = await post(`${model}:streamGenerateContent`, base, key);
    const array = JSON.parse(await arrayRes.text()) as Json[];
    assert.equal(array.length, 4, 'without alt=sse the stream is one JSON array');
  });

  test('function calling, MAX_TOKENS, SAFETY block and in-stream error', async () => {
    const tools = [{ functionDeclarations: [{ name: 'find', parameters: SCHEMA }] }];
    const body = await json(await post(`${model}:generateContent`, { ...base, tools }, key));
    assert.deepEqual(body.candidates[0].content.parts[0].functionCall, { name: 'find', args: ARGS });
    const cut = await json(await post(`${model}:generateContent`, { ...base, generationConfig: { maxOutputTokens: 3 } }, key));
    assert.equal(cut.candidates[0].finishReason, 'MAX_TOKENS');
    const blocked = await json(await post(`/mock/content_policy=1${model}:generateContent`, base, key));
    assert.equal(blocked.candidates[0].finishReason, 'SAFETY');
    assert.equal(blocked.candidates[0].content, undefined);
    const events = parseSse(await (await post(`/mock/error_after=2${model}:streamGenerateContent?alt=sse`, base, key)).text());
    assert.equal(events.length, 3);
    assert.equal((JSON.parse(events[2].data) as Json).error.status, 'INTERNAL');
  });

  test('embedContent, batchEmbedContents, countTokens', async () => {
    const one = await json(await post('/v1beta/models/text-embedding-004:embedContent', { content: { parts: [{ text: 'hi' }] } }, key));
    assert.equal(one.embedding.values.length, 768);
    const batch = await json(
      await post(
        '/v1beta/models/gemini-embedding-001:batchEmbedContents',
        { requests: [{ content: { parts: [{ text: 'a' }] } }, { content: { parts: [{ text: 'b' }] }, outputDimensionality: 8 }] },
        key,
      ),
    );
    assert.deepEqual(batch.embeddings.map((e: Json) => e.values.length), [3072, 8]);
    const count = await json(await post(`${model}:countTokens`, base, key));
    assert.equal(count.totalTokens, Math.ceil('Hello Gemini'.length / 4));
  });

  test('vertex path requires a bearer token', async () => {
    const path = '/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent';
    const body = await json(await post(path, base, { authorization: 'Bearer ya29.token' }));
    assert.equal(body.modelVersion, 'gemini-2.0-flash');
    const denied = await json(await post(path, base, key), 401);
    assert.equal(denied.error.status, 'UNAUTHENTICATED');
  });
});

describe('bedrock', () => {
  const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/bedrock/aws4_request, Signature=abc' };
  const base = { messages: [{ role: 'user', content: [{ text: 'Hello Bedrock' }] }], inferenceConfig: { maxTokens: 500 } };
  const model = '/model/anthropic.claude-3-haiku-20240307-v1%3A0';
  const toolConfig = { tools: [{ toolSpec: { name: 'find', inputSchema: { json: SCHEMA } } }] };

  test('converse: text and toolUse replies', async () => {
    const body = await json(await post(`${model}/converse`, base, auth));
    assert.equal(body.output.message.role, 'assistant');
    assert.ok(body.output.message.content[0].text.startsWith('Mock response to: Hello Bedrock'));
    assert.equal(body.stopReason, 'end_turn');
    assert.equal(body.usage.totalTokens, body.usage.inputTokens + body.usage.outputTokens);
    assert.equal(typeof body.metrics.latencyMs, 'number');
    const tool = await json(await post(`${model}/converse`, { ...base, toolConfig }, auth));
    assert.equal(tool.stopReason, 'tool_use');
    assert.deepEqual([tool.output.message.content[0].toolUse.name, tool.output.message.content[0].toolUse.input], ['find', ARGS]);
  });

  test('auth is required; errors carry x-amzn-errortype', async () => {
    const missing = await post(`${model}/converse`, base);
    assert.equal(missing.status, 403);
    assert.match(missing.headers.get('x-amzn-errortype') ?? '', /^MissingAuthenticationTokenException/);
    const throttled = await post(`/mock/status=429${model}/converse`, base, auth);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('x-amzn-errortype')?.split(':')[0], 'ThrottlingException');
    assert.deepEqual(Object.keys(await json(throttled, 429)), ['message']);
    const tooLong = await post(`/mock/context_window=1${model}/converse`, base, auth);
    assert.equal(tooLong.headers.get('x-amzn-errortype')?.split(':')[0], 'ValidationException');
  });

  test('converse-stream: event-stream frames for text and tool use', async () => {
    const res = await post(`${model}/converse-stream`, base, auth);
    assert.equal(res.headers.get('content-type'), 'application/vnd.amazon.eventstream');
    const frames = decodeEventStream(new Uint8Array(await res.arrayBuffer()));
    assert.ok(frames.every((f) => f.headers[':message-type'] === 'event' && f.headers[':content-type'] === 'application/json'));
    const types = frames.map((f) => f.headers[':event-type']);
    assert.deepEqual(types, ['messageStart', ...Array(4).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
    const bodies = frames.map((f) => f.body as Json);
    assert.ok((bodies.slice(1, 5).map((b) => b.delta.text).join('') as string).startsWith('Mock response to: Hello Bedrock'));
    assert.equal(bodies[6].stopReason, 'end_turn');
    assert.ok(bodies[7].usage.outputTokens > 0);
    const toolFrames = decodeEventStream(new Uint8Array(await (await post(`${model}/converse-stream`, { ...base, toolConfig }, auth)).arrayBuffer()));
    const start = toolFrames.find((f) => f.headers[':event-type'] === 'contentBlockStart')?.body as Json;
    assert.equal(start.start.toolUse.name, 'find');
    const input = toolFrames.filter((f) => f.headers[':event-type'] === 'contentBlockDelta').map((f) => (f.body as Json).delta.toolUse.input);
    assert.deepEqual(JSON.parse(input.join('')), ARGS);
  });

  test('converse-stream error_after sends an exception frame', async () => {
    const res = await post(`/mock/error_after=1${model}/converse-stream`, base, auth);
    const frames = decodeEventStream(new Uint8Array(await res.arrayBuffer()));
    const last = frames.at(-1);
    assert.equal(last?.headers[':message-type'], 'exception');
    assert.equal(last?.headers[':exception-type'], 'modelStreamErrorException');
    assert.equal(frames.length, 3);
  });

  test('invoke: Titan and Cohere embeddings', async () => {
    const titan = await json(await post('/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'hello there' }, auth));
    assert.equal(titan.embedding.length, 1024);
    assert.equal(titan.inputTextTokenCount, 3);
    const cohere = await json(await post('/model/cohere.embed-english-v3/invoke', { texts: ['a', 'b'], input_type: 'search_document' }, auth));
    assert.equal(cohere.embeddings.length, 2);
    assert.deepEqual(cohere.texts, ['a', 'b']);
  });
});

describe('cohere v2', () => {
  const auth = { authorization: 'Bearer co-key' };
  const base = { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hello Cohere' }] };

  test('chat, tool call, and auth', async () => {
    const body = await json(await post('/v2/chat', base, auth));
    assert.equal(body.finish_reason, 'COMPLETE');
    assert.equal(body.message.content[0].type, 'text');
    assert.ok(body.message.content[0].text.startsWith('Mock response to: Hello Cohere'));
    assert.ok(body.usage.billed_units.output_tokens > 0 && body.usage.tokens.input_tokens > 0);
    const tools = [{ type: 'function', function: { name: 'find', parameters: SCHEMA } }];
    const tool = await json(await post('/v2/chat', { ...base, tools }, auth));
    assert.equal(tool.finish_reason, 'TOOL_CALL');
    assert.deepEqual(JSON.parse(tool.message.tool_calls[0].function.arguments), ARGS);
    const denied = await json(await post('/v2/chat', base), 401);
    assert.equal(typeof denied.message, 'string');
  });

  test('stream events and message-end usage; error_after ends with finish_reason ERROR', async () => {
    const events = parseSse(await (await post('/v2/chat', { ...base, stream: true }, auth)).text());
    const names = events.map((e) => e.event);
    assert.deepEqual([names[0], names[1], names.at(-2), names.at(-1)], ['message-start', 'content-start', 'content-end', 'message-end']);
    const data = events.map((e) => JSON.parse(e.data) as Json);
    data.forEach((d, i) => assert.equal(d.type, names[i]));
    const text = data.filter((d) => d.type === 'content-delta').map((d) => d.delta.message.content.text).join('');
    assert.ok(text.startsWith('Mock response to: Hello Cohere'));
    assert.equal(data.at(-1)?.delta.finish_reason, 'COMPLETE');
    assert.ok(data.at(-1)?.delta.usage.billed_units.output_tokens > 0);
    const failed = parseSse(await (await post('/mock/error_after=1/v2/chat', { ...base, stream: true }, auth)).text());
    assert.equal((JSON.parse(failed.at(-1)?.data ?? '') as Json).delta.finish_reason, 'ERROR');
  });

  test('embed and rerank', async () => {
    const emb = await json(await post('/v2/embed', { model: 'embed-english-v3.0', texts: ['a b', 'c'], input_type: 'search_document', embedding_types: ['float'] }, auth));
    assert.equal(emb.embeddings.float.length, 2);
    assert.equal(emb.embeddings.float[0].length, 1024);
    const docs = ['stock prices fell', 'my cat chases the dog', 'weather is nice'];
    const rr = await json(await post('/v2/rerank', { model: 'rerank-v3.5', query: 'cat and dog', documents: docs, top_n: 2 }, auth));
    assert.equal(rr.results.length, 2);
    assert.equal(rr.results[0].index, 1);
    assert.equal(rr.meta.billed_units.search_units, 1);
  });
});

describe('ollama', () => {
  const base = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hello Ollama' }] };

  test('chat streams NDJSON by default and ends with done:true and counts', async () => {
    const res = await post('/api/chat', base);
    assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
    const lines = parseNdjson(await res.text()) as Json[];
    assert.equal(lines.length, 5);
    assert.ok(lines.slice(0, -1).every((l) => l.done === false && l.message.role === 'assistant'));
    const last = lines.at(-1) as Json;
    assert.deepEqual([last.done, last.done_reason], [true, 'stop']);
    assert.ok(last.prompt_eval_count > 0 && last.eval_count > 0);
    const plain = await json(await post('/api/chat', { ...base, stream: false }));
    assert.equal(lines.map((l) => l.message.content).join(''), plain.message.content);
  });

  test('tool calls, embed and tags', async () => {
    const tools = [{ type: 'function', function: { name: 'find', parameters: SCHEMA } }];
    const body = await json(await post('/api/chat', { ...base, tools, stream: false }));
    assert.deepEqual(body.message.tool_calls[0].function, { name: 'find', arguments: ARGS });
    const emb = await json(await post('/api/embed', { model: 'nomic-embed-text', input: ['a', 'b c'] }));
    assert.deepEqual(emb.embeddings.map((e: number[]) => e.length), [768, 768]);
    const tags = (await (await fetch(`${mock.url}/api/tags`)).json()) as Json;
    assert.ok(tags.models.length > 0 && tags.models.every((m: Json) => m.name && m.details.format === 'gguf'));
    const failed = parseNdjson(await (await post('/mock/error_after=2/api/chat', base)).text()) as Json[];
    assert.equal(typeof failed.at(-1)?.error, 'string');
  });
});

// Wire compatibility of the mock server, proven with the official `openai` and `@anthropic-ai/sdk` clients.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockServer, type MockServer } from '../src/mockserver/index.js';

let mock: MockServer;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  mock = await startMockServer();
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${mock.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: mock.url, maxRetries: 0 });
});
after(async () => {
  await mock.close();
});

const QUESTION = 'Why is the sky blue?';
const TOOL_SCHEMA = { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] };

describe('openai client', () => {
  test('chat.completions.create', async () => {
    const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: QUESTION }] });
    assert.equal(res.model, 'gpt-4o-mini');
    assert.ok(res.choices[0].message.content?.startsWith(`Mock response to: ${QUESTION}`));
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.ok((res.usage?.total_tokens ?? 0) > 0);
  });

  test('streaming chat with usage, and the stream helper with tool calls', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: QUESTION }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage?.total_tokens ?? usage;
    }
    assert.ok(text.startsWith(`Mock response to: ${QUESTION}`));
    assert.ok(usage > 0);
    const runner = openai.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: QUESTION }],
      tools: [{ type: 'function', function: { name: 'weather', parameters: TOOL_SCHEMA } }],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0].message.tool_calls?.[0];
    assert.ok(call !== undefined && call.type === 'function');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'mock' });
  });

  test('embeddings.create uses base64 by default and decodes to the float vectors', async () => {
    const viaClient = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['hello world', 'goodbye'] });
    assert.equal(((await (await fetch(`${mock.url}/mock/last`)).json()) as { body: { encoding_format: string } }).body.encoding_format, 'base64');
    const raw = await fetch(`${mock.url}/v1/embeddings`, {
      method: 'POST',
      body: JSON.stringify({ model: 'text-embedding-3-small', input: ['hello world', 'goodbye'], encoding_format: 'float' }),
    });
    const floats = (await raw.json()) as { data: Array<{ embedding: number[] }> };
    assert.equal(viaClient.data.length, 2);
    assert.deepEqual(viaClient.data[0].embedding, floats.data[0].embedding);
    assert.equal(viaClient.data[1].embedding.length, 1536);
  });

  test('responses.create and responses.stream', async () => {
    const res = await openai.responses.create({ model: 'gpt-4.1', input: QUESTION });
    assert.ok(res.output_text.startsWith(`Mock response to: ${QUESTION}`));
    const stream = openai.responses.stream({ model: 'gpt-4.1', input: QUESTION });
    let deltas = '';
    stream.on('response.output_text.delta', (e) => (deltas += e.delta));
    const final = await stream.finalResponse();
    assert.equal(deltas, res.output_text);
    assert.equal(final.output_text, res.output_text);
  });

  test('errors surface as typed APIErrors; the client retries fail_first', async () => {
    const limited = new OpenAI({ apiKey: 'sk', baseURL: `${mock.url}/mock/status=429,retry_after=0/v1`, maxRetries: 0 });
    await assert.rejects(limited.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.RateLimitError);
      assert.equal(err.code, 'rate_limit_exceeded');
      return true;
    });
    const flaky = new OpenAI({ apiKey: 'sk', baseURL: `${mock.url}/mock/fail_first=1,status=500,retry_after=0/v1`, maxRetries: 1 });
    const ok = await flaky.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(ok.choices[0].finish_reason, 'stop');
    const broken = new OpenAI({ apiKey: 'sk', baseURL: `${mock.url}/mock/error_after=2/v1`, maxRetries: 0 });
    const stream = await broken.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    await assert.rejects(async () => {
      for await (const _ of stream) void _;
    }, OpenAI.APIError);
  });
});

describe('anthropic client', () => {
  test('messages.create', async () => {
    const msg = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user', content: QUESTION }] });
    assert.equal(msg.stop_reason, 'end_turn');
    const block = msg.content[0];
    assert.ok(block.type === 'text' && block.text.startsWith(`Mock response to: ${QUESTION}`));
  });

  test('messages.stream text and tool use', async () => {
    const stream = anthropic.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user', content: QUESTION }] });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    const block = final.content[0];
    assert.ok(block.type === 'text');
    assert.equal(block.text, text);
    assert.ok(final.usage.output_tokens > 1);
    const tools = anthropic.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: QUESTION }],
      tools: [{ name: 'weather', input_schema: TOOL_SCHEMA }],
    });
    const withTool = await tools.finalMessage();
    assert.equal(withTool.stop_reason, 'tool_use');
    const use = withTool.content[0];
    assert.ok(use.type === 'tool_use');
    assert.deepEqual(use.input, { city: 'mock' });
  });

  test('overload errors are typed', async () => {
    const client = new Anthropic({ apiKey: 'k', baseURL: `${mock.url}/mock/status=529`, maxRetries: 0 });
    await assert.rejects(
      client.messages.create({ model: 'c', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
      (err: unknown) => err instanceof Anthropic.APIError && err.status === 529,
    );
  });
});

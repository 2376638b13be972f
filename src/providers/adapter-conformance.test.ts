// One suite every native adapter runs (Hono's shared-suite model): recorded provider replies in, OpenAI's shapes out.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { ProviderAdapter, TranslationContext } from '../core/provider-contract.js';
import { ADAPTER_CASES, fixture, fixtureJson } from '../../test/support/adapter-cases.js';
import { loadAwsLibraries } from './bedrock/aws-libraries.js';

// In the gateway every Bedrock call passes authorize(), which awaits these; this suite calls translators directly.
before(() => loadAwsLibraries());

const CTX: TranslationContext = { model: 'upstream-model', includeUsage: true, created: 1_700_000_000 };

interface Reassembled {
  text: string;
  toolName: string;
  toolArgs: string;
  toolId: string;
  finish: string | null;
  usage: Record<string, unknown> | null;
  done: boolean;
  chunks: number;
}

/** Feeds `bytes` to a fresh translator in pieces of `step` bytes and parses what it writes as OpenAI SSE. */
function translate(adapter: ProviderAdapter, bytes: Buffer, step: number, ctx: TranslationContext = CTX): Reassembled {
  const translator = adapter.createStreamTranslator!('chat', ctx);
  let out = '';
  for (let at = 0; at < bytes.length; at += step) out += translator.push(bytes.subarray(at, Math.min(at + step, bytes.length)));
  out += translator.end();
  const result: Reassembled = { text: '', toolName: '', toolArgs: '', toolId: '', finish: null, usage: null, done: false, chunks: 0 };
  assert.ok(out.endsWith('\n\n'), 'events are framed');
  for (const event of out.split('\n\n')) {
    if (event === '') continue;
    assert.ok(event.startsWith('data: '), `SSE data event: ${event}`);
    const data = event.slice(6);
    if (data === '[DONE]') {
      result.done = true;
      continue;
    }
    assert.ok(!result.done, 'nothing after [DONE]');
    const chunk = JSON.parse(data) as { object: string; id: string; model: string; choices: Array<{ delta: { content?: string; tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }> }; finish_reason: string | null }>; usage?: Record<string, unknown> };
    assert.equal(chunk.object, 'chat.completion.chunk');
    assert.ok(chunk.id.length > 0);
    result.chunks++;
    if (chunk.usage !== undefined) result.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (choice === undefined) continue;
    result.text += choice.delta.content ?? '';
    for (const call of choice.delta.tool_calls ?? []) {
      result.toolName += call.function?.name ?? '';
      result.toolArgs += call.function?.arguments ?? '';
      result.toolId += call.id ?? '';
    }
    if (choice.finish_reason !== null) result.finish = choice.finish_reason;
  }
  return { ...result, usage: result.usage, done: result.done };
}

function assertGatewayError(fn: () => unknown, status?: number): GatewayError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof GatewayError, `expected a GatewayError, got ${String(caught)}`);
  if (status !== undefined) assert.equal(caught.status, status);
  assert.ok(caught.message.length > 0);
  return caught;
}

for (const c of ADAPTER_CASES) {
  describe(`adapter conformance: ${c.name}`, () => {
    const prepared = c.adapter.prepare(c.target);

    test('request: the canonical OpenAI request maps to the recorded upstream body', () => {
      const body = fixtureJson('openai-chat-request.json') as JsonObject;
      const request = c.adapter.buildRequest('chat', body, prepared);
      const expected = fixtureJson(`${c.name}/request.json`);
      assert.equal(request.origin, 'http://upstream.test');
      assert.equal(request.path, expected.path);
      assert.deepEqual(JSON.parse(String(request.body)), expected.body);
    });

    test('text: content, finish_reason stop and usage', () => {
      const body = c.adapter.parseResponse!('chat', fixture(`${c.name}/text.json`), CTX) as { object: string; choices: Array<{ message: { role: string; content: string }; finish_reason: string }>; usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details: { cached_tokens: number } } };
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0]!.message.role, 'assistant');
      assert.equal(body.choices[0]!.message.content, 'Hello there, friend.');
      assert.equal(body.choices[0]!.finish_reason, 'stop');
      assert.equal(body.usage.prompt_tokens, c.usage.prompt);
      assert.equal(body.usage.completion_tokens, c.usage.completion);
      assert.equal(body.usage.total_tokens, c.usage.prompt + c.usage.completion);
      assert.equal(body.usage.prompt_tokens_details.cached_tokens, c.usage.cached);
    });

    test('tools: tool_calls in OpenAI shape with JSON-text arguments', () => {
      const body = c.adapter.parseResponse!('chat', fixture(`${c.name}/tool.json`), CTX) as { choices: Array<{ message: { tool_calls: Array<{ id: string; type: string; function: { name: string; arguments: string } }> }; finish_reason: string }> };
      const call = body.choices[0]!.message.tool_calls[0]!;
      assert.equal(call.type, 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris' });
      assert.ok(call.id.length > 0);
      assert.equal(body.choices[0]!.finish_reason, 'tool_calls');
    });

    test('finish reasons map to OpenAI values', () => {
      for (const [value, expected] of c.finishes) {
        const body = c.adapter.parseResponse!('chat', c.withFinish(value), CTX) as { choices: Array<{ finish_reason: string }> };
        assert.equal(body.choices[0]!.finish_reason, expected, value);
      }
    });

    test('stream reassembly: same answer whatever the chunk boundaries', () => {
      const bytes = c.stream('text');
      for (const step of [1, 3, 17, bytes.length]) {
        const result = translate(c.adapter, bytes, step);
        assert.equal(result.text, 'Hello there, friend.', `step ${step}`);
        assert.equal(result.finish, 'stop');
        assert.ok(result.done, 'ends with [DONE]');
      }
    });

    test('stream usage: final usage chunk only when include_usage', () => {
      const withUsage = translate(c.adapter, c.stream('text'), 64);
      assert.equal(withUsage.usage?.prompt_tokens, c.usage.prompt);
      assert.equal(withUsage.usage?.completion_tokens, c.usage.completion);
      const translator = c.adapter.createStreamTranslator!('chat', { ...CTX, includeUsage: false });
      const out = translator.push(c.stream('text')) + translator.end();
      assert.ok(!out.includes('"usage"'));
      assert.equal(translator.usage?.promptTokens, c.usage.prompt, 'usage is tracked for spend either way');
    });

    test('tool-call streaming: id, name and arguments reassemble', () => {
      for (const step of [1, 5, 1 << 20]) {
        const result = translate(c.adapter, c.stream('tool'), step);
        assert.equal(result.toolName, 'get_weather');
        assert.deepEqual(JSON.parse(result.toolArgs), { location: 'Paris' });
        assert.ok(result.toolId.length > 0);
        assert.equal(result.finish, 'tool_calls');
      }
    });

    test('errors: status, message, retry-after and retryable kept', () => {
      const limited = c.adapter.mapError(c.rateLimitStatus, fixture(`${c.name}/error-rate-limit.json`).toString(), c.errorHeaders);
      assert.equal(limited.status, c.rateLimitStatus);
      assert.ok(limited.retryable);
      assert.ok(limited.message.length > 10 && !limited.message.startsWith('{'), limited.message);
      assert.equal(limited.headers?.['retry-after'], '7');
      if (c.rateLimitStatus === 429) assert.equal(limited.type, 'rate_limit_error');
      const overloaded = c.adapter.mapError(c.overloadedStatus, fixture(`${c.name}/error-overloaded.json`).toString(), {});
      assert.equal(overloaded.status, c.overloadedStatus);
      assert.ok(overloaded.retryable);
      const context = c.adapter.mapError(400, fixture(`${c.name}/error-context-window.json`).toString(), {});
      assert.equal(context.status, 400);
      assert.equal(context.reason, 'context_window_exceeded');
      assert.equal(context.retryable, false);
      const text = c.adapter.mapError(500, 'upstream exploded', {});
      assert.equal(text.message, 'upstream exploded');
    });

    test('bad output: truncated JSON body is a 502', () => {
      const bytes = fixture(`${c.name}/text.json`);
      assertGatewayError(() => c.adapter.parseResponse!('chat', bytes.subarray(0, bytes.length >> 1), CTX), 502);
      assertGatewayError(() => c.adapter.parseResponse!('chat', Buffer.from('{"unexpected":true}'), CTX), 502);
    });

    test('bad output: a stream cut mid-event is an error at end, not a hang', () => {
      const bytes = c.stream('text');
      for (const cut of [bytes.length >> 1, bytes.length - 3]) {
        assertGatewayError(() => translate(c.adapter, bytes.subarray(0, cut), 7), 502);
      }
    });

    test('bad output: an unknown event type is an error', () => {
      assertGatewayError(() => translate(c.adapter, c.stream('unknown-event'), 11), 502);
    });

    test('an error event mid-stream becomes a GatewayError with the provider status', () => {
      const error = assertGatewayError(() => translate(c.adapter, c.stream('error-event'), 9), c.streamErrorStatus);
      assert.ok(error.retryable);
    });
  });
}

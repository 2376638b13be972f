// The table the adapter conformance suite runs over: one row per native wire protocol, its fixtures and its expectations.
import { readFileSync } from 'node:fs';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { FinishReason } from '../../src/core/openai-shapes.js';
import type { DeploymentTarget, ProviderAdapter } from '../../src/core/provider-contract.js';
import { AnthropicAdapter } from '../../src/providers/anthropic/adapter.js';
import { BedrockAdapter } from '../../src/providers/bedrock/adapter.js';
import { CohereAdapter } from '../../src/providers/cohere/adapter.js';
import { GeminiAdapter } from '../../src/providers/gemini/adapter.js';
import { OllamaAdapter } from '../../src/providers/ollama/adapter.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const codec = new EventStreamCodec(toUtf8, fromUtf8);

export function fixture(path: string): Buffer {
  return readFileSync(new URL(path, FIXTURES));
}

export function fixtureJson(path: string): Record<string, unknown> {
  return JSON.parse(fixture(path).toString('utf8')) as Record<string, unknown>;
}

interface FrameSpec {
  event?: string;
  exception?: string;
  payload: unknown;
}

/** Bedrock's recorded frames are kept as JSON and encoded into the binary event-stream format here. */
export function encodeFrames(frames: readonly FrameSpec[]): Buffer {
  const encoded = frames.map((frame) => {
    const headers: Record<string, { type: 'string'; value: string }> = { ':content-type': { type: 'string', value: 'application/json' } };
    if (frame.exception !== undefined) {
      headers[':message-type'] = { type: 'string', value: 'exception' };
      headers[':exception-type'] = { type: 'string', value: frame.exception };
    } else {
      headers[':message-type'] = { type: 'string', value: 'event' };
      headers[':event-type'] = { type: 'string', value: frame.event ?? '' };
    }
    return Buffer.from(codec.encode({ headers, body: fromUtf8(JSON.stringify(frame.payload)) }));
  });
  return Buffer.concat(encoded);
}

export interface AdapterCase {
  name: string;
  adapter: ProviderAdapter;
  target: DeploymentTarget;
  /** Recorded stream bytes by fixture base name (`text`, `tool`, `error-event`, `unknown-event`). */
  stream(name: string): Buffer;
  usage: { prompt: number; completion: number; cached: number };
  /** Provider finish value → OpenAI finish_reason. */
  finishes: ReadonlyArray<readonly [string, FinishReason]>;
  /** The text fixture with its finish value replaced. */
  withFinish(value: string): Buffer;
  errorHeaders: Record<string, string>;
  rateLimitStatus: number;
  overloadedStatus: number;
  /** Status of the error event inside the recorded error stream. */
  streamErrorStatus: number;
}

function target(provider: string, model: string, providerParams?: Record<string, string>): DeploymentTarget {
  return { provider, upstreamModel: model, apiBase: 'http://upstream.test', apiKey: 'test-key', apiVersion: null, extraHeaders: {}, providerParams };
}

function sseStream(dir: string): (name: string) => Buffer {
  return (name) => fixture(`${dir}/${name}.stream.txt`);
}

function replaced(dir: string, edit: (body: Record<string, unknown>, value: string) => void): (value: string) => Buffer {
  return (value) => {
    const body = fixtureJson(`${dir}/text.json`);
    edit(body, value);
    return Buffer.from(JSON.stringify(body));
  };
}

export const ADAPTER_CASES: AdapterCase[] = [
  {
    name: 'anthropic',
    adapter: new AnthropicAdapter(),
    target: target('anthropic', 'claude-sonnet-4-5'),
    stream: sseStream('anthropic'),
    usage: { prompt: 132, completion: 6, cached: 100 },
    finishes: [['end_turn', 'stop'], ['stop_sequence', 'stop'], ['max_tokens', 'length'], ['tool_use', 'tool_calls'], ['refusal', 'content_filter']],
    withFinish: replaced('anthropic', (body, value) => (body.stop_reason = value)),
    errorHeaders: { 'retry-after': '7' },
    rateLimitStatus: 429,
    overloadedStatus: 529,
    streamErrorStatus: 529,
  },
  {
    name: 'gemini',
    adapter: new GeminiAdapter(),
    target: target('gemini', 'gemini-2.5-flash'),
    stream: sseStream('gemini'),
    usage: { prompt: 112, completion: 6, cached: 100 },
    finishes: [['STOP', 'stop'], ['MAX_TOKENS', 'length'], ['SAFETY', 'content_filter'], ['RECITATION', 'content_filter'], ['PROHIBITED_CONTENT', 'content_filter']],
    withFinish: replaced('gemini', (body, value) => ((body.candidates as Array<Record<string, unknown>>)[0]!.finishReason = value)),
    errorHeaders: { 'retry-after': '7' },
    rateLimitStatus: 429,
    overloadedStatus: 503,
    streamErrorStatus: 503,
  },
  {
    name: 'bedrock',
    adapter: new BedrockAdapter(),
    target: target('bedrock', 'anthropic.claude-3-5-sonnet-20240620-v1:0', { aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'secret', aws_region_name: 'us-east-1' }),
    stream: (name) => encodeFrames(JSON.parse(fixture(`bedrock/${name}.stream.json`).toString('utf8')) as FrameSpec[]),
    usage: { prompt: 132, completion: 6, cached: 100 },
    finishes: [['end_turn', 'stop'], ['stop_sequence', 'stop'], ['max_tokens', 'length'], ['tool_use', 'tool_calls'], ['guardrail_intervened', 'content_filter'], ['content_filtered', 'content_filter']],
    withFinish: replaced('bedrock', (body, value) => (body.stopReason = value)),
    errorHeaders: { 'retry-after': '7', 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
    rateLimitStatus: 429,
    overloadedStatus: 503,
    streamErrorStatus: 429,
  },
  {
    name: 'cohere',
    adapter: new CohereAdapter(),
    target: target('cohere', 'command-r-plus'),
    stream: sseStream('cohere'),
    usage: { prompt: 12, completion: 6, cached: 0 },
    finishes: [['COMPLETE', 'stop'], ['STOP_SEQUENCE', 'stop'], ['MAX_TOKENS', 'length'], ['TOOL_CALL', 'tool_calls'], ['ERROR_TOXIC', 'content_filter']],
    withFinish: replaced('cohere', (body, value) => (body.finish_reason = value)),
    errorHeaders: { 'retry-after': '7' },
    rateLimitStatus: 429,
    overloadedStatus: 503,
    streamErrorStatus: 500,
  },
  {
    name: 'ollama',
    adapter: new OllamaAdapter('ollama_chat'),
    target: target('ollama_chat', 'llama3.2'),
    stream: sseStream('ollama'),
    usage: { prompt: 12, completion: 6, cached: 0 },
    finishes: [['stop', 'stop'], ['length', 'length']],
    withFinish: replaced('ollama', (body, value) => (body.done_reason = value)),
    errorHeaders: { 'retry-after': '7' },
    rateLimitStatus: 503,
    overloadedStatus: 503,
    streamErrorStatus: 500,
  },
];

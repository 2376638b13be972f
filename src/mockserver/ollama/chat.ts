// POST /api/chat: Ollama's native chat, a single JSON object or (the default) an NDJSON stream.
import { splitText } from '../answer.js';
import { asNumber, asRecord, asString, type JsonRecord } from '../json.js';
import { functionTools, scanMessages } from '../prompt-parts.js';
import { AUTO, JSON_OFF, planReply, type JsonMode, type PromptInfo, type Reply } from '../reply.js';
import { sendReply } from '../send.js';
import { NDJSON_TYPE, ndjson } from '../sse.js';
import { runStream } from '../stream-run.js';
import type { MockContext } from '../types.js';

/** Fixed, plausible durations in nanoseconds, so clients computing tokens/s get finite numbers. */
const NS_PER_TOKEN = 10_000_000;
const LOAD_NS = 1_000_000;

export function handleOllamaChat(ctx: MockContext): void {
  const body = asRecord(ctx.body) ?? {};
  const reply = planReply(ollamaPrompt(body));
  const head = { model: asString(body.model) ?? '', created_at: new Date().toISOString() };
  const call = reply.toolCall;
  const toolCalls = call === undefined ? undefined : [{ function: { name: call.name, arguments: call.args } }];
  // Unlike most APIs, Ollama streams unless told otherwise.
  if (body.stream === false) {
    const message = { role: 'assistant', content: reply.text, ...(toolCalls && { tool_calls: toolCalls }) };
    sendReply(ctx, { ...head, message, ...finalFields(reply, true) });
    return;
  }
  const pieces = call === undefined ? splitText(reply.text, ctx.chunks) : [''];
  const content = pieces.map((piece) =>
    ndjson({ ...head, message: { role: 'assistant', content: piece, ...(toolCalls && { tool_calls: toolCalls }) }, done: false }),
  );
  const tail = [ndjson({ ...head, message: { role: 'assistant', content: '' }, ...finalFields(reply, ctx.scenario.usage) })];
  const failed = ndjson({ error: 'an error was encountered while running the model' });
  runStream(ctx, { contentType: NDJSON_TYPE, head: [], content, tail, errorFrame: () => failed });
}

function finalFields(reply: Reply, withUsage: boolean): JsonRecord {
  const fields: JsonRecord = { done_reason: reply.finish === 'length' ? 'length' : 'stop', done: true };
  if (!withUsage) return fields;
  const promptNs = reply.promptTokens * NS_PER_TOKEN;
  const evalNs = reply.completionTokens * NS_PER_TOKEN;
  fields.total_duration = LOAD_NS + promptNs + evalNs;
  fields.load_duration = LOAD_NS;
  fields.prompt_eval_count = reply.promptTokens;
  fields.prompt_eval_duration = promptNs;
  fields.eval_count = reply.completionTokens;
  fields.eval_duration = evalNs;
  return fields;
}

function ollamaPrompt(body: JsonRecord): PromptInfo {
  const scan = scanMessages(body.messages, 'content');
  return {
    lastUserText: scan.lastUserText,
    promptChars: scan.chars,
    tools: functionTools(body.tools),
    toolChoice: AUTO,
    afterToolResult: scan.last?.role === 'tool',
    maxTokens: asNumber(asRecord(body.options)?.num_predict),
    json: ollamaJsonMode(body.format),
  };
}

/** `format: "json"` or a JSON schema object. */
function ollamaJsonMode(format: unknown): JsonMode {
  if (format === 'json') return { mode: 'object' };
  const schema = asRecord(format);
  return schema === undefined ? JSON_OFF : { mode: 'schema', schema };
}

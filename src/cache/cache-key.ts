// The cache key as LiteLLM's Cache.get_cache_key derives it: "param: value" for model-relevant params, SHA-256, namespace.
import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../core/json.js';
import { pythonStr } from './python-str.js';

/**
 * Request fields that change the answer (OpenAI's chat, completion and embedding parameters). `stream` and
 * `stream_options` are left out on purpose: a streamed and a plain request share one entry, and a hit is
 * replayed in whichever form was asked for.
 */
const KEY_PARAMS: ReadonlySet<string> = new Set([
  'model', 'messages', 'prompt', 'input', 'temperature', 'top_p', 'n', 'stop', 'max_tokens', 'max_completion_tokens',
  'presence_penalty', 'frequency_penalty', 'logit_bias', 'user', 'response_format', 'seed', 'tools', 'tool_choice',
  'logprobs', 'top_logprobs', 'parallel_tool_calls', 'functions', 'function_call', 'encoding_format', 'dimensions',
  'suffix', 'best_of', 'echo', 'reasoning_effort', 'modalities', 'audio', 'prediction', 'service_tier',
  'web_search_options', 'thinking', 'top_k', 'verbosity', 'store',
]);

/** Prompt-bearing fields, left out of a semantic cache's bucket key (the vector matches them instead). */
export const PROMPT_PARAMS: ReadonlySet<string> = new Set(['messages', 'prompt', 'input']);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The unhashed key text: fields in the body's order, `model` replaced by the model group, `input` optionally
 * replaced (one embedding item), prompt fields optionally skipped (semantic bucket).
 */
export function cacheKeyText(body: JsonObject, modelGroup: string, input: JsonValue | undefined, skipPrompt: boolean): string {
  let text = '';
  for (const param in body) {
    if (!KEY_PARAMS.has(param)) continue;
    if (skipPrompt && PROMPT_PARAMS.has(param)) continue;
    const value = param === 'model' ? modelGroup : param === 'input' && input !== undefined ? input : body[param];
    if (value === null || value === undefined) continue;
    text += `${param}: ${pythonStr(value)}`;
  }
  return text;
}

export function withNamespace(hash: string, namespace: string | null): string {
  return namespace === null ? hash : `${namespace}:${hash}`;
}

export function cacheKey(body: JsonObject, modelGroup: string, namespace: string | null, input?: JsonValue): string {
  return withNamespace(sha256Hex(cacheKeyText(body, modelGroup, input, false)), namespace);
}

// LiteLLM's StandardLoggingPayload, built from a request outcome when a callback batch is flushed (never per request).
import { performance } from 'node:perf_hooks';
import type { JsonObject } from '../core/json.js';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { exceptionClass } from '../metrics/exception-class.js';
import { SURFACE_CALL_TYPES } from '../surface/call-types.js';

export interface StandardLoggingPayload {
  id: string;
  trace_id: string;
  call_type: string;
  stream: boolean;
  status: 'success' | 'failure';
  cache_hit: boolean | null;
  custom_llm_provider: string | null;
  startTime: number;
  endTime: number;
  completionStartTime: number;
  response_time: number;
  model: string;
  model_id: string | null;
  model_group: string | null;
  api_base: string;
  response_cost: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  end_user: string;
  metadata: Record<string, string | number | null>;
  messages: unknown;
  response: unknown;
  model_parameters: JsonObject;
  error_str: string | null;
  error_information: { error_code: string; error_class: string; llm_provider: string; error_message: string } | null;
  hidden_params: { model_id: string | null; api_base: string; response_cost: number; litellm_overhead_time_ms: number | null };
}

const CALL_TYPES: Readonly<Record<string, string>> = { chat: 'acompletion', completion: 'atext_completion', embedding: 'aembedding' };
/** Request keys that are not model parameters (or carry content logged separately). */
const NOT_PARAMETERS: ReadonlySet<string> = new Set(['model', 'messages', 'prompt', 'input', 'stream', 'metadata', 'user', 'mock_response']);

/** `performance.now()` → epoch seconds, as LiteLLM's payload carries times. */
const EPOCH_OFFSET_MS = Date.now() - performance.now();
function epochSeconds(perfMs: number): number {
  return (EPOCH_OFFSET_MS + perfMs) / 1000;
}

function modelParameters(body: JsonObject | null | undefined): JsonObject {
  const out: JsonObject = {};
  if (body == null) return out;
  for (const key of Object.keys(body)) if (!NOT_PARAMETERS.has(key)) out[key] = body[key]!;
  return out;
}

function messagesOf(body: JsonObject | null | undefined): unknown {
  if (body == null) return null;
  return body.messages ?? body.prompt ?? body.input ?? null;
}

export function buildStandardLoggingPayload(outcome: RequestOutcome, logMessages: boolean): StandardLoggingPayload {
  const deployment = outcome.deployment;
  const error = outcome.error;
  const failed = error !== null || outcome.status >= 400 || outcome.status === 0;
  const usage = outcome.usage;
  const cost = outcome.responseCost ?? 0;
  const upstream = outcome.upstreamMs;
  const totalMs = outcome.endedAt - outcome.startedAt;
  const provider = deployment === null ? null : deployment.provider;
  return {
    id: outcome.callId,
    trace_id: outcome.callId,
    call_type: (outcome.endpoint != null ? SURFACE_CALL_TYPES[outcome.endpoint] : undefined) ?? CALL_TYPES[outcome.operation] ?? outcome.operation,
    stream: outcome.stream,
    status: failed ? 'failure' : 'success',
    cache_hit: outcome.cacheHit ?? null,
    custom_llm_provider: provider,
    startTime: epochSeconds(outcome.startedAt),
    endTime: epochSeconds(outcome.endedAt),
    completionStartTime: epochSeconds(outcome.timeToFirstTokenMs > 0 ? outcome.startedAt + (totalMs - upstream) + outcome.timeToFirstTokenMs : outcome.endedAt),
    response_time: totalMs / 1000,
    model: deployment === null ? (outcome.requestedModel ?? '') : deployment.upstreamModel,
    model_id: deployment === null ? null : deployment.id,
    model_group: outcome.modelGroup,
    api_base: deployment === null ? '' : deployment.apiBase,
    response_cost: cost,
    prompt_tokens: usage === null ? 0 : usage.promptTokens,
    completion_tokens: usage === null ? 0 : usage.completionTokens,
    total_tokens: usage === null ? 0 : usage.totalTokens,
    end_user: outcome.endUser ?? '',
    metadata: {
      user_api_key_hash: outcome.apiKeyHash ?? null,
      user_api_key_alias: outcome.keyAlias ?? null,
      user_api_key_team_id: outcome.team ?? null,
      user_api_key_team_alias: outcome.teamAlias ?? null,
      user_api_key_user_id: outcome.user ?? null,
      user_api_key_end_user_id: outcome.endUser ?? null,
      attempted_retries: outcome.attemptedRetries ?? 0,
    },
    messages: logMessages ? messagesOf(outcome.requestBody) : 'redacted-by-litellm',
    // Response bodies are not kept by the data plane (streams are piped); usage and status are.
    response: logMessages ? null : 'redacted-by-litellm',
    model_parameters: modelParameters(outcome.requestBody),
    error_str: error === null ? null : error.message,
    error_information: error === null ? null : {
      error_code: String(error.status),
      error_class: exceptionClass(error.reason, error.status),
      llm_provider: provider ?? '',
      error_message: error.message,
    },
    hidden_params: {
      model_id: deployment === null ? null : deployment.id,
      api_base: deployment === null ? '' : deployment.apiBase,
      response_cost: cost,
      litellm_overhead_time_ms: upstream > 0 ? totalMs - upstream : null,
    },
  };
}

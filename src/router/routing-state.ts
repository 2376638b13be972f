// Per-request routing facts: the original body, the current group, retries and fallbacks used, overrides.
import type { IncomingHttpHeaders } from 'node:http';
import type { Deployment } from '../config/deployment.js';
import type { ModelGroup } from '../config/snapshot.js';
import type { GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { requestFallbacks } from './fallback-plan.js';
import type { PickRequest } from './router.js';
import type { RoutedDeployment } from './routed-deployment.js';
import type { RouterSettings } from './router-settings.js';
import { estimatePromptTokens } from './token-estimate.js';

function positiveNumber(value: unknown): number | null {
  const number = typeof value === 'string' && value !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : null;
}

function tagsOf(body: JsonObject): string[] | null {
  const metadata = body.metadata;
  const tags = body.tags ?? (isJsonObject(metadata) ? metadata.tags : undefined);
  if (!Array.isArray(tags)) return null;
  const out: string[] = [];
  for (const tag of tags) if (typeof tag === 'string') out.push(tag);
  return out.length === 0 ? null : out;
}

export class RoutingState implements PickRequest {
  /** The client's body as parsed; each attempt works on a shallow copy (the model name differs per deployment). */
  readonly original: JsonObject;
  group: ModelGroup;
  current: RoutedDeployment | null = null;
  /** True while `current` is in flight (so it is counted out exactly once). */
  active = false;
  /** Retries this request may use per group (the `x-litellm-max-retries` header). */
  readonly numRetries: number;
  retriesInGroup = 0;
  attemptedRetries = 0;
  attemptedFallbacks = 0;
  failedIds: string[] = [];
  /** Fallback groups still to try, fixed when the first fallback happens; null before. */
  fallbackQueue: readonly string[] | null = null;
  readonly requestFallbacks: string[] | null;
  /** Per-request timeout (body `timeout` or `x-litellm-timeout`), ms; 0 = the deployment's. */
  readonly timeoutMs: number;
  readonly tags: readonly string[] | null;
  readonly estimatedTokens: number;
  /** LiteLLM's `mock_testing_*fallbacks`: the first group fails on purpose with this kind of error. */
  readonly mockFailure: 'fallbacks' | 'context_window' | 'content_policy' | null;
  timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  lastError: GatewayError | null = null;
  /**
   * The one deployment every attempt goes to (a file or batch lives there): retries only, no pick, no fallback,
   * and no router bookkeeping (a files call says nothing about the deployment's chat latency or health). Null: routed.
   */
  pinned: Deployment | null = null;

  constructor(body: JsonObject, group: ModelGroup, settings: RouterSettings, headers: IncomingHttpHeaders, smallestWindow: number) {
    this.original = body;
    this.group = group;
    const requested = body.num_retries ?? body.max_retries;
    this.numRetries = typeof requested === 'number' && Number.isInteger(requested) && requested >= 0 ? requested : settings.numRetries;
    this.requestFallbacks = requestFallbacks(body.fallbacks);
    const seconds = positiveNumber(body.timeout) ?? positiveNumber(body.request_timeout) ?? positiveNumber(headers['x-litellm-timeout']);
    this.timeoutMs = seconds === null ? 0 : seconds * 1000;
    this.tags = settings.tagFiltering ? tagsOf(body) : null;
    this.estimatedTokens = settings.preCallChecks ? estimatePromptTokens(body, smallestWindow) : 0;
    this.mockFailure =
      body.mock_testing_fallbacks === true ? 'fallbacks'
      : body.mock_testing_context_fallbacks === true ? 'context_window'
      : body.mock_testing_content_policy_fallbacks === true ? 'content_policy'
      : null;
  }
}

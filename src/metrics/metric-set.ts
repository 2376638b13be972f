// Every Prometheus metric Sluice exposes, under LiteLLM's names and label sets, in one registry built at start-up.
import type { Registry } from 'prom-client';
import { FastCounter, FastGauge, FastHistogram } from './fast-metrics.js';
import { LATENCY_BUCKETS } from './latency-buckets.js';

// Counters carry the `_total` suffix in their registered name: Python's prometheus_client appends it on exposition,
// so LiteLLM dashboards query e.g. `litellm_proxy_total_requests_metric_total`; prom-client exposes names verbatim.

/** Labels on LiteLLM's per-request (key/team/user) metrics. */
const KEY_LABELS = ['end_user', 'hashed_api_key', 'api_key_alias', 'requested_model', 'team', 'team_alias', 'user'] as const;
const TOKEN_LABELS = ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user', 'requested_model'] as const;
const DEPLOYMENT_LABELS = ['litellm_model_name', 'model_id', 'api_base', 'api_provider'] as const;
const DEPLOYMENT_REQUEST_LABELS = [...DEPLOYMENT_LABELS, 'requested_model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias'] as const;
const EXCEPTION_LABELS = ['exception_status', 'exception_class'] as const;

function counter(registry: Registry, name: string, help: string, labelNames: readonly string[]): FastCounter {
  return new FastCounter(registry, name, help, labelNames, 'sum');
}

/** Across workers a gauge is summed unless it says otherwise (state: worst; remaining limits and budgets: lowest). */
function gauge(registry: Registry, name: string, help: string, labelNames: readonly string[], aggregator: 'sum' | 'max' | 'min' = 'sum'): FastGauge {
  return new FastGauge(registry, name, help, labelNames, aggregator);
}

function histogram(registry: Registry, name: string, help: string, labelNames: readonly string[], buckets: readonly number[] = LATENCY_BUCKETS): FastHistogram {
  return new FastHistogram(registry, name, help, labelNames, buckets);
}

export function createMetricSet(registry: Registry) {
  return {
    proxyTotalRequests: counter(registry, 'litellm_proxy_total_requests_metric_total', 'Total number of requests made to the proxy server - track number of client side requests', [...KEY_LABELS, 'status_code']),
    proxyFailedRequests: counter(registry, 'litellm_proxy_failed_requests_metric_total', 'Total number of failed responses from proxy - the client did not get a success response from litellm proxy', [...KEY_LABELS, ...EXCEPTION_LABELS]),
    requestsMetric: counter(registry, 'litellm_requests_metric_total', 'deprecated - use litellm_proxy_total_requests_metric. Total number of LLM calls to litellm', ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user']),
    requestTotalLatency: histogram(registry, 'litellm_request_total_latency_metric', 'Total latency (seconds) for a request to LiteLLM', [...KEY_LABELS, 'model']),
    llmApiLatency: histogram(registry, 'litellm_llm_api_latency_metric', 'Total latency (seconds) for a models LLM API call', ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', 'requested_model', 'end_user', 'user']),
    overheadLatency: histogram(registry, 'litellm_overhead_latency_metric', 'Latency overhead (seconds) added by the proxy', ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias']),
    timeToFirstToken: histogram(registry, 'litellm_llm_api_time_to_first_token_metric', 'Time to first token for a models LLM API call', ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias']),
    inputTokens: counter(registry, 'litellm_input_tokens_total', 'Total number of input tokens from LLM requests', TOKEN_LABELS),
    outputTokens: counter(registry, 'litellm_output_tokens_total', 'Total number of output tokens from LLM requests', TOKEN_LABELS),
    totalTokens: counter(registry, 'litellm_total_tokens_total', 'Total number of input + output tokens from LLM requests', TOKEN_LABELS),
    inputTokensMetric: counter(registry, 'litellm_input_tokens_metric_total', 'Total number of input tokens from LLM requests', TOKEN_LABELS),
    outputTokensMetric: counter(registry, 'litellm_output_tokens_metric_total', 'Total number of output tokens from LLM requests', TOKEN_LABELS),
    totalTokensMetric: counter(registry, 'litellm_total_tokens_metric_total', 'Total number of input + output tokens from LLM requests', TOKEN_LABELS),
    spend: counter(registry, 'litellm_spend_metric_total', 'Total spend on LLM requests', ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user']),
    deploymentSuccess: counter(registry, 'litellm_deployment_success_responses_total', 'LLM Deployment Analytics - Total number of successful LLM API calls', DEPLOYMENT_REQUEST_LABELS),
    deploymentFailure: counter(registry, 'litellm_deployment_failure_responses_total', 'LLM Deployment Analytics - Total number of failed LLM API calls for a deployment', [...DEPLOYMENT_REQUEST_LABELS, ...EXCEPTION_LABELS]),
    deploymentTotal: counter(registry, 'litellm_deployment_total_requests_total', 'LLM Deployment Analytics - Total number of LLM API calls - success + failure', DEPLOYMENT_REQUEST_LABELS),
    deploymentLatencyPerOutputToken: histogram(registry, 'litellm_deployment_latency_per_output_token', 'LLM Deployment Analytics - Latency per output token', [...DEPLOYMENT_LABELS, 'hashed_api_key', 'api_key_alias', 'team', 'team_alias']),
    deploymentState: gauge(registry, 'litellm_deployment_state', 'LLM Deployment Analytics - The state of the deployment: 0 = healthy, 1 = partial outage, 2 = complete outage', DEPLOYMENT_LABELS, 'max'),
    deploymentCooledDown: counter(registry, 'litellm_deployment_cooled_down_total', 'LLM Deployment Analytics - Number of times a deployment has been cooled down', [...DEPLOYMENT_LABELS, 'exception_status']),
    deploymentSuccessfulFallbacks: counter(registry, 'litellm_deployment_successful_fallbacks_total', 'LLM Deployment Analytics - Number of successful fallback requests from primary model -> fallback model', ['requested_model', 'fallback_model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', ...EXCEPTION_LABELS]),
    deploymentFailedFallbacks: counter(registry, 'litellm_deployment_failed_fallbacks_total', 'LLM Deployment Analytics - Number of failed fallback requests from primary model -> fallback model', ['requested_model', 'fallback_model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', ...EXCEPTION_LABELS]),
    remainingRequests: gauge(registry, 'litellm_remaining_requests_metric', 'LLM Deployment Analytics - remaining requests for model, returned from LLM API Provider', ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'], 'min'),
    remainingTokens: gauge(registry, 'litellm_remaining_tokens_metric', 'remaining tokens for model, returned from LLM API Provider', ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'], 'min'),
    remainingTeamBudget: gauge(registry, 'litellm_remaining_team_budget_metric', 'Remaining budget for team', ['team', 'team_alias'], 'min'),
    remainingKeyBudget: gauge(registry, 'litellm_remaining_api_key_budget_metric', 'Remaining budget for api key', ['hashed_api_key', 'api_key_alias'], 'min'),
    remainingKeyRequestsForModel: gauge(registry, 'litellm_remaining_api_key_requests_for_model', 'Remaining Requests API Key can make for model (model based rpm limit on key)', ['hashed_api_key', 'api_key_alias', 'model'], 'min'),
    remainingKeyTokensForModel: gauge(registry, 'litellm_remaining_api_key_tokens_for_model', 'Remaining Tokens API Key can make for model (model based tpm limit on key)', ['hashed_api_key', 'api_key_alias', 'model'], 'min'),
    cacheHitsMetric: counter(registry, 'litellm_cache_hits_metric_total', 'Total number of LiteLLM cache hits', ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', 'requested_model']),
    cacheMissesMetric: counter(registry, 'litellm_cache_misses_metric_total', 'Total number of LiteLLM cache misses', ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', 'requested_model']),
    // The names LiteLLM's performance guide queries.
    requestsTotal: counter(registry, 'litellm_requests_total', 'Requests answered by the proxy, by HTTP status', ['status']),
    requestDuration: histogram(registry, 'litellm_request_duration_seconds', 'Total request duration (seconds) as seen by the proxy', []),
    cacheHitsTotal: counter(registry, 'litellm_cache_hits_total', 'Response cache hits', []),
    cacheMissesTotal: counter(registry, 'litellm_cache_misses_total', 'Response cache misses', []),
    providerLatency: histogram(registry, 'litellm_provider_latency_seconds', 'Time (seconds) spent waiting on the upstream provider', ['provider']),
    // Callback health: LiteLLM's failure counter, plus Sluice's queue drops.
    callbackFailures: counter(registry, 'litellm_callback_logging_failures_metric_total', 'Total number of failures when emitting logs to callbacks', ['callback_name']),
    callbackDropped: counter(registry, 'sluice_callback_events_dropped_total', 'Logging events dropped because a callback queue was full', ['callback_name']),
  };
}

export type MetricSet = ReturnType<typeof createMetricSet>;

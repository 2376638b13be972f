// The registry exposes every name CONTRACT.md promises, and every metric the Grafana dashboard queries exists.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createMetricSet } from './metric-set.js';

const registry = new Registry();
createMetricSet(registry);
const names = new Set(registry.getMetricsAsArray().map((metric) => metric.name));

/** Python's prometheus_client exposes a counter `x` as `x_total`; dashboards query that. */
function exposed(name: string): boolean {
  return names.has(name) || names.has(`${name}_total`);
}

test('every metric named by CONTRACT.md is registered', () => {
  const contract = [
    'litellm_proxy_total_requests_metric', 'litellm_proxy_failed_requests_metric', 'litellm_request_total_latency_metric',
    'litellm_llm_api_latency_metric', 'litellm_overhead_latency_metric', 'litellm_llm_api_time_to_first_token_metric',
    'litellm_input_tokens', 'litellm_output_tokens', 'litellm_total_tokens', 'litellm_spend_metric', 'litellm_cache_hits_metric',
    'litellm_cache_misses_metric', 'litellm_requests_total', 'litellm_request_duration_seconds', 'litellm_cache_hits_total',
    'litellm_cache_misses_total', 'litellm_provider_latency_seconds', 'litellm_deployment_state', 'litellm_deployment_success_responses',
    'litellm_deployment_failure_responses', 'litellm_deployment_total_requests', 'litellm_deployment_cooled_down',
    'litellm_deployment_successful_fallbacks', 'litellm_deployment_failed_fallbacks', 'litellm_remaining_requests_metric',
    'litellm_remaining_tokens_metric', 'litellm_remaining_team_budget_metric', 'litellm_remaining_api_key_budget_metric',
  ];
  for (const name of contract) assert.ok(exposed(name), name);
});

test('every metric in deploy/grafana/sluice-dashboard.json exists', () => {
  const dashboard = readFileSync(new URL('../../deploy/grafana/sluice-dashboard.json', import.meta.url), 'utf8');
  const queried = new Set([...dashboard.matchAll(/\b((?:litellm|sluice)_[a-z_]+?)(?:_bucket|_count|_sum)?\b(?=[{[(])/g)].map((match) => match[1]!));
  assert.ok(queried.size >= 20, `only ${queried.size} metrics found in the dashboard`);
  for (const name of queried) assert.ok(names.has(name), `dashboard queries unknown metric ${name}`);
});

// The pure rules behind retries, waits, fallbacks, cooldowns and leases, checked one by one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import { shouldCooldown } from './cooldowns.js';
import { DeploymentState } from './deployment-state.js';
import { fallbackGroups, requestFallbacks } from './fallback-plan.js';
import { retriesFor, retryAfterMs, retryDelayMs, secondAttemptPossible } from './retry-decision.js';
import { compileFallbacks, resolveRouterSettings, type RouterSettings } from './router-settings.js';
import { QuotaBook } from './shared/quota-book.js';
import { configSchema } from '../config/schema.js';

function settings(router: Record<string, unknown> = {}): RouterSettings {
  return resolveRouterSettings(configSchema.parse({ router_settings: router }));
}

const error = (status: number, reason: GatewayError['reason'] = 'upstream', headers?: Record<string, string>) => new GatewayError({ reason, status, message: 'x', headers });

describe('defaults', () => {
  test("LiteLLM's: 2 retries, 3 allowed fails, 5 s cooldown, 5 fallbacks, no minimum wait", () => {
    const resolved = settings();
    assert.equal(resolved.numRetries, 2);
    assert.equal(resolved.allowedFails, 3);
    assert.equal(resolved.cooldownMs, 5000);
    assert.equal(resolved.maxFallbacks, 5);
    assert.equal(resolved.minRetryAfterMs, 0);
    assert.equal(resolved.strategyName, 'simple-shuffle');
  });
});

describe('retries', () => {
  test('retryable statuses get num_retries; other 4xx, context and policy errors none; retry_policy wins', () => {
    const resolved = settings({ retry_policy: { RateLimitErrorRetries: 7, BadRequestErrorRetries: 1 }, model_group_retry_policy: { g: { TimeoutErrorRetries: 4 } } });
    assert.equal(retriesFor(error(500), 'x', 2, resolved), 2);
    assert.equal(retriesFor(error(429), 'x', 2, resolved), 7);
    assert.equal(retriesFor(error(400), 'x', 2, resolved), 1);
    assert.equal(retriesFor(error(401), 'x', 2, resolved), 0);
    assert.equal(retriesFor(error(408, 'timeout'), 'x', 2, resolved), 2);
    assert.equal(retriesFor(error(408, 'timeout'), 'g', 2, resolved), 4);
    assert.equal(retriesFor(error(400, 'context_window_exceeded'), 'x', 2, settings()), 0);
  });

  test('waits: none while another deployment is free; retry-after (seconds or date) else backoff; floor and cap', () => {
    const resolved = settings({ retry_after: 0.2 });
    assert.equal(retryDelayMs(error(429), 1, true, resolved, () => 0.5), 200);
    assert.equal(retryDelayMs(error(429, 'upstream', { 'retry-after': '3' }), 1, false, resolved, () => 0.5), 3000);
    assert.equal(retryDelayMs(error(429, 'upstream', { 'retry-after': '999' }), 1, false, resolved, () => 0.5), 60_000);
    const backoff = retryDelayMs(error(429), 2, false, settings(), () => 1);
    assert.equal(backoff, 1000);
    assert.ok(Math.abs(retryAfterMs(error(429, 'upstream', { 'retry-after': new Date(Date.now() + 5000).toUTCString() }), Date.now())! - 5000) < 1500);
  });

  test('a second attempt is possible with retries, a positive retry policy or any fallback list (uploads are spooled then)', () => {
    assert.equal(secondAttemptPossible(settings()), true);
    assert.equal(secondAttemptPossible(settings({ num_retries: 0 })), false);
    assert.equal(secondAttemptPossible(settings({ num_retries: 0, retry_policy: { RateLimitErrorRetries: 0 } })), false);
    assert.equal(secondAttemptPossible(settings({ num_retries: 0, model_group_retry_policy: { g: { TimeoutErrorRetries: 1 } } })), true);
    assert.equal(secondAttemptPossible(settings({ num_retries: 0, fallbacks: [{ a: ['b'] }] })), true);
    assert.equal(secondAttemptPossible(settings({ num_retries: 0, default_fallbacks: ['d'] })), true);
  });
});

describe('fallbacks', () => {
  const resolved = settings({
    fallbacks: [{ a: ['b'] }, { '*': ['star'] }],
    context_window_fallbacks: [{ a: ['big'] }],
    content_policy_fallbacks: [{ a: ['lenient'] }],
    default_fallbacks: ['default'],
  });

  test('the list follows the error kind, then the request, the group, "*" and default_fallbacks', () => {
    assert.deepEqual(fallbackGroups('a', error(400, 'context_window_exceeded'), null, resolved), ['big']);
    assert.deepEqual(fallbackGroups('a', error(400, 'content_policy_violation'), null, resolved), ['lenient']);
    assert.deepEqual(fallbackGroups('a', error(500), null, resolved), ['b']);
    assert.deepEqual(fallbackGroups('a', error(500), ['mine'], resolved), ['mine']);
    assert.deepEqual(fallbackGroups('z', error(500), null, resolved), ['star']);
    assert.deepEqual(fallbackGroups('z', error(500), null, settings({ default_fallbacks: ['d'] })), ['d']);
    assert.deepEqual(fallbackGroups('a', error(400), null, resolved), []);
  });

  test('request fallbacks accept names and {model} objects; config lists merge', () => {
    assert.deepEqual(requestFallbacks(['x', { model: 'y' }, 3]), ['x', 'y']);
    assert.equal(requestFallbacks('x'), null);
    assert.deepEqual(compileFallbacks([{ a: ['b'] }], [{ a: ['c', 'b'] }]).get('a'), ['b', 'c']);
  });
});

describe('cooldowns', () => {
  test('429/401/404/408 cool at once; 5xx after allowed_fails; other 4xx never; single deployments never', () => {
    const resolved = settings({ allowed_fails: 1 });
    for (const status of [429, 401, 404, 408]) assert.equal(shouldCooldown(new DeploymentState('d'), error(status), resolved, 2), true, String(status));
    const state = new DeploymentState('d');
    assert.equal(shouldCooldown(state, error(500), resolved, 2), false);
    assert.equal(shouldCooldown(state, error(500), resolved, 2), true);
    assert.equal(shouldCooldown(new DeploymentState('d'), error(400), resolved, 2), false);
    assert.equal(shouldCooldown(new DeploymentState('d'), error(429), resolved, 1), false);
    assert.equal(shouldCooldown(new DeploymentState('d'), error(429), settings({ disable_cooldowns: true }), 2), false);
  });

  test('allowed_fails_policy sets the threshold per error class', () => {
    const resolved = settings({ allowed_fails_policy: { RateLimitErrorAllowedFails: 2 } });
    const state = new DeploymentState('d');
    assert.equal(shouldCooldown(state, error(429), resolved, 2), false);
    assert.equal(shouldCooldown(state, error(429), resolved, 2), false);
    assert.equal(shouldCooldown(state, error(429), resolved, 2), true);
  });
});

describe('quota book', () => {
  test('leases never exceed the limit in a minute and reset on the next one', () => {
    const book = new QuotaBook();
    assert.equal(book.lease('d', 10, 4, 6), 4);
    assert.equal(book.lease('d', 10, 4, 6), 2);
    assert.equal(book.lease('d', 10, 4, 6), 0);
    assert.equal(book.lease('d', 11, 4, 6), 4);
    assert.equal(book.lease('d', 10, 4, 6), 0);
  });

  test('sync adds tokens, in-flight deltas and latency (this minute and the last), keeps the latest cooldown', () => {
    const book = new QuotaBook();
    book.apply({ minute: 5, tokens: { d: 10 }, inFlight: { d: 2 }, cooldowns: {}, latency: { d: [300, 2] } });
    book.apply({ minute: 6, tokens: {}, inFlight: {}, cooldowns: {}, latency: { d: [100, 2] } });
    const view = book.apply({ minute: 6, tokens: { d: 5 }, inFlight: { d: -1 }, cooldowns: { d: Date.now() + 10_000 }, latency: {} });
    assert.equal(view.tokens.d, 5);
    assert.equal(view.latency.d, 100);
    assert.equal(view.inFlight.d, 1);
    assert.ok(view.cooldowns.d! > Date.now());
  });
});

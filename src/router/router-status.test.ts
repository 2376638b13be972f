// Router status for the Models screen: read from DeploymentState, merged across processes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeploymentState, currentMinute } from './deployment-state.js';
import { mergeRouterStatus, processRouterStatus } from './router-status.js';

test('one process: cooldown only while it lasts, attempts of this and the previous minute, latency samples', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 30);
  const state = new DeploymentState('d1');
  state.roll(currentMinute(now) - 1);
  state.requestsThisMinute = 4;
  state.failuresThisMinute = 1;
  state.roll(currentMinute(now));
  state.requestsThisMinute = 6;
  state.failuresThisMinute = 1;
  for (const ms of [10, 30, 20]) state.recordLatency(ms);
  state.cooldownUntil = now + 5_000;
  const cooling = new DeploymentState('d2');
  cooling.cooldownUntil = now - 1;
  const status = processRouterStatus([state, cooling], { report: { healthy_endpoints: [], unhealthy_endpoints: [{ model: 'm', model_name: 'g', model_id: 'd1', api_base: null, error: 'boom' }], healthy_count: 0, unhealthy_count: 1 }, at: now - 60_000 }, now);
  assert.deepEqual(status.deployments[0], { id: 'd1', cooldownUntil: now + 5_000, inFlight: 0, requests: 10, failures: 2, latencyMs: [10, 30, 20] });
  assert.equal(status.deployments[1]!.cooldownUntil, 0, 'an ended cooldown is not reported');
  assert.deepEqual(status.health, [{ id: 'd1', healthy: false, error: 'boom', checkedAt: now - 60_000 }]);
});

test('a gap of more than a minute forgets the old counts', () => {
  const state = new DeploymentState('d1');
  state.roll(100);
  state.requestsThisMinute = 5;
  state.roll(102);
  assert.equal(state.requestsLastMinute, 0);
});

test('the latency window keeps the last ten samples, oldest first', () => {
  const state = new DeploymentState('d1');
  for (let ms = 1; ms <= 12; ms++) state.recordLatency(ms);
  assert.deepEqual(state.latencySamples(), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

test('merging workers: counts add up, latest cooldown and newest health check win, p50 over every sample', () => {
  const views = mergeRouterStatus([
    { pid: 1, deployments: [{ id: 'd1', cooldownUntil: 0, inFlight: 1, requests: 10, failures: 1, latencyMs: [10, 20] }], health: [{ id: 'd1', healthy: true, error: null, checkedAt: 1_000 }] },
    { pid: 2, deployments: [{ id: 'd1', cooldownUntil: 5_000, inFlight: 2, requests: 10, failures: 3, latencyMs: [30, 40, 50] }], health: [{ id: 'd1', healthy: false, error: 'down', checkedAt: 2_000 }] },
  ]);
  assert.deepEqual(views.get('d1'), {
    health: 'unhealthy', health_error: 'down', health_checked_at: new Date(2_000).toISOString(), cooldown_until: new Date(5_000).toISOString(),
    in_flight: 3, requests: 20, failures: 4, error_rate: 0.2, latency_p50_ms: 30, processes: 2,
  });
});

test('no traffic and no health check: unknowns, not zeros', () => {
  const view = mergeRouterStatus([{ pid: 1, deployments: [{ id: 'd1', cooldownUntil: 0, inFlight: 0, requests: 0, failures: 0, latencyMs: [] }], health: [] }]).get('d1')!;
  assert.equal(view.health, 'unknown');
  assert.equal(view.error_rate, null);
  assert.equal(view.latency_p50_ms, null);
  assert.equal(view.cooldown_until, null);
});

// The series cache returns one bound series per label tuple, and new series when a label the lookup does not key on
// (key alias, team, user) or a deployment's labels change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { Deployment } from '../config/deployment.js';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { createMetricSet } from './metric-set.js';
import { SeriesCache } from './series-cache.js';

function deployment(apiBase: string): Deployment {
  return { id: 'dep-1', modelGroup: 'group-a', provider: 'openai', upstreamModel: 'gpt-4o-mini', apiBase } as unknown as Deployment;
}

/** Strings built at run time, as a parsed request body gives them: equal content, a new string object each call. */
function fresh(text: string): string {
  return [...text].join('');
}

function outcome(dep: Deployment | null, fields: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    callId: 'call', operation: 'chat', requestedModel: fresh('group-a'), modelGroup: 'group-a', deployment: dep, status: 200, error: null, stream: false,
    startedAt: 0, endedAt: 1, upstreamMs: 0.5, timeToFirstTokenMs: 0, usage: null, clientDisconnected: false, ...fields,
  } as RequestOutcome;
}

function setup(limit = 100): { cache: SeriesCache; registry: Registry } {
  const registry = new Registry();
  return { cache: new SeriesCache(createMetricSet(registry), limit), registry };
}

const keyed = { apiKeyHash: 'a'.repeat(64), keyAlias: 'alias-1', team: 'team-1', teamAlias: 'Team One', user: 'user-1' };

test('one series per label tuple, found again from equal strings', () => {
  const { cache } = setup();
  const dep = deployment('http://a/v1');
  const first = cache.seriesFor(outcome(dep, { ...keyed, endUser: fresh('end-1') }), fresh('group-a'));
  const again = cache.seriesFor(outcome(dep, { ...keyed, keyAlias: fresh('alias-1'), endUser: fresh('end-1') }), fresh('group-a'));
  assert.equal(again, first, 'equal labels give the cached series');
  const otherEndUser = cache.seriesFor(outcome(dep, { ...keyed, endUser: 'end-2' }), 'group-a');
  assert.notEqual(otherEndUser, first, 'another end user is another series');
  const otherModel = cache.seriesFor(outcome(dep, { ...keyed, endUser: 'end-1' }), 'group-b');
  assert.notEqual(otherModel, first, 'another requested model is another series');
  const anonymous = cache.seriesFor(outcome(dep), 'group-a');
  assert.equal(cache.seriesFor(outcome(dep), 'group-a'), anonymous, 'an anonymous request finds its series again');
  assert.deepEqual({ ...anonymous.caller }, { endUser: '', apiKeyHash: '', keyAlias: '', team: '', teamAlias: '', user: '' }, 'anonymous labels are empty');
  assert.equal(cache.seriesFor(outcome(null), 'group-a') === anonymous, false, 'no deployment is its own series');
});

test('a key whose alias or team changed gets series with the new labels', async () => {
  const { cache, registry } = setup();
  const dep = deployment('http://a/v1');
  const before = cache.seriesFor(outcome(dep, keyed), 'group-a');
  before.requestsMetric.inc();
  const renamed = cache.seriesFor(outcome(dep, { ...keyed, keyAlias: 'alias-2' }), 'group-a');
  assert.notEqual(renamed, before, 'a changed alias binds a new series');
  assert.equal(renamed.caller.keyAlias, 'alias-2', 'the new series carries the new alias');
  renamed.requestsMetric.inc();
  assert.equal(cache.seriesFor(outcome(dep, { ...keyed, keyAlias: 'alias-2' }), 'group-a'), renamed, 'the renamed key keeps its new series');
  const moved = cache.seriesFor(outcome(dep, { ...keyed, keyAlias: 'alias-2', team: 'team-2' }), 'group-a');
  assert.notEqual(moved, renamed, 'a changed team binds a new series');
  const text = await registry.getSingleMetricAsString('litellm_requests_metric_total');
  assert.match(text, /api_key_alias="alias-1"[^\n]*\} 1/, 'the old alias keeps its count');
  assert.match(text, /api_key_alias="alias-2"[^\n]*\} 1/, 'the new alias has its own count');
});

test('a reloaded deployment (a new object) gets series with its new labels', async () => {
  const { cache, registry } = setup();
  const old = cache.seriesFor(outcome(deployment('http://old/v1'), keyed), 'group-a');
  const reloaded = cache.seriesFor(outcome(deployment('http://new/v1'), keyed), 'group-a');
  assert.notEqual(reloaded, old, 'a new deployment object binds a new series');
  reloaded.overhead!.observe(0.001);
  const text = await registry.getSingleMetricAsString('litellm_overhead_latency_metric');
  assert.match(text, /api_base="http:\/\/new\/v1"/, 'the new series carries the new api_base');
});

test('past its limit the cache restarts and still answers every tuple', async () => {
  const { cache, registry } = setup(2);
  const dep = deployment('http://a/v1');
  const seen = ['end-1', 'end-2', 'end-3', 'end-1'].map((endUser) => {
    const series = cache.seriesFor(outcome(dep, { ...keyed, endUser }), 'group-a');
    series.requestsMetric.inc();
    return series;
  });
  assert.equal(seen[0]!.caller.endUser, 'end-1', 'first series labels');
  assert.equal(seen[3]!.caller.endUser, 'end-1', 'a tuple bound again after a restart has the same labels');
  const text = await registry.getSingleMetricAsString('litellm_requests_metric_total');
  assert.match(text, /end_user="end-1"[^\n]*\} 2/, 'counts of a re-bound tuple add up in one series');
  assert.match(text, /end_user="end-3"[^\n]*\} 1/, 'the tuple that overflowed the cache is counted');
});

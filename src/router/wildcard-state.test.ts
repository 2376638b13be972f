// Distinct model names sent through a wildcard must not grow the router's live state without bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfigObject } from '../config/load-config.js';
import { MAX_CACHED_WILDCARD_GROUPS, ModelResolver } from '../config/model-resolver.js';
import { buildSnapshot } from '../config/snapshot.js';
import { Router } from './router.js';

const config = {
  model_list: [
    { model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_base: 'http://127.0.0.1:9/v1', api_key: 'k' } },
    { model_name: 'openai/*', litellm_params: { model: 'openai/*', api_base: 'http://127.0.0.1:9/v1', api_key: 'k' } },
  ],
};

test('wildcard deployments state is dropped when the resolver empties its cache; configured and busy ones stay', () => {
  const snapshot = buildSnapshot(validateConfigObject(config, {}).config, {});
  const router = new Router(snapshot, { shared: null });
  const resolver = new ModelResolver(snapshot, () => router.forgetIdleDynamicStates());
  const configured = router.routed(snapshot.groups.get('gpt-4o')!.deployments[0]!);
  const busy = router.routed(resolver.resolve('openai/busy-model')!.deployments[0]!);
  busy.state.inFlight = 1;
  for (let index = 0; index < MAX_CACHED_WILDCARD_GROUPS - 1; index++) router.routed(resolver.resolve(`openai/model-${index}`)!.deployments[0]!);
  assert.equal(router.states.size, MAX_CACHED_WILDCARD_GROUPS + 1, 'one state per distinct wildcard model, plus the configured one');
  router.routed(resolver.resolve('openai/one-more')!.deployments[0]!);
  assert.ok(router.states.holds(configured.state), 'the configured deployment keeps its state');
  assert.ok(router.states.holds(busy.state), 'a deployment with a request in flight keeps its state');
  assert.ok(router.states.size <= 3, `idle wildcard states were dropped (${router.states.size} left)`);
});

test('a reload forgets the idle state of deployments it removed', () => {
  const snapshot = buildSnapshot(validateConfigObject(config, {}).config, {});
  const router = new Router(snapshot, { shared: null });
  const removed = router.routed(snapshot.groups.get('gpt-4o')!.deployments[0]!);
  router.reload(buildSnapshot(validateConfigObject({ model_list: [config.model_list[1]] }, {}).config, {}));
  assert.equal(router.states.holds(removed.state), false);
});

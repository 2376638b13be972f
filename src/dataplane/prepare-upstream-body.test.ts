// The provider's body: gateway-only fields out (checked key by key), defaults in, the model swapped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment } from '../config/deployment.js';
import type { JsonObject } from '../core/json.js';
import { GATEWAY_ONLY_FIELDS, prepareUpstreamBody } from './prepare-upstream-body.js';

const deployment = { dropParams: false, defaultParams: { temperature: 0.5 }, upstreamModel: 'gpt-4o-mini', unsupportedParams: [], provider: 'openai' } as unknown as Deployment;
const limits = { dropParams: false, maxTokensCap: null };

test('prepareUpstreamBody removes exactly the gateway-only fields, whatever else the body holds', () => {
  for (let round = 0; round < 200; round++) {
    const body: JsonObject = { model: 'alias', messages: [] };
    for (const field of GATEWAY_ONLY_FIELDS) if (Math.random() < 0.3) body[field] = 'x';
    for (const field of ['user', 'seed', 'toString', 'constructor', 'stream']) if (Math.random() < 0.5) body[field] = 1;
    const expected: JsonObject = { ...body };
    for (const field of GATEWAY_ONLY_FIELDS) delete expected[field];
    expected.temperature ??= 0.5;
    expected.model = 'gpt-4o-mini';
    assert.deepEqual(prepareUpstreamBody(body, deployment, limits), expected, `round ${round}: gateway-only fields removed, others kept`);
  }
});

test('prepareUpstreamBody keeps a client value over a deployment default', () => {
  const body = prepareUpstreamBody({ model: 'alias', messages: [], temperature: 0 }, deployment, limits);
  assert.equal(body.temperature, 0, 'the client value wins');
});

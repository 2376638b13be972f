import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RouteTable } from '../../dataplane/routes.js';
import { matchPassThrough } from './prefixes.js';

test('each provider prefix matches itself and what follows, nothing else', () => {
  assert.equal(matchPassThrough('/anthropic/v1/messages')?.route.passThrough?.id, 'anthropic');
  assert.equal(matchPassThrough('/anthropic')?.route.passThrough?.id, 'anthropic');
  assert.equal(matchPassThrough('/vertex_ai/v1/projects/p')?.route.passThrough?.id, 'vertex_ai');
  assert.equal(matchPassThrough('/anthropicx/v1'), null);
  assert.equal(matchPassThrough('/openai/deployments/x/images/generations'), null);
});

test('the route table keeps exact routes and the Azure chat route ahead of pass-through', () => {
  const routes = new RouteTable('all');
  assert.equal(routes.match('/openai/deployments/gpt/chat/completions')?.model, 'gpt');
  assert.equal(routes.match('/openai/v1/chat/completions')?.route.kind, 'passthrough');
  assert.equal(routes.match('/v1/messages')?.route.inbound?.name, 'anthropic-messages');
  assert.equal(routes.match('/messages/count_tokens')?.route.inbound?.name, 'anthropic-count-tokens');
  assert.equal(routes.match('/responses')?.route.inbound?.name, 'openai-responses');
  assert.equal(new RouteTable('control').match('/anthropic/v1/messages'), null);
});

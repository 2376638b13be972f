// The data plane relays the paths in MANAGEMENT_PATHS; the control plane serves managementRoutes(): the same set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlPlanePaths } from './control-paths.js';
import { MANAGEMENT_PATHS } from './management-paths.js';
import { managementRoutes } from './management-routes.js';

test('MANAGEMENT_PATHS lists exactly the routes the management API serves', () => {
  const served = [...managementRoutes().keys()].sort();
  assert.deepEqual([...MANAGEMENT_PATHS].sort(), served, 'add a new route to management-paths.ts too');
  assert.equal(new Set(MANAGEMENT_PATHS).size, MANAGEMENT_PATHS.length, 'no path listed twice');
  const relayed = controlPlanePaths();
  for (const path of served) assert.ok(relayed(path), `${path} is relayed to the control plane`);
  assert.ok(relayed('/key/sk-abc/regenerate') && relayed('/ui/') && !relayed('/v1/chat/completions'), 'path-parameter and UI paths too, never LLM routes');
});

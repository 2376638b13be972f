// `/health/readiness` reports its registered probes (database, Redis, …) and answers 503 when a required one fails.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { registerReadinessProbe } from '../../src/health/readiness-probes.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';

let gateway: RunningGateway;

before(async () => {
  gateway = await startGateway({ model_list: [{ model_name: 'm', litellm_params: { model: 'openai/gpt-4o', mock_response: 'hi' } }] });
});

after(async () => {
  await gateway?.close();
});

async function readiness(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/health/readiness`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('no probes: healthy, db not connected, no cache', async () => {
  const { status, body } = await readiness();
  assert.equal(status, 200);
  assert.equal(body.status, 'healthy');
  assert.equal(body.db, 'Not connected');
  assert.equal(body.cache, null);
  assert.equal(typeof body.litellm_version, 'string');
});

test('probes fill db and cache; a failing required probe answers 503', async () => {
  const removeDb = registerReadinessProbe('db', () => ({ ok: true, status: 'connected' }));
  const removeCache = registerReadinessProbe('cache', async () => ({ ok: false, status: 'redis: ECONNREFUSED' }));
  try {
    let { status, body } = await readiness();
    assert.equal(status, 503);
    assert.equal(body.status, 'unhealthy');
    assert.equal(body.db, 'connected');
    assert.equal(body.cache, 'redis: ECONNREFUSED');
    removeCache();
    registerReadinessProbe('cache', () => ({ ok: false, status: 'redis (degraded)' }), { required: false });
    ({ status, body } = await readiness());
    assert.equal(status, 200);
    assert.equal(body.cache, 'redis (degraded)');
  } finally {
    removeDb();
  }
});

test('a probe that hangs times out instead of hanging the route', async () => {
  const remove = registerReadinessProbe('db', () => new Promise(() => {}), { timeoutMs: 100 });
  try {
    const { status, body } = await readiness();
    assert.equal(status, 503);
    assert.match(String(body.db), /timed out/);
  } finally {
    remove();
  }
});

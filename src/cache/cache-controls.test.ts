// Per-request controls from the body's `cache` object and the Cache-Control header, and the allowed list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import { allowedCacheControlsOf, readCacheControls } from './cache-controls.js';

test('body cache object', () => {
  const controls = readCacheControls({ cache: { ttl: 30, 's-maxage': 10, 'no-cache': true, 'no-store': false, namespace: 'ns1', 'use-cache': true } }, undefined, null);
  assert.deepEqual(controls, { noCache: true, noStore: false, useCache: true, ttlSeconds: 30, sMaxAgeSeconds: 10, namespace: 'ns1' });
});

test('Cache-Control header; the body wins where both set a value', () => {
  const controls = readCacheControls({ cache: { ttl: 5 } }, 'No-Cache, no-store, max-age=60, s-maxage=20', null);
  assert.deepEqual(controls, { noCache: true, noStore: true, useCache: false, ttlSeconds: 5, sMaxAgeSeconds: 20, namespace: null });
});

test('metadata.redis_namespace selects a namespace', () => {
  assert.equal(readCacheControls({ metadata: { redis_namespace: 'r' } }, undefined, null).namespace, 'r');
});

test('a control outside allowed_cache_controls is refused with 403 (empty list: all allowed)', () => {
  assert.equal(allowedCacheControlsOf([]), null);
  assert.equal(allowedCacheControlsOf(undefined), null);
  const allowed = allowedCacheControlsOf(['no-cache'])!;
  assert.equal(readCacheControls({ cache: { 'no-cache': true } }, undefined, allowed).noCache, true);
  assert.throws(
    () => readCacheControls({ cache: { ttl: 1 } }, undefined, allowed),
    (error: unknown) => error instanceof GatewayError && error.status === 403 && /Not allowed to set ttl as a cache control/.test(error.message),
  );
  assert.throws(() => readCacheControls({}, 'no-store', allowed), GatewayError);
});

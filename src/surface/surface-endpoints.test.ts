import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SurfaceRoutes } from './surface-endpoints.js';

const routes = new SurfaceRoutes();

function name(method: string, path: string): string | null {
  const found = routes.match(method, path);
  if (found === null) return null;
  return 'allowed' in found ? `405 ${found.allowed}` : `${found.endpoint.name}${found.id === '' ? '' : ` ${found.id}`}`;
}

test('fixed paths, with and without /v1, and /v2/rerank', () => {
  assert.equal(name('POST', '/v1/images/generations'), 'image_generation');
  assert.equal(name('POST', '/audio/transcriptions'), 'audio_transcription');
  assert.equal(name('POST', '/v2/rerank'), 'rerank');
  assert.equal(name('POST', '/v1/files'), 'file_upload');
  assert.equal(name('GET', '/v1/files'), 'file_list');
  assert.equal(name('GET', '/v1/batches'), 'batch_list');
  assert.equal(name('GET', '/v1/moderations'), '405 POST');
  assert.equal(name('PUT', '/v1/files'), '405 POST, GET');
  assert.equal(name('POST', '/v1/chat/completions'), null);
});

test('object routes carry the id; odd ids and methods are refused', () => {
  assert.equal(name('GET', '/v1/files/file-abc'), 'file_retrieve file-abc');
  assert.equal(name('DELETE', '/files/file-abc'), 'file_delete file-abc');
  assert.equal(name('GET', '/v1/files/file-abc/content'), 'file_content file-abc');
  assert.equal(name('GET', '/v1/batches/batch_1'), 'batch_retrieve batch_1');
  assert.equal(name('POST', '/v1/batches/batch_1/cancel'), 'batch_cancel batch_1');
  assert.equal(name('DELETE', '/v1/batches/batch_1'), '405 GET');
  assert.equal(name('GET', '/v1/files/../secrets'), null);
  assert.equal(name('GET', '/v1/files/a%2Fb'), null);
});

// Provider pass-through routes: gateway auth enforced, provider credentials injected, bodies and streams unchanged.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { validateConfigObject } from '../../src/config/load-config.js';
import type { AccessControl, AccessGrant } from '../../src/dataplane/access-control.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { expectError, postJson } from '../support/http.js';
import { lastUpstreamRequest, startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let gateway: RunningGateway;
const MASTER = { authorization: 'Bearer sk-master' };

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(OPENAI|ANTHROPIC|GEMINI|GOOGLE|AZURE|AWS|COHERE|CO_|MISTRAL|VERTEX)/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

before(async () => {
  mock = await startMockServer();
  gateway = await startGateway(
    {
      model_list: [
        { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } },
        { model_name: 'claude', litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_base: mock.url, api_key: 'sk-ant-upstream' } },
        // A static access token as api_key; with vertex_credentials the adapter's OAuth token source is borrowed the same way.
        { model_name: 'vertex', litellm_params: { model: 'vertex_ai/gemini-2.5-flash', api_base: mock.url, api_key: 'ya29.upstream', vertex_project: 'proj', vertex_location: 'us-central1' } },
      ],
      general_settings: { master_key: 'sk-master' },
    },
    {},
    cleanEnv({
      GEMINI_API_KEY: 'g-upstream',
      GEMINI_API_BASE: mock.url,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'us-east-1',
      AWS_BEDROCK_RUNTIME_ENDPOINT: mock.url,
    }),
  );
});

after(async () => {
  await gateway?.close();
  await mock?.close();
});

describe('/openai/*', () => {
  test('the official client with base URL …/openai/v1: body unchanged, provider key injected', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/openai/v1`, apiKey: 'sk-master', maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] });
    assert.match(completion.choices[0]!.message.content!, /^Mock response to: Say hello/);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/chat/completions');
    assert.equal(upstream.headers.authorization, 'Bearer sk-upstream');
    assert.deepEqual(upstream.body, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] }, 'no model mapping, no field changes');
  });

  test('streams are piped', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/openai/v1`, apiKey: 'sk-master', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Stream please' }] });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.ok(chunks > 2);
    assert.match(text, /^Mock response to: Stream please/);
  });

  test('any method; the query string is kept', async () => {
    const response = await fetch(`${gateway.url}/openai/v1/models?limit=2`, { headers: MASTER });
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(((await response.json()) as { data: unknown[] }).data));
    assert.equal((await lastUpstreamRequest(mock)).path, '/v1/models?limit=2');
  });

  test('the upstream status and body come back unchanged', async () => {
    const response = await postJson(`${gateway.url}/openai/mock/status=429,retry_after=2/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] }, MASTER);
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '2');
    const body = (await response.json()) as { error: { message: string } };
    assert.equal(typeof body.error.message, 'string');
  });

  test('/openai/deployments/… is still the Azure-style chat route', async () => {
    const response = await postJson(`${gateway.url}/openai/deployments/gpt/chat/completions`, { messages: [{ role: 'user', content: 'hi' }] }, MASTER);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-litellm-model-group'), 'gpt');
    assert.equal(((await lastUpstreamRequest(mock)).body as { model: string }).model, 'gpt-4o');
  });
});

describe('/anthropic/*', () => {
  test('the official Anthropic SDK: x-api-key replaced by the deployment key, version header kept', async () => {
    const client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'sk-master', maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Say hello' }] });
    assert.equal(message.model, 'claude-haiku-4-5');
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.path, '/v1/messages');
    assert.equal(upstream.headers['x-api-key'], 'sk-ant-upstream');
    assert.match(String(upstream.headers['anthropic-version']), /^\d{4}-\d{2}-\d{2}$/, "the client's version is kept");
    const final = await client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Stream please' }] }).finalMessage();
    assert.equal(final.stop_reason, 'end_turn');
  });
});

describe('/gemini/* and /bedrock/*', () => {
  test('gemini: x-goog-api-key from GEMINI_API_KEY; SSE streaming with ?alt=sse', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] };
    const response = await postJson(`${gateway.url}/gemini/v1beta/models/gemini-2.5-flash:generateContent`, body, { 'x-goog-api-key': 'sk-master' });
    assert.equal(response.status, 200);
    assert.ok(((await response.json()) as { candidates: unknown[] }).candidates.length > 0);
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.headers['x-goog-api-key'], 'g-upstream');
    assert.deepEqual(upstream.body, body);
    const streamed = await postJson(`${gateway.url}/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, body, MASTER);
    assert.equal(streamed.status, 200);
    assert.match(await streamed.text(), /^data: /m);
  });

  test('bedrock: re-signed with SigV4, body unchanged', async () => {
    const body = { messages: [{ role: 'user', content: [{ text: 'Say hello' }] }] };
    const response = await postJson(`${gateway.url}/bedrock/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse`, body, { ...MASTER, 'x-amz-security-token': 'stale-client-token' });
    assert.equal(response.status, 200, await response.clone().text());
    const upstream = await lastUpstreamRequest(mock);
    assert.match(String(upstream.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
    assert.ok(upstream.headers['x-amz-date']);
    assert.equal(upstream.headers['x-amz-security-token'], undefined, "the client's signing headers are dropped");
    assert.deepEqual(upstream.body, body);
  });
});

describe('/vertex_ai/*', () => {
  test("the vertex_ai deployment's credentials are borrowed", async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] };
    const response = await postJson(`${gateway.url}/vertex_ai/v1/projects/proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`, body, MASTER);
    assert.equal(response.status, 200, await response.clone().text());
    const upstream = await lastUpstreamRequest(mock);
    assert.equal(upstream.headers.authorization, 'Bearer ya29.upstream');
    assert.match(upstream.path, /^\/v1\/projects\/proj\/locations\/us-central1\/publishers\/google\/models\/gemini-2\.5-flash:generateContent/);
    assert.deepEqual(upstream.body, body);
  });
});

describe('pass-through auth and configuration', () => {
  test('gateway auth is enforced on every prefix', async () => {
    await expectError(await postJson(`${gateway.url}/openai/v1/chat/completions`, {}), 401, 'auth_error');
    await expectError(await postJson(`${gateway.url}/anthropic/v1/messages`, {}, { 'x-api-key': 'wrong' }), 401, 'auth_error');
    await expectError(await fetch(`${gateway.url}/gemini/v1beta/models`), 401, 'auth_error');
  });

  test('a provider with nothing configured → 404 saying what to configure', async () => {
    const error = await expectError(await postJson(`${gateway.url}/azure/openai/deployments/x/chat/completions`, {}, MASTER), 404, 'invalid_request_error');
    assert.match(error.message, /AZURE_API_BASE/);
    const cohere = await expectError(await postJson(`${gateway.url}/cohere/v2/chat`, {}, MASTER), 404, 'invalid_request_error');
    assert.match(cohere.message, /COHERE_API_KEY/);
  });
});

describe('config reload', () => {
  test('pass-through targets follow the new snapshot', async () => {
    const env = cleanEnv({});
    const other = await startGateway({ model_list: [] }, {}, env);
    try {
      await expectError(await postJson(`${other.url}/openai/v1/chat/completions`, {}), 404, 'invalid_request_error');
      const next = { model_list: [{ model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-reloaded' } }] };
      other.gateway.reload(buildSnapshot(validateConfigObject(next, env).config, env));
      const response = await postJson(`${other.url}/openai/v1/chat/completions`, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(response.status, 200);
      assert.equal((await lastUpstreamRequest(mock)).headers.authorization, 'Bearer sk-reloaded');
    } finally {
      await other.close();
    }
  });
});

/** Sends `total` bytes in 1 KB chunks without content-length (chunked transfer encoding). */
function chunkedPost(url: string, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-master' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const piece = Buffer.alloc(1024, 0x20);
    for (let sent = 0; sent < total; sent += piece.length) req.write(piece);
    req.end();
  });
}

describe('request size limit', () => {
  test('declared and chunked uploads above max_request_size_mb → 413; below it they stream through', async () => {
    const small = await startGateway(
      { model_list: [{ model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } }], general_settings: { master_key: 'sk-master', max_request_size_mb: 0.01 } },
      {},
      cleanEnv({}),
    );
    try {
      await expectError(await postJson(`${small.url}/openai/v1/chat/completions`, ' '.repeat(20_000), MASTER), 413, 'invalid_request_error');
      const chunked = await chunkedPost(`${small.url}/openai/v1/embeddings`, 40 * 1024);
      assert.equal(chunked.status, 413, chunked.body);
      assert.match(chunked.body, /max_request_size_mb/);
      const fine = await chunkedPost(`${small.url}/openai/v1/models`, 0);
      assert.notEqual(fine.status, 413);
    } finally {
      await small.close();
    }
  });
});

describe('virtual keys', () => {
  test('pass-through takes the master key only, even where the data plane admits other keys', async () => {
    // Admits every key, as a virtual key (or one still being looked up) would be on the LLM routes.
    const grant: AccessGrant = { admit: () => null, addHeaders: () => undefined, describe: () => undefined, cacheScope: () => '' };
    const access: AccessControl = { authenticate: () => grant, databaseStatus: () => 'connected' };
    const governed = await startGateway(
      { model_list: [{ model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'sk-upstream' } }], general_settings: { master_key: 'sk-master' } },
      { access },
      cleanEnv({}),
    );
    try {
      const body = { model: 'gpt', messages: [{ role: 'user', content: 'hi' }] };
      assert.equal((await postJson(`${governed.url}/v1/chat/completions`, body, { authorization: 'Bearer sk-virtual' })).status, 200);
      await expectError(await postJson(`${governed.url}/openai/v1/chat/completions`, body, { authorization: 'Bearer sk-virtual' }), 401, 'auth_error');
      assert.equal((await postJson(`${governed.url}/openai/v1/chat/completions`, body, MASTER)).status, 200);
    } finally {
      await governed.close();
    }
  });
});

// Every error of the core gateway in the contract's exact status and body shape (CONTRACT.md "Errors").
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { freePort, startGateway, type RunningGateway } from '../support/gateway.js';
import { expectError, postJson } from '../support/http.js';
import { startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let open: RunningGateway;
let secured: RunningGateway;
let deadPort: number;
const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });

before(async () => {
  mock = await startMockServer();
  deadPort = await freePort();
  const modelList = [
    { model_name: 'ok', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'k' } },
    { model_name: 'limited', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/status=429,retry_after=7/v1`, api_key: 'k' } },
    { model_name: 'broken', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/status=503/v1`, api_key: 'k' } },
    { model_name: 'too-long', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/context_window=1/v1`, api_key: 'k' } },
    { model_name: 'down', litellm_params: { model: 'openai/gpt-4o', api_base: `http://127.0.0.1:${deadPort}/v1`, api_key: 'k' } },
    { model_name: 'slow', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/hang=1/v1`, api_key: 'k', timeout: 0.3 } },
    { model_name: 'drops', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/drop_after=2/v1`, api_key: 'k' } },
    { model_name: 'fussy', litellm_params: { model: 'groq/llama-3.3-70b-versatile', api_base: `${mock.url}/v1`, api_key: 'k' } },
  ];
  // No retries here: these tests check each error's shape; retries and their waits are tested in router.test.ts.
  open = await startGateway({ model_list: modelList, general_settings: { max_request_size_mb: 0.01 }, litellm_settings: { max_tokens: 1000 }, router_settings: { num_retries: 0 } });
  secured = await startGateway({ model_list: modelList, general_settings: { master_key: 'sk-master-123' } });
});

after(async () => {
  await open?.close();
  await secured?.close();
  await mock?.close();
});

describe('bad requests', () => {
  test('malformed JSON → 400', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, '{"model": "ok", '), 400, 'invalid_request_error', null);
  });

  test('a body that is not an object → 400', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, '[1,2]'), 400, 'invalid_request_error');
  });

  test('missing messages / input / prompt name the field', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { model: 'ok' }), 400, 'invalid_request_error', 'messages');
    await expectError(await postJson(`${open.url}/v1/embeddings`, { model: 'ok' }), 400, 'invalid_request_error', 'input');
    await expectError(await postJson(`${open.url}/v1/completions`, { model: 'ok' }), 400, 'invalid_request_error', 'prompt');
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }] }), 400, 'invalid_request_error', 'model');
  });

  test('wrong types name the field', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { ...chat('ok'), messages: 'hi' }), 400, 'invalid_request_error', 'messages');
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { ...chat('ok'), temperature: 'hot' }), 400, 'invalid_request_error', 'temperature');
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { ...chat('ok'), stream: 'yes' }), 400, 'invalid_request_error', 'stream');
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { model: 'ok', messages: [{ content: 'x' }] }), 400, 'invalid_request_error', 'messages[0].role');
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { model: 'ok', messages: [{ role: 'wizard', content: 'x' }] }), 400, 'invalid_request_error', 'messages[0].role');
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { ...chat('ok'), max_tokens: 0 }), 400, 'invalid_request_error', 'max_tokens');
  });

  test('unknown model → 400 with param model', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, chat('gpt-17')), 400, 'invalid_request_error', 'model');
  });

  test('body over max_request_size_mb → 413, declared or streamed', async () => {
    const big = { ...chat('ok'), messages: [{ role: 'user', content: 'x'.repeat(20_000) }] };
    await expectError(await postJson(`${open.url}/v1/chat/completions`, big), 413, 'invalid_request_error');
    // Chunked upload without content-length: the limit is enforced while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${open.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let index = 0; index < 20; index++) req.write('x'.repeat(1000));
      req.end();
    });
    assert.equal(status, 413);
  });

  test('parameters the provider rejects → 400 naming them, unless drop_params', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { ...chat('fussy'), logit_bias: { '50256': -100 } }), 400, 'invalid_request_error', 'logit_bias');
    const dropped = await postJson(`${open.url}/v1/chat/completions`, { ...chat('fussy'), logit_bias: { '50256': -100 }, drop_params: true });
    assert.equal(dropped.status, 200);
    const upstream = (await (await fetch(`${mock.url}/mock/last`)).json()) as { body: Record<string, unknown> };
    assert.equal(upstream.body.logit_bias, undefined);
    assert.equal(upstream.body.drop_params, undefined);
  });

  test('max_tokens above litellm_settings.max_tokens → 400; absent → the cap is sent', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { ...chat('ok'), max_tokens: 5000 }), 400, 'invalid_request_error', 'max_tokens');
    assert.equal((await postJson(`${open.url}/v1/chat/completions`, chat('ok'))).status, 200);
    const upstream = (await (await fetch(`${mock.url}/mock/last`)).json()) as { body: Record<string, unknown> };
    assert.equal(upstream.body.max_tokens, 1000);
  });

  test('unknown route → 404, wrong method → 405, both in the error shape', async () => {
    await expectError(await fetch(`${open.url}/v1/nothing-here`), 404, 'invalid_request_error');
    await expectError(await fetch(`${open.url}/v1/chat/completions`), 405, 'invalid_request_error');
  });
});

describe('authentication', () => {
  test('no key or a wrong key → 401 auth_error', async () => {
    await expectError(await postJson(`${secured.url}/v1/chat/completions`, chat('ok')), 401, 'auth_error');
    await expectError(await postJson(`${secured.url}/v1/chat/completions`, chat('ok'), { authorization: 'Bearer sk-wrong' }), 401, 'auth_error');
    await expectError(await postJson(`${secured.url}/v1/chat/completions`, chat('ok'), { authorization: 'Bearer sk-master-12' }), 401, 'auth_error');
    await expectError(await fetch(`${secured.url}/v1/models`), 401, 'auth_error');
  });

  test('the master key is accepted from every header LiteLLM reads', async () => {
    const variants: Array<Record<string, string>> = [{ authorization: 'Bearer sk-master-123' }, { 'x-api-key': 'sk-master-123' }, { 'api-key': 'sk-master-123' }, { 'x-goog-api-key': 'sk-master-123' }, { 'x-litellm-api-key': 'sk-master-123' }];
    for (const header of variants) {
      const response = await postJson(`${secured.url}/v1/chat/completions`, chat('ok'), header);
      assert.equal(response.status, 200, JSON.stringify(header));
    }
  });

  test('the official client works with the master key; health stays public', async () => {
    const client = new OpenAI({ baseURL: `${secured.url}/v1`, apiKey: 'sk-master-123', maxRetries: 0 });
    const result = await client.chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'secured' }] });
    assert.match(result.choices[0]!.message.content!, /secured/);
    assert.equal((await fetch(`${secured.url}/health/liveliness`)).status, 200);
  });

  test('with no master key the data plane is open', async () => {
    assert.equal((await postJson(`${open.url}/v1/chat/completions`, chat('ok'))).status, 200);
  });
});

describe('upstream failures', () => {
  test('upstream error keeps its status, message and retry-after', async () => {
    const response = await postJson(`${open.url}/v1/chat/completions`, chat('limited'));
    assert.equal(response.headers.get('retry-after'), '7');
    const error = await expectError(response, 429, 'rate_limit_error');
    assert.match(error.message, /rate limit/i);
    // Other upstream types are kept as the provider sent them (OpenAI's own 5xx type is server_error).
    await expectError(await postJson(`${open.url}/v1/chat/completions`, chat('broken')), 503, 'server_error');
  });

  test('context-window errors arrive as 400 with the provider message', async () => {
    const error = await expectError(await postJson(`${open.url}/v1/chat/completions`, chat('too-long')), 400, 'invalid_request_error');
    assert.match(error.message, /context/i);
  });

  test('unreachable upstream → 502 api_connection_error', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, chat('down')), 502, 'api_connection_error');
  });

  test('upstream timeout → 408 timeout with x-litellm-timeout', async () => {
    const response = await postJson(`${open.url}/v1/chat/completions`, chat('slow'));
    assert.equal(response.headers.get('x-litellm-timeout'), '0.3');
    await expectError(response, 408, 'timeout');
  });

  test('a stream that fails before its first byte answers with the JSON error and status', async () => {
    await expectError(await postJson(`${open.url}/v1/chat/completions`, { ...chat('broken'), stream: true }), 503, 'server_error');
  });

  test('a stream cut after its first bytes ends with one error event', async () => {
    const response = await postJson(`${open.url}/v1/chat/completions`, { ...chat('drops'), stream: true });
    assert.equal(response.status, 200);
    const text = await response.text();
    const events = text.split('\n\n').filter((event) => event.startsWith('data: '));
    assert.ok(events.length >= 2, text);
    const last = JSON.parse(events.at(-1)!.slice(6)) as { error: { code: string; type: string } };
    assert.equal(last.error.code, '502');
    assert.equal(last.error.type, 'api_connection_error');
  });

  test('a client that disconnects mid-request aborts the upstream call and the gateway carries on', async () => {
    const controller = new AbortController();
    const pending = postJson(`${open.url}/v1/chat/completions`, { ...chat('slow'), stream: true }).catch(() => null);
    void pending;
    const aborted = fetch(`${open.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ ...chat('slow'), stream: true }), headers: { 'content-type': 'application/json' }, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(aborted);
    assert.equal((await postJson(`${open.url}/v1/chat/completions`, chat('ok'))).status, 200);
  });
});

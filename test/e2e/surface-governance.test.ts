// Surface routes under virtual keys (SQLite): per-key ownership of files and batches, model access, image spend.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { MASTER_KEY, sqliteUrl, startGovernedGateway, type GovernedGateway } from '../support/governed-gateway.js';
import { startMockServer, type MockServer } from '../support/mock.js';

let mock: MockServer;
let gw: GovernedGateway;
let alice: OpenAI;
let bob: OpenAI;
let aliceKey: string;

before(async () => {
  mock = await startMockServer();
  const model = (name: string): Record<string, unknown> => ({ model_name: name, litellm_params: { model: `openai/${name}`, api_base: `${mock.url}/v1`, api_key: 'sk-up' } });
  gw = await startGovernedGateway({ model_list: [model('gpt-4o-mini'), model('dall-e-3'), model('gpt-4.1-mini')], general_settings: { master_key: MASTER_KEY } }, sqliteUrl());
  aliceKey = (await gw.admin('/key/generate', { key_alias: 'alice' })).json.key as string;
  const bobKey = (await gw.admin('/key/generate', { key_alias: 'bob', models: ['gpt-4o-mini'] })).json.key as string;
  alice = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: aliceKey, maxRetries: 0 });
  bob = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: bobKey, maxRetries: 0 });
});

after(async () => {
  await gw?.close();
  await mock?.close();
});

const notFound = (error: { status: number }): boolean => error.status === 404;

test('one key cannot read, list, use or delete another key\'s files and batches', async () => {
  const line = JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } });
  const file = await alice.files.create({ file: await toFile(Buffer.from(line), 'in.jsonl'), purpose: 'batch' });
  const batch = await alice.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  assert.equal((await alice.files.retrieve(file.id)).id, file.id);
  await assert.rejects(bob.files.retrieve(file.id), notFound);
  await assert.rejects(bob.files.content(file.id), notFound);
  await assert.rejects(bob.files.delete(file.id), notFound);
  await assert.rejects(bob.batches.retrieve(batch.id), notFound);
  await assert.rejects(bob.batches.cancel(batch.id), notFound);
  await assert.rejects(bob.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }), notFound);
  assert.ok(!(await bob.files.list()).data.some((f) => f.id === file.id));
  assert.ok(!(await bob.batches.list()).data.some((b) => b.id === batch.id));
  assert.ok((await alice.files.list()).data.some((f) => f.id === file.id));
  const done = await alice.batches.retrieve(batch.id);
  assert.match(await (await alice.files.content(done.output_file_id!)).text(), /batch answer/);
  await assert.rejects(bob.files.content(done.output_file_id!), notFound);
  assert.equal((await alice.files.delete(file.id)).deleted, true);
  // The completed batch is alice's spend: 10 input and 5 output tokens at gpt-4o-mini's batch price.
  const batchSpend = 10 * 7.5e-8 + 5 * 3e-7;
  let spend = 0;
  for (let i = 0; i < 50 && Math.abs(spend - batchSpend) > 1e-12; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    spend = (await gw.admin(`/key/info?key=${aliceKey}`)).json.info.spend as number;
  }
  assert.ok(Math.abs(spend - batchSpend) < 1e-12, `alice spent ${spend}`);
});

test('model access applies to surface routes; image cost is the key\'s spend', async () => {
  await assert.rejects(bob.images.generate({ model: 'dall-e-3', prompt: 'x' }), (error: { status: number; type?: string }) => error.status === 401);
  const before = (await gw.admin(`/key/info?key=${aliceKey}`)).json.info.spend as number;
  const { response } = await alice.images.generate({ model: 'dall-e-3', prompt: 'a fox', n: 2 }).withResponse();
  assert.equal(Number(response.headers.get('x-litellm-response-cost')), 0.08);
  let spend = before;
  for (let i = 0; i < 50 && spend < before + 0.08 - 1e-9; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    spend = (await gw.admin(`/key/info?key=${aliceKey}`)).json.info.spend as number;
  }
  assert.ok(Math.abs(spend - before - 0.08) < 1e-9, `spend went from ${before} to ${spend}`);
  const callId = response.headers.get('x-litellm-call-id')!;
  let row: { call_type: string; spend: number } | undefined;
  for (let i = 0; i < 50 && row === undefined; i++) {
    row = ((await gw.admin(`/spend/logs?request_id=${callId}`)).json as Array<{ call_type: string; spend: number }>)[0];
    if (row === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(row?.call_type, 'aimage_generation');
  assert.equal(row?.spend, 0.08);
});

async function keySpend(key: string): Promise<number> {
  return (await gw.admin(`/key/info?key=${key}`)).json.info.spend as number;
}

test('a completed batch is the key\'s spend once, at the batch price (half price when the table lists none)', async () => {
  const line = JSON.stringify({ custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'x' }] } });
  const file = await alice.files.create({ file: await toFile(Buffer.from(`${line}\n${line.replace('"a"', '"b"')}`), 'in.jsonl'), purpose: 'batch' }, { query: { model: 'gpt-4.1-mini' } });
  const batch = await alice.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  const before = await keySpend(aliceKey);
  const { data: done, response } = await alice.batches.retrieve(batch.id).withResponse();
  assert.equal(done.status, 'completed');
  // gpt-4.1-mini has no batch price in the table: OpenAI's 50% of $0.40/M input and $1.60/M output.
  const expected = (20 * 4e-7 + 10 * 1.6e-6) / 2;
  assert.ok(Math.abs(Number(response.headers.get('x-litellm-response-cost')) - expected) < 1e-12);
  await alice.batches.retrieve(batch.id);
  let spend = before;
  for (let i = 0; i < 50 && spend < before + expected - 1e-12; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    spend = await keySpend(aliceKey);
  }
  await new Promise((resolve) => setTimeout(resolve, 400));
  spend = await keySpend(aliceKey);
  assert.ok(Math.abs(spend - before - expected) < 1e-12, `spend went from ${before} to ${spend}, expected +${expected} once`);
});

test('a key that was never issued is refused on the files and batches routes, as on every other', async () => {
  const stranger = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'sk-never-issued', maxRetries: 0 });
  const unauthorized = (error: { status: number }): boolean => error.status === 401;
  await assert.rejects(stranger.files.list(), unauthorized);
  await assert.rejects(stranger.batches.retrieve('batch_anything'), unauthorized);
  await assert.rejects(stranger.files.create({ file: await toFile(Buffer.from('{}'), 'x.jsonl'), purpose: 'batch' }), unauthorized);
});

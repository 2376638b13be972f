// Logs: keys and provider secrets never appear, even at debug; json_logs: false prints compact human lines.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, startCli } from '../support/gateway.js';
import { postJson } from '../support/http.js';
import { startMockServer, type MockServer } from '../support/mock.js';

const MASTER = 'sk-master-SECRET-41414141';
const PROVIDER = 'provider-secret-key-XYZ-9876';
const WRONG = 'sk-wrong-key-5252525252';
let mock: MockServer;
const dir = mkdtempSync(join(tmpdir(), 'sluice-logs-'));

before(async () => {
  mock = await startMockServer();
});

after(async () => {
  await mock?.close();
});

function writeConfig(name: string, jsonLogs: boolean): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      'model_list:',
      '  - model_name: ok',
      '    litellm_params: {model: openai/gpt-4o, api_base: "' + mock.url + '/v1", api_key: os.environ/UPSTREAM_KEY}',
      '  - model_name: denied',
      '    litellm_params: {model: openai/gpt-4o, api_base: "' + mock.url + '/mock/status=401/v1", api_key: os.environ/UPSTREAM_KEY}',
      'litellm_settings:',
      `  json_logs: ${jsonLogs}`,
      'general_settings:',
      `  master_key: ${MASTER}`,
    ].join('\n') + '\n',
  );
  return file;
}

async function traffic(url: string): Promise<void> {
  const body = { model: 'ok', messages: [{ role: 'user', content: 'hi' }] };
  assert.equal((await postJson(`${url}/v1/chat/completions`, body, { authorization: `Bearer ${MASTER}` })).status, 200);
  assert.equal((await postJson(`${url}/v1/chat/completions`, body, { 'x-api-key': MASTER })).status, 200);
  assert.equal((await postJson(`${url}/v1/chat/completions`, body, { authorization: `Bearer ${WRONG}` })).status, 401);
  assert.equal((await postJson(`${url}/v1/chat/completions`, { ...body, model: 'denied' }, { authorization: `Bearer ${MASTER}` })).status, 401);
}

test('no key or provider secret in debug logs', async () => {
  const cli = await startCli(['-c', writeConfig('debug.yaml', true), '--port', String(await freePort()), '--host', '127.0.0.1', '--detailed_debug'], { UPSTREAM_KEY: PROVIDER, SLUICE_LOG_LEVEL: 'debug' });
  await traffic(cli.url);
  await cli.stop();
  const output = cli.output();
  assert.match(output, /"msg":"request finished"/);
  assert.match(output, /"msg":"config loaded"/);
  assert.match(output, /\[REDACTED\]/);
  for (const secret of [MASTER, PROVIDER, WRONG]) assert.ok(!output.includes(secret), `${secret} leaked into the logs`);
});

test('json_logs: false prints one compact line per record', async () => {
  const cli = await startCli(['-c', writeConfig('human.yaml', false), '--port', String(await freePort()), '--host', '127.0.0.1'], { UPSTREAM_KEY: PROVIDER, SLUICE_LOG_LEVEL: 'debug' });
  await traffic(cli.url);
  await cli.stop();
  const output = cli.output();
  assert.match(output, /^\S+Z DEBUG request finished callId=\S+ operation=chat model=ok /m);
  assert.match(output, /^\S+Z INFO listening port=\d+/m);
  assert.ok(!output.includes('{"level":'));
  for (const secret of [MASTER, PROVIDER, WRONG]) assert.ok(!output.includes(secret), `${secret} leaked into the logs`);
});

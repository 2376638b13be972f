// Mock provider server: control endpoints (/mock/stats, /mock/last, /mock/requests, /mock/reset) and the `sluice mock` CLI.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runMockCli, startMockServer } from '../src/mockserver/index.js';
import { parseSse } from '../src/mockserver/wire-parse.js';

type Json = Record<string, any>;

const USER = [{ role: 'user', content: 'What is the capital of France?' }];

describe('control endpoints', () => {
  test('stats, last, requests and reset', async () => {
    const local = await startMockServer();
    try {
      const url = local.url;
      await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-upstream', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: USER }),
      }).then((r) => r.arrayBuffer());
      await fetch(`${url}/mock/status=500/v1/embeddings`, { method: 'POST', body: '{"input":"x"}' }).then((r) => r.arrayBuffer());
      const stats = (await (await fetch(`${url}/mock/stats`)).json()) as Json;
      assert.deepEqual(stats, { requests: 2, byPath: { '/v1/chat/completions': 1, '/v1/embeddings': 1 } });
      assert.deepEqual(local.stats(), stats);
      const last = (await (await fetch(`${url}/mock/last`)).json()) as Json;
      assert.deepEqual([last.method, last.path, last.body], ['POST', '/mock/status=500/v1/embeddings', { input: 'x' }]);
      const all = (await (await fetch(`${url}/mock/requests`)).json()) as Json[];
      assert.equal(all.length, 2);
      assert.equal(all[0].headers.authorization, 'Bearer sk-upstream');
      assert.equal(all[0].body.model, 'gpt-4o');
      assert.equal((await fetch(`${url}/mock/reset`, { method: 'POST' })).status, 200);
      assert.deepEqual(local.stats(), { requests: 0, byPath: {} });
      assert.equal((await fetch(`${url}/mock/last`)).status, 404);
      await fetch(`${url}/v1/models`).then((r) => r.arrayBuffer());
      local.reset();
      assert.equal(local.stats().requests, 0);
    } finally {
      await local.close();
    }
  });
});

describe('callback sink', () => {
  test('POST /v1/callback-sink and /callback-sink read the body and answer 200 {"ok":true}, whatever the credentials', async () => {
    const local = await startMockServer({ latencyMs: 5_000, faultRate: 1 });
    try {
      const batch = JSON.stringify([{ id: 'call-1', status: 'success' }, { id: 'call-2', status: 'failure' }]);
      const big = `[${Array.from({ length: 200 }, (_, index) => JSON.stringify({ id: `call-${index}`, padding: 'x'.repeat(1_000) })).join(',')}]`;
      for (const [path, body, authorization] of [['/v1/callback-sink', batch, 'Bearer sink'], ['/callback-sink', big, 'Bearer invalid']] as const) {
        const started = performance.now();
        const res = await fetch(`${local.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
        assert.equal(res.status, 200, `${path} answered ${res.status}`);
        assert.deepEqual(await res.json(), { ok: true });
        assert.ok(performance.now() - started < 2_000, `${path}: the mock's latency and faults do not apply to the sink`);
        const last = (await (await fetch(`${local.url}/mock/last`)).json()) as Json;
        assert.deepEqual([last.method, last.path, last.body], ['POST', path, body], 'the body is recorded as the text received');
      }
      assert.deepEqual(local.stats(), { requests: 2, byPath: { '/v1/callback-sink': 1, '/callback-sink': 1 } });
      const ndjson = await fetch(`${local.url}/v1/callback-sink`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{"a":1}\n{"a":2}\n' });
      assert.equal(ndjson.status, 200, 'any body is accepted, ndjson too');
      await ndjson.arrayBuffer();
    } finally {
      await local.close();
    }
  });
});

describe('cli', () => {
  test('--help prints usage; bad flags throw', async () => {
    const lines = await captureStdout(() => runMockCli(['--help']));
    assert.match(lines, /Usage: sluice mock/);
    await assert.rejects(runMockCli(['--nope', '1']), /unknown option --nope/);
    await assert.rejects(runMockCli(['--port', 'abc']), /expects a number/);
  });

  test('prints the listening line, serves with its flags, closes on SIGTERM', async () => {
    let running: Promise<void> | undefined;
    const line = await captureStdout(async () => {
      running = runMockCli(['--port', '0', '--chunks=3', '--latency_ms', '0', '--host=127.0.0.1']);
      await new Promise((r) => setTimeout(r, 50));
    });
    const match = /^sluice mock listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(line);
    assert.ok(match, `line was ${JSON.stringify(line)}`);
    const url = match[1];
    const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: USER, stream: true }) });
    const events = parseSse(await res.text());
    assert.equal(events.length, 1 + 3 + 1 + 1, 'role + 3 chunks + finish + [DONE]');
    process.emit('SIGTERM');
    await running;
    await assert.rejects(fetch(`${url}/v1/models`));
  });
});

/** Captures (and still passes through) what `fn` writes to stdout. */
async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const original = process.stdout.write.bind(process.stdout);
  let captured = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk === 'string' && /^(sluice mock listening|Usage: sluice mock)/.test(chunk)) captured += chunk;
    return original(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return captured;
}

// generic_api against the mock's callback sink: the body it posts, and that encoding a batch leaves the loop free.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { startMockServer, type MockServer } from '../mockserver/index.js';
import type { LoggedEvent } from './callback.js';
import { GenericApiCallback } from './generic-api.js';
import { buildStandardLoggingPayload } from './standard-logging-payload.js';

function event(index: number, status = 200): LoggedEvent {
  const outcome: RequestOutcome = {
    callId: `call-${index}`, operation: 'chat', requestedModel: 'm', modelGroup: 'm', deployment: null, status, error: null, stream: false,
    startedAt: 1, endedAt: 2.5, upstreamMs: 1, timeToFirstTokenMs: 0, usage: null, clientDisconnected: false,
    requestBody: { model: 'm', messages: [{ role: 'user', content: `question ${index} ✓` }], temperature: 0.1 },
  };
  return { outcome, payload: buildStandardLoggingPayload(outcome, true) };
}

interface Recorded {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let mock: MockServer;

async function lastPost(): Promise<Recorded> {
  return (await (await fetch(`${mock.url}/mock/last`)).json()) as Recorded;
}

before(async () => {
  mock = await startMockServer();
});

after(async () => {
  await mock?.close();
});

describe('generic_api', () => {
  test('json_array: the same bytes one JSON.stringify of the batch gave, posted with the configured headers', async () => {
    const events = Array.from({ length: 21 }, (_, index) => event(index));
    await new GenericApiCallback('generic_api', `${mock.url}/v1/callback-sink`, { authorization: 'Bearer sink' }, 'json_array', null).send(events);
    const posted = await lastPost();
    assert.equal(posted.path, '/v1/callback-sink');
    assert.equal(posted.headers.authorization, 'Bearer sink');
    assert.equal(posted.headers['content-type'], 'application/json');
    assert.equal(posted.body, JSON.stringify(events.map((item) => item.payload)));
  });

  test('ndjson: one payload per line; event_types filters what is sent', async () => {
    const events = [event(1), event(2, 500), event(3)];
    await new GenericApiCallback('generic_api', `${mock.url}/callback-sink`, {}, 'ndjson', ['llm_api_success']).send(events);
    const posted = await lastPost();
    assert.equal(posted.headers['content-type'], 'application/x-ndjson');
    assert.equal(posted.body, `${JSON.stringify(events[0]!.payload)}\n${JSON.stringify(events[2]!.payload)}\n`);
  });

  test('a 100-event batch is encoded 8 payloads per event-loop turn: work scheduled before it runs in between', async () => {
    let encoded = 0;
    const events = Array.from({ length: 100 }, (_, index) => {
      const item = event(index);
      // JSON.stringify reads every enumerable getter: this one counts the payloads encoded.
      const model = item.payload.model;
      Object.defineProperty(item.payload, 'model', { get: () => (encoded++, model), enumerable: true });
      return item;
    });
    let done = false;
    const encodedPerTick: number[] = [];
    let seen = 0;
    const tick = () => {
      encodedPerTick.push(encoded - seen);
      seen = encoded;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const sending = new GenericApiCallback('generic_api', `${mock.url}/v1/callback-sink`, {}, 'json_array', null).send(events);
    await sending;
    done = true;
    assert.equal(encoded, 100, 'every payload was encoded once');
    assert.ok(Math.max(...encodedPerTick) <= 8, `at most 8 payloads between two turns of other work; saw ${encodedPerTick.join(',')}`);
    assert.equal((JSON.parse((await lastPost()).body) as unknown[]).length, 100);
  });

  test('a sink that does not answer 2xx rejects the send (the queue counts it)', async () => {
    const callback = new GenericApiCallback('generic_api', `${mock.url}/v1/no-such-sink`, {}, 'json_array', null);
    await assert.rejects(callback.send([event(1)]), /answered 404/);
  });
});

// The queue in front of a callback: batches, bounds memory, counts drops and failures, never throws at the caller.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { createMetricSet } from '../metrics/metric-set.js';
import type { LoggedEvent, LoggingCallback } from './callback.js';
import { CallbackQueue } from './callback-queue.js';

function outcome(index: number): RequestOutcome {
  return {
    callId: `call-${index}`, operation: 'chat', requestedModel: 'm', modelGroup: 'm', deployment: null, status: 200, error: null, stream: false,
    startedAt: 1, endedAt: 2, upstreamMs: 0, timeToFirstTokenMs: 0, usage: null, clientDisconnected: false,
  };
}

function counters() {
  const metrics = createMetricSet(new Registry());
  const dropped = metrics.callbackDropped.labels('test');
  const failed = metrics.callbackFailures.labels('test');
  return { dropped, failed, droppedCount: async () => dropped.value, failedCount: async () => failed.value };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CallbackQueue', () => {
  test('sends full batches at once and the rest on the interval', async () => {
    const batches: LoggedEvent[][] = [];
    const callback: LoggingCallback = { name: 'test', maxBatchSize: 3, flushIntervalMs: 50, send: async (events) => void batches.push([...events]) };
    const c = counters();
    const queue = new CallbackQueue(callback, c, true);
    for (let index = 0; index < 7; index++) queue.push(outcome(index));
    await wait(120);
    assert.deepEqual(batches.map((batch) => batch.length), [3, 3, 1]);
    assert.equal(batches[0]![0]!.payload.id, 'call-0');
    assert.equal(batches[2]![0]!.payload.status, 'success');
    assert.equal(await c.droppedCount(), 0);
  });

  test('a stuck sink fills the bounded queue; the overflow is dropped and counted, push stays O(1)', async () => {
    const callback: LoggingCallback = { name: 'test', maxBatchSize: 2, flushIntervalMs: 10, send: () => new Promise<void>(() => {}) };
    const c = counters();
    const queue = new CallbackQueue(callback, c, true, 5);
    for (let index = 0; index < 3; index++) queue.push(outcome(index));
    await wait(30); // first batch of 2 is now in flight, forever
    const started = performance.now();
    for (let index = 3; index < 20; index++) queue.push(outcome(index));
    assert.ok(performance.now() - started < 5);
    assert.equal(queue.pending, 5);
    assert.equal(await c.droppedCount(), 13);
  });

  test('a failing sink counts a failure and the lost events, and keeps going', async () => {
    let calls = 0;
    const callback: LoggingCallback = { name: 'test', maxBatchSize: 2, flushIntervalMs: 10, send: async () => { calls++; throw new Error('sink down'); } };
    const c = counters();
    const queue = new CallbackQueue(callback, c, true);
    for (let index = 0; index < 4; index++) queue.push(outcome(index));
    await wait(60);
    assert.equal(calls, 2);
    assert.equal(await c.failedCount(), 2);
    assert.equal(await c.droppedCount(), 4);
  });

  test('a 100-event batch is built 8 payloads per event-loop turn: work scheduled before it runs in between', async () => {
    let built = 0;
    const batch = Array.from({ length: 100 }, (_, index) => {
      const counted = outcome(index);
      // buildStandardLoggingPayload reads `deployment` once per payload.
      Object.defineProperty(counted, 'deployment', { get: () => (built++, null), enumerable: true });
      return counted;
    });
    let sent = false;
    let ticksBeforeSend = -1;
    const builtPerTick: number[] = [];
    let seen = 0;
    const tick = () => {
      builtPerTick.push(built - seen);
      seen = built;
      if (!sent) setImmediate(tick);
    };
    const callback: LoggingCallback = { name: 'test', maxBatchSize: 100, flushIntervalMs: 60_000, send: async () => { ticksBeforeSend = builtPerTick.length; sent = true; } };
    const queue = new CallbackQueue(callback, counters(), true);
    setImmediate(tick); // scheduled before the batch is full and its send starts
    for (const item of batch) queue.push(item);
    while (!sent) await wait(5);
    assert.equal(built, 100, 'every payload was built');
    assert.ok(Math.max(...builtPerTick) <= 8, `at most 8 payloads between two turns of other work; saw ${builtPerTick.join(',')}`);
    assert.ok(ticksBeforeSend >= 12, `other work ran between the 13 slices before send (${ticksBeforeSend} turns)`);
  });

  test('drain sends what is left and closes the callback', async () => {
    const sent: string[] = [];
    let closed = false;
    const callback: LoggingCallback = { name: 'test', flushIntervalMs: 60_000, send: async (events) => void sent.push(...events.map((event) => event.payload.id)), close: async () => void (closed = true) };
    const queue = new CallbackQueue(callback, counters(), true);
    queue.push(outcome(1));
    queue.push(outcome(2));
    await queue.drain(1_000);
    assert.deepEqual(sent, ['call-1', 'call-2']);
    assert.ok(closed);
  });

  test('a pre-encoding callback: each event is encoded when pushed, only its text waits, and batches go to sendEncoded', async () => {
    const batches: string[][] = [];
    let sendCalls = 0;
    const callback: LoggingCallback = {
      name: 'test', maxBatchSize: 3, flushIntervalMs: 50,
      send: async () => void sendCalls++,
      encodeEvent: (event) => (event.payload.id === 'call-4' ? null : `<${event.payload.id}>`),
      sendEncoded: async (items) => void batches.push(items.map((item) => Buffer.from(item).toString())),
    };
    const queue = new CallbackQueue(callback, counters(), true);
    const pushed = outcome(0);
    queue.push(pushed);
    (pushed as { callId: string }).callId = 'changed-after-push';
    for (let index = 1; index < 7; index++) queue.push(outcome(index));
    assert.equal(queue.pending + batches.flat().length, 6, 'the event its callback left out (null) is not queued');
    await wait(120);
    assert.equal(sendCalls, 0, 'send is not used');
    assert.deepEqual(batches, [['<call-0>', '<call-1>', '<call-2>'], ['<call-3>', '<call-5>', '<call-6>']], 'texts made at push time, in order');
  });

  test('a pre-encoding callback whose encoding throws: that event is dropped and counted, the others go', async () => {
    const sent: string[] = [];
    const callback: LoggingCallback = {
      name: 'test', maxBatchSize: 10, flushIntervalMs: 20, send: async () => undefined,
      encodeEvent: (event) => {
        if (event.payload.id === 'call-1') throw new Error('cannot encode');
        return event.payload.id;
      },
      sendEncoded: async (items) => void sent.push(...items.map((item) => Buffer.from(item).toString())),
    };
    const c = counters();
    const queue = new CallbackQueue(callback, c, true);
    for (let index = 0; index < 3; index++) queue.push(outcome(index));
    await wait(60);
    assert.deepEqual(sent, ['call-0', 'call-2'], 'the other events are sent');
    assert.equal(await c.droppedCount(), 1, 'the dropped event is counted');
    assert.equal(await c.failedCount(), 1, 'and the failure');
  });
});

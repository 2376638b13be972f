// The SDK pipeline behind `otel`: spans carry the request's own times and GenAI attributes, join the caller's trace,
// and every span the BatchSpanProcessor would lose silently (full queue, failed export, shutdown) is counted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import type { Deployment } from '../config/deployment.js';
import { GatewayError } from '../core/errors.js';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { createMetricSet } from '../metrics/metric-set.js';
import type { LoggedEvent } from './callback.js';
import { SpanPipeline, type OtelOptions } from './otel-pipeline.js';
import { buildStandardLoggingPayload } from './standard-logging-payload.js';

const deployment = { id: 'dep-1', modelGroup: 'group', provider: 'anthropic', upstreamModel: 'claude-x', apiBase: 'https://api.anthropic.com' } as Deployment;

function event(index: number, overrides: Partial<RequestOutcome> = {}): LoggedEvent {
  const outcome: RequestOutcome = {
    callId: `call-${index}`, operation: 'chat', requestedModel: 'group', modelGroup: 'group', deployment, status: 200, error: null, stream: true,
    startedAt: 1_000, endedAt: 1_250, upstreamMs: 200, timeToFirstTokenMs: 40, clientDisconnected: false,
    usage: { promptTokens: 11, completionTokens: 7, totalTokens: 18, cachedPromptTokens: 5, cacheCreationTokens: 0 },
    requestBody: { model: 'group', messages: [], max_tokens: 64, temperature: 0.5 },
    ...overrides,
  };
  return { outcome, payload: buildStandardLoggingPayload(outcome, true) };
}

/** Collects exported spans; `mode` decides how each export answers. */
class TestExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  readonly pending: Array<(result: ExportResult) => void> = [];
  private readonly mode: 'ok' | 'fail' | 'hang';
  constructor(mode: 'ok' | 'fail' | 'hang') {
    this.mode = mode;
  }
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.mode === 'hang') return void this.pending.push(done);
    this.spans.push(...spans);
    done(this.mode === 'ok' ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error('collector said 500') });
  }
  async shutdown(): Promise<void> {}
}

function pipeline(exporter: SpanExporter, overrides: Partial<OtelOptions> = {}) {
  const metrics = createMetricSet(new Registry());
  const counters = { dropped: metrics.callbackDropped.labels('otel'), failed: metrics.callbackFailures.labels('otel') };
  const options: OtelOptions = {
    url: 'http://unused', headers: {}, serviceName: 'test', compression: 'none', exportTimeoutMs: 1_000,
    maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMs: 10, ...overrides,
  };
  return { spans: new SpanPipeline(options, exporter, counters), counters };
}

describe('SpanPipeline', () => {
  test('one CLIENT span per event with the request times, GenAI attributes and the caller trace', async () => {
    const exporter = new TestExporter('ok');
    const { spans } = pipeline(exporter);
    const failed = event(2, { status: 429, error: new GatewayError({ reason: 'upstream', status: 429, message: 'slow down' }), usage: null });
    spans.record([event(1, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }), failed]);
    await spans.close(1_000);
    assert.equal(exporter.spans.length, 2);
    const [ok, error] = exporter.spans as [ReadableSpan, ReadableSpan];
    assert.equal(ok.name, 'chat claude-x');
    assert.equal(ok.kind, 2); // SpanKind.CLIENT
    assert.equal(ok.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(ok.parentSpanContext?.spanId, 'b7ad6b7169203331');
    // 250 ms between the request's start and end, whenever the span was built.
    const durationMs = ok.duration[0] * 1e3 + ok.duration[1] / 1e6;
    assert.ok(Math.abs(durationMs - 250) < 0.01, `duration ${durationMs}`);
    assert.equal(ok.startTime[0], Math.floor(event(1).payload.startTime));
    assert.deepEqual(
      { ...ok.attributes, 'gen_ai.response.id': undefined, 'litellm.call_id': undefined },
      {
        'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'group', 'gen_ai.response.model': 'claude-x', 'gen_ai.response.id': undefined,
        'gen_ai.usage.input_tokens': 11, 'gen_ai.usage.output_tokens': 7, 'gen_ai.usage.cache_read.input_tokens': 5,
        'gen_ai.request.max_tokens': 64, 'gen_ai.request.temperature': 0.5, 'gen_ai.response.time_to_first_chunk': 0.04,
        'http.response.status_code': 200, 'litellm.call_id': undefined, 'llm.is_streaming': true,
        'litellm.model_group': 'group', 'litellm.model_id': 'dep-1', 'litellm.api_base': 'https://api.anthropic.com',
        'server.address': 'api.anthropic.com', 'server.port': 443,
      },
    );
    assert.equal(ok.status.code, 0); // UNSET: the conventions leave successful client spans unset
    assert.equal(error.parentSpanContext, undefined);
    assert.equal(error.attributes['error.type'], 'RateLimitError');
    assert.equal(error.attributes['http.response.status_code'], 429);
    assert.deepEqual(error.status, { code: 2, message: 'slow down' });
    assert.equal(ok.resource.attributes['service.name'], 'test');
  });

  test('a full BatchSpanProcessor queue: the overflow is dropped and counted, not lost silently', async () => {
    const exporter = new TestExporter('hang');
    const { spans, counters } = pipeline(exporter, { maxQueueSize: 10, maxExportBatchSize: 5 });
    spans.record(Array.from({ length: 100 }, (_, index) => event(index)));
    // The 5th span filled a batch (exported at once, hanging); 10 more fill the queue; 85 are dropped.
    assert.equal(exporter.pending.length, 1);
    assert.equal(spans.pending, 15);
    assert.equal(counters.dropped.value, 85);
    // Shutdown gives up on the hanging collector and counts what was still queued or exporting.
    await spans.close(50);
    assert.equal(counters.dropped.value, 100);
    assert.equal(counters.failed.value, 0);
    // A late answer from the abandoned export is not counted twice.
    for (const done of exporter.pending) done({ code: ExportResultCode.FAILED, error: new Error('late') });
    assert.equal(counters.dropped.value, 100);
  });

  test('a failed export counts one failure and drops its spans; unsampled parents are not spans at all', async () => {
    const exporter = new TestExporter('fail');
    const { spans, counters } = pipeline(exporter, { maxExportBatchSize: 4 });
    const unsampled = event(0, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' });
    spans.record([unsampled, ...Array.from({ length: 8 }, (_, index) => event(index + 1))]);
    await spans.close(1_000);
    assert.equal(counters.failed.value, 2);
    assert.equal(counters.dropped.value, 8);
    assert.equal(spans.pending, 0);
  });

  test('records after close are dropped and counted', async () => {
    const { spans, counters } = pipeline(new TestExporter('ok'));
    await spans.close(100);
    spans.record([event(1), event(2)]);
    assert.equal(counters.dropped.value, 2);
  });
});

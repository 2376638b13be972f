// Logging callbacks receive LiteLLM-shaped payloads off the request path; a failing or slow sink never hurts requests.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCallbacks } from '../../src/callbacks/callback-registry.js';
import { validateConfigObject } from '../../src/config/load-config.js';
import { createTelemetry } from '../../src/metrics/telemetry.js';
import { startGateway, type RunningGateway } from '../support/gateway.js';
import { postJson } from '../support/http.js';
import { startMockServer, type MockServer } from '../support/mock.js';
import { valueOf, parseMetrics } from '../support/prometheus.js';
import { startSink, type Received, type Sink } from '../support/sink.js';

let mock: MockServer;
const testStarted = Date.now();
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'secret prompt text' }], temperature: 0.2 });

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code?: number; message?: string };
}
/** OTLP/HTTP JSON (ExportTraceServiceRequest), as the OpenTelemetry exporter sends it. */
interface OtlpBody {
  resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }> }>;
}

function attributesOf(attributes: readonly OtlpAttribute[]): Map<string, unknown> {
  return new Map(attributes.map((attribute) => [attribute.key, Object.values(attribute.value)[0]]));
}

function spansOf(posts: readonly Received[]): OtlpSpan[] {
  return posts.flatMap((post) => (JSON.parse(post.body) as OtlpBody).resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
}

before(async () => {
  mock = await startMockServer();
});

after(async () => {
  await mock?.close();
});

interface Started {
  gateway: RunningGateway;
  telemetry: ReturnType<typeof createTelemetry>;
  drain(): Promise<void>;
}

async function startWithCallbacks(litellmSettings: Record<string, unknown>, env: NodeJS.ProcessEnv, extra: Record<string, unknown> = {}): Promise<Started> {
  const config = {
    model_list: [
      { model_name: 'ok', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/v1`, api_key: 'k' }, model_info: { id: 'ok-1' } },
      { model_name: 'broken', litellm_params: { model: 'openai/gpt-4o', api_base: `${mock.url}/mock/status=503/v1`, api_key: 'k' } },
    ],
    litellm_settings: litellmSettings,
    ...extra,
  };
  const telemetry = createTelemetry();
  const setup = buildCallbacks(validateConfigObject(config, env).config, env, telemetry.metrics);
  assert.deepEqual(setup.problems, []);
  const gateway = await startGateway(config, { observers: [telemetry.observer, setup.observer!], metrics: telemetry.source });
  return { gateway, telemetry, drain: () => setup.observer!.drain(2_000) };
}

describe('generic_api, otel and langfuse', () => {
  let sink: Sink;
  let started: Started;

  before(async () => {
    sink = await startSink();
    started = await startWithCallbacks(
      { callbacks: ['generic_api', 'otel'], success_callback: ['langfuse'] },
      {
        GENERIC_LOGGER_ENDPOINT: `${sink.url}/generic`,
        GENERIC_LOGGER_HEADERS: 'Authorization=Bearer sink-token,X-Team=ml',
        OTEL_EXPORTER_OTLP_ENDPOINT: `${sink.url}/otlp`,
        OTEL_SERVICE_NAME: 'sluice-test',
        LANGFUSE_PUBLIC_KEY: 'pk-lf-1',
        LANGFUSE_SECRET_KEY: 'sk-lf-2',
        LANGFUSE_HOST: `${sink.url}/langfuse`,
      },
    );
    for (let index = 0; index < 3; index++) assert.equal((await postJson(`${started.gateway.url}/v1/chat/completions`, chat('ok'))).status, 200);
    assert.equal((await postJson(`${started.gateway.url}/v1/chat/completions`, chat('broken'), { traceparent: TRACEPARENT })).status, 503);
    await started.drain();
  });

  after(async () => {
    await started?.gateway.close();
    await sink?.close();
  });

  test('generic_api: StandardLoggingPayload batches with the configured headers', async () => {
    const posts = await sink.waitFor('/generic', 1);
    assert.equal(posts[0]!.headers.authorization, 'Bearer sink-token');
    assert.equal(posts[0]!.headers['x-team'], 'ml');
    const payloads = posts.flatMap((post) => JSON.parse(post.body) as Array<Record<string, unknown>>);
    assert.equal(payloads.length, 4);
    const success = payloads.filter((payload) => payload.status === 'success');
    assert.equal(success.length, 3);
    const first = success[0]!;
    assert.equal(first.model_group, 'ok');
    assert.equal(first.model_id, 'ok-1');
    assert.equal(first.model, 'gpt-4o');
    assert.equal(first.call_type, 'acompletion');
    assert.equal(first.custom_llm_provider, 'openai');
    assert.ok((first.total_tokens as number) > 0);
    assert.deepEqual(first.messages, chat('ok').messages);
    assert.deepEqual(first.model_parameters, { temperature: 0.2 });
    assert.ok(typeof first.startTime === 'number' && (first.endTime as number) >= (first.startTime as number));
    const failure = payloads.find((payload) => payload.status === 'failure')!;
    assert.equal((failure.error_information as { error_code: string }).error_code, '503');
  });

  test('otel: OTLP/HTTP JSON spans from the OpenTelemetry SDK with GenAI attributes', async () => {
    const posts = await sink.waitFor('/otlp/v1/traces', 1);
    assert.match(String(posts[0]!.headers['user-agent']), /^OTel-OTLP-Exporter-JavaScript\//);
    assert.equal(posts[0]!.headers['content-type'], 'application/json');
    const spans = posts.flatMap((post) => {
      const body = JSON.parse(post.body) as OtlpBody;
      const resource = attributesOf(body.resourceSpans[0]!.resource.attributes);
      assert.equal(resource.get('service.name'), 'sluice-test');
      assert.equal(resource.get('telemetry.sdk.name'), 'opentelemetry');
      assert.equal(body.resourceSpans[0]!.scopeSpans[0]!.scope.name, 'sluice');
      return body.resourceSpans.flatMap((resource_) => resource_.scopeSpans.flatMap((scope) => scope.spans));
    });
    assert.equal(spans.length, 4);
    const span = spans.find((item) => item.status.code !== 2)!;
    assert.equal(span.name, 'chat gpt-4o');
    assert.equal(span.kind, 3); // SPAN_KIND_CLIENT
    assert.match(span.traceId, /^[0-9a-f]{32}$/);
    assert.match(span.spanId, /^[0-9a-f]{16}$/);
    // The request's own times (epoch nanoseconds), not the time the span was built.
    const start = BigInt(span.startTimeUnixNano);
    const end = BigInt(span.endTimeUnixNano);
    assert.ok(end >= start && end - start < 5_000_000_000n);
    assert.ok(start > BigInt(testStarted) * 1_000_000n && end <= BigInt(Date.now()) * 1_000_000n);
    const attributes = attributesOf(span.attributes);
    assert.equal(attributes.get('gen_ai.operation.name'), 'chat');
    assert.equal(attributes.get('gen_ai.request.model'), 'ok');
    assert.equal(attributes.get('gen_ai.response.model'), 'gpt-4o');
    assert.equal(attributes.get('gen_ai.system'), 'openai');
    assert.equal(attributes.get('gen_ai.provider.name'), 'openai');
    assert.ok(Number(attributes.get('gen_ai.usage.input_tokens')) > 0);
    assert.ok(Number(attributes.get('gen_ai.usage.output_tokens')) > 0);
    assert.equal(attributes.get('gen_ai.request.temperature'), 0.2);
    assert.equal(attributes.get('server.address'), '127.0.0.1');
    assert.equal(Number(attributes.get('server.port')), Number(new URL(mock.url).port));
    assert.equal(Number(attributes.get('http.response.status_code')), 200);
    assert.equal(attributes.get('litellm.model_id'), 'ok-1');
    assert.equal(attributes.has('error.type'), false);
    const failed = spans.filter((item) => item.status.code === 2);
    assert.equal(failed.length, 1);
    const failedAttributes = attributesOf(failed[0]!.attributes);
    assert.equal(failedAttributes.get('error.type'), 'ServiceUnavailableError');
    assert.equal(Number(failedAttributes.get('http.response.status_code')), 503);
    // The failing request carried a traceparent: its span joins the caller's trace.
    assert.equal(failed[0]!.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(failed[0]!.parentSpanId, 'b7ad6b7169203331');
    assert.equal(span.parentSpanId, undefined);
  });

  test('langfuse: ingestion batches (trace + generation) with basic auth, successes only', async () => {
    const posts = await sink.waitFor('/langfuse/api/public/ingestion', 1);
    assert.equal(posts[0]!.headers.authorization, `Basic ${Buffer.from('pk-lf-1:sk-lf-2').toString('base64')}`);
    const events = posts.flatMap((post) => (JSON.parse(post.body) as { batch: Array<{ type: string; body: Record<string, unknown> }> }).batch);
    assert.equal(events.filter((event) => event.type === 'trace-create').length, 3);
    const generations = events.filter((event) => event.type === 'generation-create');
    assert.equal(generations.length, 3);
    assert.equal(generations[0]!.body.model, 'gpt-4o');
    assert.ok(((generations[0]!.body.usage as { total: number }).total) > 0);
  });
});

describe('message logging and failing sinks', () => {
  test('turn_off_message_logging keeps prompts out of callback payloads', async () => {
    const sink = await startSink();
    const started = await startWithCallbacks({ callbacks: ['generic_api'], turn_off_message_logging: true }, { GENERIC_LOGGER_ENDPOINT: `${sink.url}/generic` });
    try {
      assert.equal((await postJson(`${started.gateway.url}/v1/chat/completions`, chat('ok'))).status, 200);
      await started.drain();
      const [post] = await sink.waitFor('/generic', 1);
      assert.ok(!post!.body.includes('secret prompt text'));
      assert.equal((JSON.parse(post!.body) as Array<{ messages: unknown }>)[0]!.messages, 'redacted-by-litellm');
    } finally {
      await started.gateway.close();
      await sink.close();
    }
  });

  test('a failing sink and a hanging sink do not fail or slow requests; failures and drops are counted', async () => {
    const sink = await startSink((path) => (path.startsWith('/fail') ? 'fail' : 'hang'));
    const started = await startWithCallbacks(
      { callbacks: ['failing', 'hanging'] },
      {},
      { callback_settings: { failing: { callback_type: 'generic_api', endpoint: `${sink.url}/fail` }, hanging: { callback_type: 'generic_api', endpoint: `${sink.url}/hang` } } },
    );
    try {
      const durations: number[] = [];
      for (let index = 0; index < 150; index++) {
        const started_ = performance.now();
        const response = await postJson(`${started.gateway.url}/v1/chat/completions`, chat('ok'));
        assert.equal(response.status, 200);
        await response.arrayBuffer();
        durations.push(performance.now() - started_);
      }
      durations.sort((a, b) => a - b);
      assert.ok(durations[Math.floor(durations.length * 0.99)]! < 250, `p99 ${durations[Math.floor(durations.length * 0.99)]} ms`);
      await sink.waitFor('/fail', 1);
      await sink.waitFor('/hang', 1);
      const samples = parseMetrics(await started.telemetry.registry.metrics());
      assert.ok(valueOf(samples, 'litellm_callback_logging_failures_metric_total', { callback_name: 'failing' }) >= 1);
      assert.ok(valueOf(samples, 'sluice_callback_events_dropped_total', { callback_name: 'failing' }) >= 1);
    } finally {
      await started.gateway.close();
      await sink.close();
    }
  });
});

describe('otel: compression, sampling and failing collectors', () => {
  async function timedRequests(url: string, count: number): Promise<number> {
    const durations: number[] = [];
    for (let index = 0; index < count; index++) {
      const started_ = performance.now();
      const response = await postJson(`${url}/v1/chat/completions`, chat('ok'));
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      durations.push(performance.now() - started_);
    }
    durations.sort((a, b) => a - b);
    return durations[Math.floor(durations.length * 0.99)]!;
  }

  function otelCounters(started: Started): Promise<{ dropped: number; failed: number }> {
    return started.telemetry.registry.metrics().then((text) => {
      const samples = parseMetrics(text);
      return {
        dropped: valueOf(samples, 'sluice_callback_events_dropped_total', { callback_name: 'otel' }),
        failed: valueOf(samples, 'litellm_callback_logging_failures_metric_total', { callback_name: 'otel' }),
      };
    });
  }

  test('gzip bodies when OTEL_EXPORTER_OTLP_COMPRESSION=gzip; an unsampled traceparent yields no span and no drop', async () => {
    const sink = await startSink();
    const started = await startWithCallbacks({ callbacks: ['otel'] }, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.url}/traces`, OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' });
    try {
      const unsampled = '00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00';
      assert.equal((await postJson(`${started.gateway.url}/v1/chat/completions`, chat('ok'), { traceparent: unsampled })).status, 200);
      assert.equal((await postJson(`${started.gateway.url}/v1/chat/completions`, chat('ok'), { traceparent: TRACEPARENT })).status, 200);
      await started.drain();
      const posts = await sink.waitFor('/traces', 1);
      assert.equal(posts[0]!.headers['content-encoding'], 'gzip');
      const spans = spansOf(posts);
      assert.equal(spans.length, 1);
      assert.equal(spans[0]!.traceId, '0af7651916cd43dd8448eb211c80319c');
      assert.deepEqual(await otelCounters(started), { dropped: 0, failed: 0 });
    } finally {
      await started.gateway.close();
      await sink.close();
    }
  });

  test('a failing OTLP endpoint does not fail or slow requests; every failed export and its spans are counted', async () => {
    const sink = await startSink(() => 'fail');
    const started = await startWithCallbacks({ callbacks: ['otel'] }, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url });
    try {
      const p99 = await timedRequests(started.gateway.url, 150);
      assert.ok(p99 < 250, `p99 ${p99} ms`);
      await started.drain();
      const posts = await sink.waitFor('/v1/traces', 1);
      // 500 is not retryable for OTLP: one POST per batch, each batch counted as one failure and its spans as dropped.
      assert.deepEqual(await otelCounters(started), { dropped: 150, failed: posts.length });
    } finally {
      await started.gateway.close();
      await sink.close();
    }
  });

  test('a hanging OTLP endpoint: requests are not slowed; the full span queue and the unsent spans at shutdown are counted as dropped', async () => {
    const sink = await startSink(() => 'hang');
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_MAX_QUEUE_SIZE: '8', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4', OTEL_EXPORTER_OTLP_TIMEOUT: '60000' };
    const started = await startWithCallbacks({ callbacks: ['otel'] }, env);
    try {
      const p99 = await timedRequests(started.gateway.url, 150);
      assert.ok(p99 < 250, `p99 ${p99} ms`);
      await sink.waitFor('/v1/traces', 1);
      const before = Date.now();
      await started.drain();
      assert.ok(Date.now() - before < 3_000, 'shutdown waits at most the drain timeout');
      // 4 spans in the hanging export, 8 in the queue: the other 138 were dropped as they came, the 12 at shutdown.
      assert.deepEqual(await otelCounters(started), { dropped: 150, failed: 0 });
    } finally {
      await started.gateway.close();
      await sink.close();
    }
  });
});

// `otel`: one OpenTelemetry span per request (GenAI semantic conventions), sent by the official SDK's OTLP/HTTP exporter.
// This module reads the configuration only; the SDK (otel-pipeline.ts) is imported when the callback is created, so a
// gateway without `otel` never loads it.
import { CallbackConfigError, type CallbackCounters, type CallbackFactoryContext, type LoggedEvent, type LoggingCallback } from './callback.js';
import { EVENTS_PER_TURN, yieldTurn } from './event-slices.js';
import { parseHeaderList } from './header-list.js';
import type { OtelOptions, SpanPipeline } from './otel-pipeline.js';

export class OtelCallback implements LoggingCallback {
  readonly name = 'otel';
  readonly maxBatchSize = 512;
  /** Spans are built from the queued records this often; the BatchSpanProcessor then sets the export pace. */
  readonly flushIntervalMs = 200;
  private readonly pipeline: Promise<SpanPipeline>;

  constructor(options: OtelOptions, counters: CallbackCounters) {
    this.pipeline = import('./otel-pipeline.js').then((module) => module.createSpanPipeline(options, counters));
    // A failed import surfaces as a rejected send (counted and logged by the queue); this only avoids an unhandled rejection.
    this.pipeline.catch(() => undefined);
  }

  /** Spans are made a few per event-loop turn: a 512-event batch in one turn held requests up for milliseconds. */
  async send(events: readonly LoggedEvent[]): Promise<void> {
    const pipeline = await this.pipeline;
    for (let start = 0; start < events.length; start += EVENTS_PER_TURN) {
      if (start > 0) await yieldTurn();
      pipeline.record(events.slice(start, start + EVENTS_PER_TURN));
    }
  }

  async close(timeoutMs: number): Promise<void> {
    await (await this.pipeline).close(timeoutMs);
  }
}

/** A positive integer from the environment, or the default; anything else is a configuration error. */
function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new CallbackConfigError('otel', `needs ${name} to be a positive integer; found "${text}"`);
  return value;
}

function compressionOf(env: NodeJS.ProcessEnv): 'gzip' | 'none' {
  const value = (env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION ?? env.OTEL_EXPORTER_OTLP_COMPRESSION ?? 'none').trim().toLowerCase();
  if (value === 'gzip' || value === 'none' || value === '') return value === 'gzip' ? 'gzip' : 'none';
  throw new CallbackConfigError('otel', `supports OTEL_EXPORTER_OTLP_COMPRESSION gzip or none; found "${value}"`);
}

function tracesUrl(env: NodeJS.ProcessEnv): string {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_ENDPOINT;
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? undefined : base.endsWith('/v1/traces') ? base : `${base.replace(/\/+$/, '')}/v1/traces`);
  if (url === undefined || url === '') throw new CallbackConfigError('otel', 'needs OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)');
  return url;
}

/** The exporter and batch settings from the standard OTEL_* variables (and LiteLLM's OTEL_ENDPOINT / OTEL_HEADERS). */
export function otelOptions(env: NodeJS.ProcessEnv): OtelOptions {
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? env.OTEL_EXPORTER;
  if (protocol !== undefined && /grpc/i.test(protocol)) throw new CallbackConfigError('otel', 'supports OTLP over HTTP only (protocol http/json); gRPC was requested');
  const headers = { ...parseHeaderList(env.OTEL_HEADERS), ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaderList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) };
  return {
    url: tracesUrl(env),
    headers,
    serviceName: env.OTEL_SERVICE_NAME ?? 'litellm',
    compression: compressionOf(env),
    exportTimeoutMs: positiveInt(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', positiveInt(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000)),
    maxQueueSize: positiveInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2_048),
    maxExportBatchSize: positiveInt(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512),
    // The SDK's default is 5 s; 1 s keeps spans as prompt as the other callbacks' batches.
    scheduledDelayMs: positiveInt(env, 'OTEL_BSP_SCHEDULE_DELAY', 1_000),
  };
}

export function createOtelCallback(_name: string, context: CallbackFactoryContext): LoggingCallback {
  return new OtelCallback(otelOptions(context.env), context.counters);
}

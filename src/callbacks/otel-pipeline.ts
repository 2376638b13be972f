// The OpenTelemetry SDK behind the `otel` callback: a private tracer provider, a BatchSpanProcessor and the OTLP/HTTP
// exporter. Imported with import() only when `otel` is configured, so a gateway without it never loads the SDK.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, parseTraceParent, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { VERSION } from '../core/version.js';
import { logger } from '../logging/logger.js';
import type { CallbackCounters, LoggedEvent } from './callback.js';
import { errorType, spanAttributes, spanName } from './otel-attributes.js';

export interface OtelOptions {
  /** The full traces URL (`…/v1/traces`). */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  compression: 'gzip' | 'none';
  /** One export request, retries included (OTEL_EXPORTER_OTLP_TIMEOUT). */
  exportTimeoutMs: number;
  /** BatchSpanProcessor: spans waiting for export, spans per request, wait before a partial batch leaves. */
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMs: number;
}

/**
 * Hands spans to the real exporter and reports what left the processor's queue and what failed. The processor drops
 * silently when its queue is full; knowing how many spans it holds lets the pipeline drop (and count) them instead.
 */
class ObservedExporter implements SpanExporter {
  private readonly inner: SpanExporter;
  private readonly pipeline: SpanPipeline;

  constructor(inner: SpanExporter, pipeline: SpanPipeline) {
    this.inner = inner;
    this.pipeline = pipeline;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.pipeline.exportStarted(spans.length);
    this.inner.export(spans, (result) => {
      this.pipeline.exportEnded(spans.length, result.code === ExportResultCode.SUCCESS ? null : (result.error ?? new Error('export failed')));
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** The caller's trace from a W3C `traceparent` header, or a new trace. */
function parentOf(traceparent: string | string[] | undefined): Context {
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  const parent = parseTraceParent(traceparent);
  return parent === null ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true });
}

export class SpanPipeline {
  private readonly counters: CallbackCounters;
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly maxQueueSize: number;
  /** Spans ended into the BatchSpanProcessor and not yet handed to the exporter (its queue length). */
  private queued = 0;
  /** Spans handed to the exporter whose export has not answered yet. */
  private exporting = 0;
  private closed = false;
  /** Set when close gave up: what was still queued or exporting has been counted as dropped. */
  private abandoned = false;

  constructor(options: OtelOptions, exporter: SpanExporter, counters: CallbackCounters) {
    this.counters = counters;
    this.maxQueueSize = options.maxQueueSize;
    const processor = new BatchSpanProcessor(new ObservedExporter(exporter, this), {
      maxQueueSize: options.maxQueueSize,
      maxExportBatchSize: Math.min(options.maxExportBatchSize, options.maxQueueSize),
      scheduledDelayMillis: options.scheduledDelayMs,
      // The processor stops waiting a little after the exporter's own deadline, so the exporter reports the outcome.
      exportTimeoutMillis: options.exportTimeoutMs + 1_000,
    });
    // Private: never registered as the global tracer provider, no context manager, no instrumentation.
    this.provider = new BasicTracerProvider({
      resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName, [ATTR_SERVICE_VERSION]: VERSION })),
      // As every OpenTelemetry SDK by default: a caller's unsampled traceparent (flags 00) means no span.
      sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
      spanProcessors: [processor],
    });
    this.tracer = this.provider.getTracer('sluice', VERSION);
  }

  /** Spans not yet confirmed exported. */
  get pending(): number {
    return this.queued + this.exporting;
  }

  /** One span per event, with the request's own start and end times; runs at batch time, off the request path. */
  record(events: readonly LoggedEvent[]): void {
    let dropped = 0;
    for (const event of events) {
      if (this.closed || this.queued >= this.maxQueueSize) {
        dropped++;
        continue;
      }
      const payload = event.payload;
      const span = this.tracer.startSpan(
        spanName(event),
        { kind: SpanKind.CLIENT, startTime: payload.startTime * 1000, attributes: spanAttributes(event) },
        parentOf(event.outcome.traceparent),
      );
      if (errorType(event) !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: payload.error_str ?? `status ${event.outcome.status}` });
      // Counted before end(): ending the span that fills a batch exports that batch synchronously.
      if (span.isRecording()) this.queued++;
      span.end(payload.endTime * 1000);
    }
    if (dropped > 0) this.counters.dropped.inc(dropped);
  }

  exportStarted(count: number): void {
    this.queued -= count;
    this.exporting += count;
  }

  exportEnded(count: number, error: Error | null): void {
    this.exporting -= count;
    if (error === null || this.abandoned) return;
    this.counters.failed.inc();
    this.counters.dropped.inc(count);
    logger.warn({ callback: 'otel', events: count, err: error.message }, 'logging callback failed; batch dropped');
  }

  /** Exports what the processor holds and shuts the exporter down, giving up (and counting the rest) after `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
      timer.unref();
    });
    const done = this.provider.shutdown().then(() => false, () => false);
    const gaveUp = await Promise.race([done, timedOut]);
    clearTimeout(timer);
    if (!gaveUp) return;
    this.abandoned = true;
    if (this.pending > 0) this.counters.dropped.inc(this.pending);
  }
}

/** The exporter's options; its compression is an enum of the same strings in a package Sluice does not import. */
type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

export function createSpanPipeline(options: OtelOptions, counters: CallbackCounters): SpanPipeline {
  const exporter = new OTLPTraceExporter({
    url: options.url,
    headers: options.headers,
    compression: options.compression as ExporterConfig['compression'],
    timeoutMillis: options.exportTimeoutMs,
  });
  return new SpanPipeline(options, exporter, counters);
}

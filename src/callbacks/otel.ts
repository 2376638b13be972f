// `otel`: one OpenTelemetry span per request (GenAI semantic conventions), exported as OTLP/HTTP JSON in batches.
import { randomBytes } from 'node:crypto';
import { VERSION } from '../core/version.js';
import { CallbackConfigError, type CallbackFactoryContext, type LoggedEvent, type LoggingCallback, postJson } from './callback.js';
import { parseHeaderList } from './header-list.js';
import type { StandardLoggingPayload } from './standard-logging-payload.js';

type AttributeValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
interface Attribute {
  key: string;
  value: AttributeValue;
}

const SPAN_KIND_CLIENT = 3;
const STATUS_OK = 1;
const STATUS_ERROR = 2;
/** W3C trace context: version-traceid-parentid-flags (compiled once). */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const OPERATION_NAMES: Readonly<Record<string, string>> = { chat: 'chat', completion: 'text_completion', embedding: 'embeddings' };

function str(key: string, value: string): Attribute {
  return { key, value: { stringValue: value } };
}

function int(key: string, value: number): Attribute {
  return { key, value: { intValue: String(Math.round(value)) } };
}

function nanos(epochSeconds: number): string {
  return (BigInt(Math.round(epochSeconds * 1e6)) * 1000n).toString();
}

function requestAttributes(payload: StandardLoggingPayload, attributes: Attribute[]): void {
  const params = payload.model_parameters;
  if (typeof params.max_tokens === 'number') attributes.push(int('gen_ai.request.max_tokens', params.max_tokens));
  if (typeof params.temperature === 'number') attributes.push({ key: 'gen_ai.request.temperature', value: { doubleValue: params.temperature } });
  if (typeof params.top_p === 'number') attributes.push({ key: 'gen_ai.request.top_p', value: { doubleValue: params.top_p } });
}

/** The OTLP JSON span for one request. */
export function spanOf(event: LoggedEvent): Record<string, unknown> {
  const payload = event.payload;
  const operation = OPERATION_NAMES[event.outcome.operation] ?? event.outcome.operation;
  const provider = payload.custom_llm_provider ?? 'unknown';
  const attributes: Attribute[] = [
    str('gen_ai.operation.name', operation),
    str('gen_ai.system', provider),
    str('gen_ai.provider.name', provider),
    str('gen_ai.request.model', event.outcome.requestedModel ?? payload.model),
    str('gen_ai.response.model', payload.model),
    str('gen_ai.response.id', payload.id),
    int('gen_ai.usage.input_tokens', payload.prompt_tokens),
    int('gen_ai.usage.output_tokens', payload.completion_tokens),
    int('http.response.status_code', event.outcome.status),
    str('litellm.call_id', payload.id),
    { key: 'llm.is_streaming', value: { boolValue: payload.stream } },
  ];
  if (payload.model_group !== null) attributes.push(str('litellm.model_group', payload.model_group));
  if (payload.model_id !== null) attributes.push(str('litellm.model_id', payload.model_id));
  if (payload.api_base !== '') attributes.push(str('server.address', payload.api_base));
  if (payload.response_cost > 0) attributes.push({ key: 'gen_ai.usage.cost', value: { doubleValue: payload.response_cost } });
  requestAttributes(payload, attributes);
  const failed = payload.status === 'failure';
  if (failed && payload.error_information !== null) attributes.push(str('error.type', payload.error_information.error_class));
  const traceparent = event.outcome.traceparent;
  const parent = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  return {
    traceId: parent === null ? randomBytes(16).toString('hex') : parent[1]!,
    spanId: randomBytes(8).toString('hex'),
    ...(parent === null ? {} : { parentSpanId: parent[2]! }),
    name: `${operation} ${payload.model}`,
    kind: SPAN_KIND_CLIENT,
    startTimeUnixNano: nanos(payload.startTime),
    endTimeUnixNano: nanos(payload.endTime),
    attributes,
    status: failed ? { code: STATUS_ERROR, message: payload.error_str ?? 'error' } : { code: STATUS_OK },
  };
}

export class OtelCallback implements LoggingCallback {
  readonly name = 'otel';
  readonly maxBatchSize = 512;
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly resource: { attributes: Attribute[] };

  constructor(url: string, headers: Record<string, string>, serviceName: string) {
    this.url = url;
    this.headers = headers;
    this.resource = { attributes: [str('service.name', serviceName), str('telemetry.sdk.name', 'sluice'), str('service.version', VERSION)] };
  }

  async send(events: readonly LoggedEvent[]): Promise<void> {
    const body = {
      resourceSpans: [{ resource: this.resource, scopeSpans: [{ scope: { name: 'sluice', version: VERSION }, spans: events.map(spanOf) }] }],
    };
    await postJson(this.url, JSON.stringify(body), this.headers);
  }
}

/** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (full URL) or OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces); LiteLLM's OTEL_ENDPOINT too. */
export function createOtelCallback(_name: string, context: CallbackFactoryContext): LoggingCallback {
  const env = context.env;
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? env.OTEL_EXPORTER;
  if (protocol !== undefined && /grpc/i.test(protocol)) throw new CallbackConfigError('otel', 'supports OTLP over HTTP only (protocol http/json); gRPC was requested');
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_ENDPOINT;
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? undefined : base.endsWith('/v1/traces') ? base : `${base.replace(/\/+$/, '')}/v1/traces`);
  if (url === undefined || url === '') throw new CallbackConfigError('otel', 'needs OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)');
  const headers = { ...parseHeaderList(env.OTEL_HEADERS), ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaderList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) };
  return new OtelCallback(url, headers, env.OTEL_SERVICE_NAME ?? 'litellm');
}

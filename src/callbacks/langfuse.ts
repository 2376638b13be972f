// `langfuse`: a trace and a generation per request, sent in batches to Langfuse's public ingestion API.
import { randomUUID } from 'node:crypto';
import { CallbackConfigError, type CallbackFactoryContext, type LoggedEvent, type LoggingCallback, postJson } from './callback.js';
import { type BatchFraming, encodeInSlices, joinEncoded } from './event-slices.js';

/** `{"batch":[…events…],"metadata":{…}}`, the ingestion body, with the events encoded a few per turn. */
const INGESTION_BODY: BatchFraming = {
  open: '{"batch":[',
  separator: ',',
  close: `],"metadata":${JSON.stringify({ sdk_name: 'sluice', sdk_integration: 'litellm' })}}`,
};

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

export function langfuseEvents(event: LoggedEvent): unknown[] {
  const p = event.payload;
  const failed = p.status === 'failure';
  const timestamp = iso(p.endTime);
  const metadata = { ...p.metadata, model_group: p.model_group, model_id: p.model_id, api_base: p.api_base, cache_hit: p.cache_hit };
  return [
    {
      id: randomUUID(),
      type: 'trace-create',
      timestamp,
      body: { id: p.trace_id, timestamp: iso(p.startTime), name: `litellm-${p.call_type}`, input: p.messages, output: p.response, userId: p.end_user || (p.metadata.user_api_key_user_id ?? undefined), metadata },
    },
    {
      id: randomUUID(),
      type: 'generation-create',
      timestamp,
      body: {
        id: p.id,
        traceId: p.trace_id,
        name: `litellm-${p.call_type}`,
        startTime: iso(p.startTime),
        endTime: iso(p.endTime),
        completionStartTime: iso(p.completionStartTime),
        model: p.model,
        modelParameters: p.model_parameters,
        input: p.messages,
        output: p.response,
        usage: { input: p.prompt_tokens, output: p.completion_tokens, total: p.total_tokens, unit: 'TOKENS', totalCost: p.response_cost },
        level: failed ? 'ERROR' : 'DEFAULT',
        statusMessage: failed ? (p.error_str ?? undefined) : undefined,
        metadata,
      },
    },
  ];
}

/** One request's trace and generation, as two comma-separated JSON objects of the ingestion batch. */
function encodeLangfuseEvents(event: LoggedEvent): string {
  const [trace, generation] = langfuseEvents(event);
  return `${JSON.stringify(trace)},${JSON.stringify(generation)}`;
}

export class LangfuseCallback implements LoggingCallback {
  readonly name = 'langfuse';
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(host: string, publicKey: string, secretKey: string) {
    this.url = `${host.replace(/\/+$/, '')}/api/public/ingestion`;
    this.headers = { authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}` };
  }

  async send(events: readonly LoggedEvent[]): Promise<void> {
    await postJson(this.url, await encodeInSlices(events, encodeLangfuseEvents, INGESTION_BODY), this.headers);
  }

  /** Pre-encoded at the end of each request (see LoggingCallback.encodeEvent). */
  encodeEvent(event: LoggedEvent): string {
    return encodeLangfuseEvents(event);
  }

  sendEncoded(items: readonly Uint8Array[]): Promise<void> {
    return postJson(this.url, joinEncoded(items, INGESTION_BODY), this.headers);
  }
}

export function createLangfuseCallback(_name: string, context: CallbackFactoryContext): LoggingCallback {
  const env = context.env;
  const publicKey = env.LANGFUSE_PUBLIC_KEY;
  const secretKey = env.LANGFUSE_SECRET_KEY;
  if (publicKey === undefined || secretKey === undefined) throw new CallbackConfigError('langfuse', 'needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY');
  return new LangfuseCallback(env.LANGFUSE_HOST ?? 'https://cloud.langfuse.com', publicKey, secretKey);
}

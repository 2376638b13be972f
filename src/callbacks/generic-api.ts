// `generic_api`: POSTs batches of StandardLoggingPayload to any HTTP endpoint (LiteLLM's GenericAPILogger).
import { CallbackConfigError, type CallbackFactoryContext, type LoggedEvent, type LoggingCallback, postJson } from './callback.js';
import { type BatchFraming, encodeInSlices, joinEncoded, JSON_ARRAY, NDJSON } from './event-slices.js';
import { parseHeaderList, stringRecord } from './header-list.js';
import type { StandardLoggingPayload } from './standard-logging-payload.js';

type LogFormat = 'json_array' | 'ndjson' | 'single';

export class GenericApiCallback implements LoggingCallback {
  readonly name: string;
  private readonly endpoint: string;
  private readonly headers: Record<string, string>;
  /** `headers` with NDJSON's content type, made once. */
  private readonly ndjsonHeaders: Record<string, string>;
  private readonly format: LogFormat;
  private readonly successes: boolean;
  private readonly failures: boolean;

  constructor(name: string, endpoint: string, headers: Record<string, string>, format: LogFormat, eventTypes: readonly string[] | null) {
    this.name = name;
    this.endpoint = endpoint;
    this.headers = headers;
    this.ndjsonHeaders = { ...headers, 'content-type': 'application/x-ndjson' };
    this.format = format;
    this.successes = eventTypes === null || eventTypes.includes('llm_api_success');
    this.failures = eventTypes === null || eventTypes.includes('llm_api_failure');
  }

  /** Pre-encoded at the end of each request (see LoggingCallback.encodeEvent); events of an unwanted type are left out. */
  encodeEvent(event: LoggedEvent): string | null {
    return (event.payload.status === 'success' ? this.successes : this.failures) ? encodePayload(event.payload) : null;
  }

  sendEncoded(items: readonly Uint8Array[]): Promise<void> {
    return this.post(items, (item) => item, joinEncoded);
  }

  async send(events: readonly LoggedEvent[]): Promise<void> {
    const payloads: StandardLoggingPayload[] = [];
    for (const event of events) if (event.payload.status === 'success' ? this.successes : this.failures) payloads.push(event.payload);
    // Encoded a few per event-loop turn: one JSON.stringify (or one join) of a 100-event batch held the loop for ms.
    await this.post(payloads, encodePayload, (items, framing) => encodeInSlices(items, encodePayload, framing));
  }

  /** One POST per item (`single`, each as `one` makes it), or one POST of the body `all` makes of them in the format's framing. */
  private async post<T>(items: readonly T[], one: (item: T) => string | Uint8Array, all: (items: readonly T[], framing: BatchFraming) => Buffer | Promise<Buffer>): Promise<void> {
    if (items.length === 0) return;
    if (this.format === 'single') {
      for (const item of items) await postJson(this.endpoint, one(item), this.headers);
      return;
    }
    const ndjson = this.format === 'ndjson';
    await postJson(this.endpoint, await all(items, ndjson ? NDJSON : JSON_ARRAY), ndjson ? this.ndjsonHeaders : this.headers);
  }
}

function encodePayload(payload: StandardLoggingPayload): string {
  return JSON.stringify(payload);
}

export function createGenericApiCallback(name: string, context: CallbackFactoryContext): LoggingCallback {
  const settings = context.settings ?? {};
  const endpoint = typeof settings.endpoint === 'string' ? settings.endpoint : context.env.GENERIC_LOGGER_ENDPOINT;
  if (endpoint === undefined || endpoint === '') throw new CallbackConfigError(name, 'needs an endpoint: callback_settings.<name>.endpoint or GENERIC_LOGGER_ENDPOINT');
  const headers = stringRecord(settings.headers) ?? parseHeaderList(context.env.GENERIC_LOGGER_HEADERS);
  const format = settings.log_format === 'ndjson' || settings.log_format === 'single' ? settings.log_format : 'json_array';
  const eventTypes = Array.isArray(settings.event_types) ? settings.event_types.filter((item): item is string => typeof item === 'string') : null;
  return new GenericApiCallback(name, endpoint, headers, format, eventTypes);
}

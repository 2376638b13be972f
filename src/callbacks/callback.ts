// The interface every logging callback implements; batching, bounding and drop counting are done for it by CallbackQueue.
import { request } from 'undici';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import type { CounterCell } from '../metrics/fast-metrics.js';
import type { StandardLoggingPayload } from './standard-logging-payload.js';

/** One logged request as a callback receives it: the outcome plus the LiteLLM payload built from it. */
export interface LoggedEvent {
  readonly outcome: RequestOutcome;
  readonly payload: StandardLoggingPayload;
}

/**
 * A logging sink. To add one: implement this, then register a factory with `registerCallback(name, factory)`
 * (src/callbacks/callback-registry.ts) so `litellm_settings.callbacks: [name]` enables it.
 *
 * `send` receives up to `maxBatchSize` events at a time, never concurrently with itself, always off the request path.
 * It should reject on failure: the queue counts the failure (`litellm_callback_logging_failures_metric_total`) and moves on.
 *
 * Off the request path is still on the event loop: work per event (mapping, encoding) should be done EVENTS_PER_TURN
 * events at a time with `await yieldTurn()` between slices, so a batch never holds requests up for milliseconds;
 * `encodeInSlices` (src/callbacks/event-slices.ts) does that for a JSON array or NDJSON body. The queue builds the
 * events' payloads the same way before calling `send`.
 */
export interface LoggingCallback {
  readonly name: string;
  /** Batch size and flush interval; defaults 100 events / 1000 ms. */
  readonly maxBatchSize?: number;
  readonly flushIntervalMs?: number;
  send(events: readonly LoggedEvent[]): Promise<void>;
  /**
   * Optional, with `sendEncoded`: the callback's text for one event (null to leave it out), made when its request
   * finishes. The queue then holds that text instead of the request's outcome and payload until the batch goes:
   * at 1,000 req/s a batch waits long enough for those object graphs (~50 objects a request) to be copied by each
   * young-generation GC and promoted, which was most of what a callback cost the gateway. The queue keeps the text
   * as UTF-8 bytes in reused buffers (src/callbacks/encoded-batches.ts). `send` is then not called.
   */
  encodeEvent?(event: LoggedEvent): string | null;
  /**
   * Sends a batch of `encodeEvent` texts, each as its UTF-8 bytes (same rules as `send`); `joinEncoded` frames them
   * into one body. The views are reused once the returned promise settles: copy what must outlive it.
   */
  sendEncoded?(items: readonly Uint8Array[]): Promise<void>;
  /** Called once at shutdown after the last batch; should give up (counting what it loses) after `timeoutMs`. */
  close?(timeoutMs: number): Promise<void>;
}

/** A callback's `sluice_callback_events_dropped_total` and `litellm_callback_logging_failures_metric_total` cells. */
export interface CallbackCounters {
  dropped: CounterCell;
  failed: CounterCell;
}

export interface CallbackFactoryContext {
  env: NodeJS.ProcessEnv;
  /** `callback_settings.<name>` from the config, when present. */
  settings: Readonly<Record<string, unknown>> | null;
  /**
   * The queue counts what it drops and what `send` rejects; a callback that keeps its own buffer after `send`
   * resolves (otel's span processor) counts its later drops and failures here.
   */
  counters: CallbackCounters;
}

export type CallbackFactory = (name: string, context: CallbackFactoryContext) => LoggingCallback;

/** A callback that cannot start (missing endpoint or credentials); reported at start-up. */
export class CallbackConfigError extends Error {
  constructor(callback: string, problem: string) {
    super(`callback "${callback}" ${problem}`);
    this.name = 'CallbackConfigError';
  }
}

/** POSTs a JSON body (text, or UTF-8 bytes from `encodeInSlices`) with undici's `request` (no fetch adapter); rejects on a non-2xx answer. */
export async function postJson(url: string, body: string | Uint8Array, headers: Readonly<Record<string, string>>, timeoutMs = 10_000): Promise<void> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  await response.body.dump();
  if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`${url} answered ${response.statusCode}`);
}

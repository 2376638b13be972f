// What one finished request leaves behind, handed to observers (spend, metrics, callbacks) after the response.
import type { Deployment } from '../config/deployment.js';
import type { GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { Operation } from '../core/operation.js';
import type { Usage } from '../core/usage.js';
import type { AccessGrant } from './access-control.js';

export interface RequestOutcome {
  callId: string;
  operation: Operation;
  /** The model name the client asked for. */
  requestedModel: string | null;
  modelGroup: string | null;
  deployment: Deployment | null;
  status: number;
  error: GatewayError | null;
  stream: boolean;
  /** `performance.now()` times, ms. */
  startedAt: number;
  endedAt: number;
  /** Time spent waiting on the provider (0 for local answers). */
  upstreamMs: number;
  /** Time to the first upstream byte of a stream's body; 0 otherwise. */
  timeToFirstTokenMs: number;
  usage: Usage | null;
  clientDisconnected: boolean;
  // Optional, filled by the stages that know them (governance, cache, router); metrics and callbacks use defaults when absent.
  /** SHA-256 hex of the virtual key (LiteLLM's `hashed_api_key`). */
  apiKeyHash?: string | null;
  keyAlias?: string | null;
  team?: string | null;
  teamAlias?: string | null;
  user?: string | null;
  endUser?: string | null;
  /** true: answered from the response cache; false: looked up and missed; null/absent: cache not consulted. */
  cacheHit?: boolean | null;
  /** USD cost of the call, when priced. */
  responseCost?: number;
  attemptedRetries?: number;
  /** The parsed request body (callbacks read `messages` from it unless message logging is off); never mutate it. */
  requestBody?: JsonObject | null;
  /** The provider's response headers, when it answered (e.g. `x-ratelimit-remaining-requests`). */
  upstreamHeaders?: Readonly<Record<string, string | string[] | undefined>> | null;
  /** The client's W3C `traceparent` header, so exported spans join the caller's trace. */
  traceparent?: string | string[] | undefined;
  /** The admission the request ran under (governance releases its limits and records its spend). */
  grant?: AccessGrant | null;
  /** Surface route (`image_generation`, `audio_speech`, `rerank`, `file_upload`, …) when `operation` does not describe it. */
  endpoint?: string | null;
}

/** Observers run after the response is written, never before; they must not throw or block. */
export interface RequestObserver {
  onRequestFinished(outcome: RequestOutcome): void;
}

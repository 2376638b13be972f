// What one finished request leaves behind, handed to observers (spend, metrics, callbacks) after the response.
import type { Deployment } from '../config/deployment.js';
import type { GatewayError } from '../core/errors.js';
import type { Operation } from '../core/operation.js';
import type { Usage } from '../core/usage.js';

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
}

/** Observers run after the response is written, never before; they must not throw or block. */
export interface RequestObserver {
  onRequestFinished(outcome: RequestOutcome): void;
}

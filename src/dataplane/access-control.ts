// What the hot path asks of governance (keys, limits, budgets) — an interface injected at construction, so the
// data plane never imports the control plane or the store.
import type { IncomingHttpHeaders } from 'node:http';
import type { Deployment } from '../config/deployment.js';
import type { GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { Usage } from '../core/usage.js';
import type { RequestOutcome } from './request-outcome.js';

/** One request's admission: created by `authenticate`, consulted again once the body and model are known. */
export interface AccessGrant {
  /**
   * Model access, budgets and rate limits for the requested model: the error to answer, null (admitted), or — when
   * limits are shared through Redis or the key is not in memory yet — a promise of either. `model` null: a call that
   * names no model (files, batches), where the key, its budgets and its limits apply but model access does not.
   */
  admit(model: string | null, body: JsonObject, headers: IncomingHttpHeaders): GatewayError | null | Promise<GatewayError | null>;
  /** Adds `x-ratelimit-remaining-*`, `x-litellm-key-spend` and, when usage is known, `x-litellm-response-cost`. */
  addHeaders(headers: Record<string, string>, usage: Usage | null, deployment: Deployment | null): void;
  /** Fills the outcome's key, team, user, end user and cost fields for metrics and callbacks. */
  describe(outcome: RequestOutcome): void;
  /**
   * Who may share semantic-cache answers with this request: the key's team, else the key; '' for the master key
   * and an open data plane (one shared scope).
   */
  cacheScope(): string;
}

export interface AccessControl {
  /** Decides from memory; `key` is the presented secret or null when none was sent. */
  authenticate(key: string | null): AccessGrant | GatewayError;
  /** For `/health/readiness`: "connected" or "Not connected". */
  databaseStatus(): string;
}

/** The management API (control plane), mounted on the same server when the role includes it. */
export interface ManagementHandler {
  handles(path: string): boolean;
  handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, path: string, query: string): void;
}

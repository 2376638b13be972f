// A key not in memory yet (made elsewhere, or inserted by LiteLLM): the request waits for one database lookup,
// then is decided exactly like a known key. Unknown keys are remembered, so garbage keys cost one query a minute.
import type { IncomingHttpHeaders } from 'node:http';
import type { Deployment } from '../config/deployment.js';
import type { GatewayError } from '../core/errors.js';
import type { JsonObject } from '../core/json.js';
import type { Usage } from '../core/usage.js';
import type { AccessGrant } from '../dataplane/access-control.js';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import type { KeyEntity } from './entities.js';
import type { KeyGrant } from './key-grant.js';

export class PendingGrant implements AccessGrant {
  private readonly lookup: Promise<KeyEntity | null>;
  /** Builds the real grant, or the error for a missing, expired or blocked key. */
  private readonly decide: (key: KeyEntity | null) => KeyGrant | GatewayError;
  /** The grant the request ran under once the key was found. */
  inner: KeyGrant | null = null;

  constructor(lookup: Promise<KeyEntity | null>, decide: (key: KeyEntity | null) => KeyGrant | GatewayError) {
    this.lookup = lookup;
    this.decide = decide;
  }

  async admit(model: string | null, body: JsonObject, headers: IncomingHttpHeaders): Promise<GatewayError | null> {
    const verdict = this.decide(await this.lookup);
    if (!('admit' in verdict)) return verdict;
    this.inner = verdict;
    return verdict.admit(model, body, headers);
  }

  addHeaders(headers: Record<string, string>, usage: Usage | null, deployment: Deployment | null): void {
    this.inner?.addHeaders(headers, usage, deployment);
  }

  describe(outcome: RequestOutcome): void {
    this.inner?.describe(outcome);
  }

  cacheScope(): string {
    return this.inner?.cacheScope() ?? '';
  }
}
